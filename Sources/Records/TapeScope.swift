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
        var out: [Int] = []
        walk(path.fromRoot ? root : item, path.steps[...], into: &out)
        return out
    }

    /// Follows `steps` from `node` depth first, which visits the nodes in document order.
    private func walk(_ node: Int, _ steps: ArraySlice<FieldPath.Step>, into out: inout [Int]) {
        guard let step = steps.first else { out.append(node); return }
        let rest = steps.dropFirst()
        switch step {
        case let .key(k): if let child = tape.member(k, of: node) { walk(child, rest, into: &out) }
        case .everyElement: tape.forEachElement(of: node) { walk($0, rest, into: &out) }
        case let .element(i): if let child = tape.element(i, of: node) { walk(child, rest, into: &out) }
        }
    }

    public func scalarText(_ node: Int) -> String? { tape.text(node) }

    public func containerKind(_ node: Int) -> String? {
        tape.kind(node).isContainer ? tape.kindName(node) : nil
    }

    public func isNull(_ node: Int) -> Bool { tape.kind(node) == .null }

    public func joinedText(_ nodes: [Int], separator: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(nodes.reduce(0) { $0 + tape.textBytes($1) } + nodes.count * separator.utf8.count)
        var any = false
        for node in nodes {
            let mark = out.count
            if any { out.append(contentsOf: separator.utf8) }
            if tape.appendText(node, to: &out) { any = true } else { out.removeSubrange(mark...) }
        }
        return any ? String(decoding: out, as: UTF8.self) : nil
    }

    public func jsonText(_ nodes: [Int], asList: Bool) -> String {
        JSONWriter.serialize(asList ? .array(nodes.map(tape.value)) : tape.value(nodes[0]))
    }

    public func nothing(at path: FieldPath, field: String) -> RecordError {
        .pathMatchedNothing(field: field, path: path.description, nearest: "", suggestion: nil)
    }
}
