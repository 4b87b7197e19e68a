import Glibc

/// The parts of a JSON document a set of paths can reach. `JSONParser.parse(_:keeping:)` builds
/// values only there: every other member is still checked as JSON (a malformed document fails the
/// same way, at the same place) but kept as `null` under its key, so "did you mean" messages still
/// list it. An AI Hub label file's `newsContent` and `referSentenceInfo`, which no field reads, are
/// then never turned into strings.
///
///     var keep = JSONProjection()
///     keep.add([.key("sourceDataInfo"), .key("sentenceInfo"), .elements, .key("sentenceContent")])
///     let doc = try JSONParser.parse(bytes, keeping: keep)
public struct JSONProjection: Equatable, Sendable {
    /// Whether everything under this point is kept (a path ends here).
    public private(set) var keepsAll: Bool
    /// The members of an object that are kept, each with what is kept under it.
    private(set) var members: [Member] = []
    /// What is kept under every element of an array (zero or one entry).
    private var elementsNode: [JSONProjection] = []
    /// The ASCII keys of `members`, end to end, and where each is: `memberIndex` compares them in place.
    private var asciiKeys: [UInt8] = []
    private var asciiSpans: [(start: Int, count: Int, member: Int)] = []

    struct Member: Equatable, Sendable {
        let key: String
        /// The key's UTF-8 when it is ASCII: then equal bytes are equal text.
        let ascii: [UInt8]?
        var node: JSONProjection

        init(key: String, node: JSONProjection) {
            self.key = key
            self.node = node
            ascii = key.utf8.allSatisfy { $0 < 0x80 } ? Array(key.utf8) : nil
        }
    }

    private mutating func appendMember(_ m: Member) {
        if let ascii = m.ascii {
            asciiSpans.append((asciiKeys.count, ascii.count, members.count))
            asciiKeys += ascii
        }
        members.append(m)
    }

    /// The same kept parts (the key table follows from `members`).
    public static func == (a: JSONProjection, b: JSONProjection) -> Bool {
        a.keepsAll == b.keepsAll && a.members == b.members && a.elementsNode == b.elementsNode
    }

    /// Nothing kept yet; `add` paths to it.
    public init() { keepsAll = false }

    /// Everything kept: the same as `JSONParser.parse(_:)`.
    public static let everything: JSONProjection = {
        var p = JSONProjection()
        p.keepsAll = true
        return p
    }()

    /// What is kept under the member `key`, nil when nothing is.
    func member(_ key: String) -> JSONProjection? {
        if keepsAll { return self }
        for m in members where m.key == key { return m.node }
        return nil
    }

    /// The key's text and what is kept under it, nil when nothing is. ASCII keys are compared by
    /// their bytes; any other key as `String`s, as `JSONValue`'s subscript compares them (canonical
    /// equivalence: a key in NFD still matches its NFC spelling in a path).
    func member(_ span: StringSpan, of parser: JSONParser) -> (String, JSONProjection)? {
        if keepsAll { return (parser.text(of: span), self) }
        guard let (i, text) = memberIndex(span, of: parser) else { return nil }
        return (text ?? members[i].key, members[i].node)
    }

    /// What is kept under the member whose key is `span`, nil when nothing is: `member(_:of:)`
    /// without making the key's text when it is ASCII.
    func node(for span: StringSpan, of parser: JSONParser) -> JSONProjection? {
        if keepsAll { return self }
        return memberIndex(span, of: parser).map { members[$0.index].node }
    }

    /// The kept member whose key is `span`, and the key's text when it had to be made.
    private func memberIndex(_ span: StringSpan, of parser: JSONParser) -> (index: Int, text: String?)? {
        if span.plain {
            let count = span.end - span.start
            // Through the flat table of ASCII keys: iterating `members` copied each one (four
            // retains and releases), for every key of every object of every document.
            let found = asciiKeys.withUnsafeBufferPointer { keys in
                asciiSpans.withUnsafeBufferPointer { spans -> Int? in
                    for s in spans where s.count == count
                        && (count == 0 || memcmp(keys.baseAddress! + s.start, parser.bytes.baseAddress! + span.start, count) == 0) {
                        return s.member
                    }
                    return nil
                }
            }
            if let found { return (found, nil) }
            if asciiSpans.count == members.count { return nil }
        }
        let text = parser.text(of: span)
        return members.firstIndex { $0.key == text }.map { ($0, text) }
    }

    /// What is kept under each element of an array, nil when nothing is.
    var elements: JSONProjection? { keepsAll ? self : elementsNode.first }

    /// One step down a document: an object's member, or every element of an array (whichever index
    /// a path names, elements are all kept; only what is under them is projected).
    public enum Step: Hashable, Sendable {
        case key(String)
        case elements
    }

    /// Keeps everything the steps reach (the whole value at their end).
    public mutating func add(_ steps: [Step]) { add(steps[...]) }

    /// Keeps everything the steps reach (the whole value at their end).
    public mutating func add(_ steps: ArraySlice<Step>) {
        guard !keepsAll else { return }
        guard let step = steps.first else {
            keepsAll = true
            members = []
            asciiKeys = []
            asciiSpans = []
            elementsNode = []
            return
        }
        switch step {
        case let .key(k):
            if let i = members.firstIndex(where: { $0.key == k }) {
                members[i].node.add(steps.dropFirst())
            } else {
                var node = JSONProjection()
                node.add(steps.dropFirst())
                appendMember(Member(key: k, node: node))
            }
        case .elements:
            var node = elementsNode.first ?? JSONProjection()
            node.add(steps.dropFirst())
            elementsNode = [node]
        }
    }

    /// Keeps, under every element `prefix` reaches, what `other` keeps.
    public mutating func add(_ other: JSONProjection, under prefix: ArraySlice<Step>) {
        guard !keepsAll else { return }
        guard let step = prefix.first else { merge(other); return }
        switch step {
        case let .key(k):
            if let i = members.firstIndex(where: { $0.key == k }) {
                members[i].node.add(other, under: prefix.dropFirst())
            } else {
                var node = JSONProjection()
                node.add(other, under: prefix.dropFirst())
                appendMember(Member(key: k, node: node))
            }
        case .elements:
            var node = elementsNode.first ?? JSONProjection()
            node.add(other, under: prefix.dropFirst())
            elementsNode = [node]
        }
    }

    /// Keeps what `other` keeps too.
    public mutating func merge(_ other: JSONProjection) {
        if keepsAll { return }
        if other.keepsAll { self = .everything; return }
        for m in other.members { add(m.node, under: [.key(m.key)]) }
        if let e = other.elementsNode.first { add(e, under: [.elements]) }
    }
}
