import JSON

/// A record read from a `JSONTape`: its element, the whole document (for `$root.` paths) and where
/// it was read. Values become strings only where a field takes them, and a `join` is built in one
/// buffer; the fields come out as `RecordScope` gives them from the parsed document.
///
/// A path that matches nothing gives a `RecordError` without "did you mean" (the tape does not keep
/// the members no field reads): read the document with `JSONParser` for the message.
public struct TapeScope: FieldSource {
    public let tape: JSONTape
    public let item: Int
    public let root: Int
    public let location: String

    public init(tape: JSONTape, item: Int = JSONTape.root, root: Int = JSONTape.root, location: String = "") {
        self.tape = tape
        self.item = item
        self.root = root
        self.location = location
    }

    /// The same values, in the same order, as `FieldPath.values(in:)` finds in the parsed document.
    public func values(_ path: FieldPath) -> [Int] {
        if !path.isMultiValued { return first(path).map { [$0] } ?? [] }
        var out: [Int] = []
        path.steps.withUnsafeBufferPointer { walk(path.fromRoot ? root : item, $0, 0, into: &out) }
        return out
    }

    /// `values(path).first`; a path without `[*]` is followed without making a list (a list per
    /// field per record was most of the extraction's allocations).
    public func first(_ path: FieldPath) -> Int? {
        if path.isMultiValued { return values(path).first }
        return path.steps.withUnsafeBufferPointer { single(path.fromRoot ? root : item, $0) }
    }

    /// The one node a path without `[*]` reaches, followed step by step (no list made).
    private func single(_ start: Int, _ steps: UnsafeBufferPointer<FieldPath.Step>) -> Int? {
        var node = start
        for step in steps {
            switch step {
            case let .key(k): guard let child = tape.member(k, of: node) else { return nil }; node = child
            case let .element(i): guard let child = tape.element(i, of: node) else { return nil }; node = child
            case .everyElement: preconditionFailure("a single-valued path")
            }
        }
        return node
    }

    /// Follows `steps[from...]` from `node` depth first, which visits the nodes in document order.
    private func walk(_ node: Int, _ steps: UnsafeBufferPointer<FieldPath.Step>, _ from: Int, into out: inout [Int]) {
        guard from < steps.count else { out.append(node); return }
        switch steps[from] {
        case let .key(k): if let child = tape.member(k, of: node) { walk(child, steps, from + 1, into: &out) }
        case .everyElement: tape.forEachElement(of: node) { walk($0, steps, from + 1, into: &out) }
        case let .element(i): if let child = tape.element(i, of: node) { walk(child, steps, from + 1, into: &out) }
        }
    }

    public func scalarText(_ node: Int) -> String? { tape.text(node) }

    public func containerKind(_ node: Int) -> String? {
        tape.kind(node).isContainer ? tape.kindName(node) : nil
    }

    public func isNull(_ node: Int) -> Bool { tape.kind(node) == .null }

    public func joinedText(_ nodes: [Int], separator: String) -> String? {
        // Written straight into the string's storage: a decoded escape is never longer than its
        // bytes, so the bytes of the texts and separators bound the length.
        let capacity = nodes.reduce(0) { $0 + tape.textBytes($1) } + nodes.count * separator.utf8.count
        var any = false
        let text = String(unsafeUninitializedCapacity: max(capacity, 1)) { buffer in
            var count = 0
            for node in nodes {
                let mark = count
                if any { separator.withUTF8Bytes { s in for b in s { buffer[count] = b; count += 1 } } }
                if tape.copyText(node, into: buffer, at: &count) { any = true } else { count = mark }
            }
            return count
        }
        return any ? text : nil
    }

    public func jsonText(_ nodes: [Int], asList: Bool) -> String {
        JSONWriter.serialize(asList ? .array(nodes.map(tape.value)) : tape.value(nodes[0]))
    }

    public func nothing(at path: FieldPath, field: String) -> RecordError {
        .pathMatchedNothing(field: field, path: path.description, nearest: "", suggestion: nil)
    }
}
