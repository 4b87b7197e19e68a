import Glibc

/// A JSON document read into one flat list of nodes over its bytes: what a `JSONProjection` keeps,
/// with no `String` or array made per value. A record's fields are then read from the nodes, and
/// only the texts a field takes become strings (`text`, `copyText`).
///
///     let tape = try JSONTape(bytes, keeping: projection)
///     if let title = tape.member("title", of: JSONTape.root).flatMap(tape.text) { ... }
///
/// The document is checked as `JSONParser.parse(_:keeping:)` checks it and fails where it fails.
/// Members the projection does not keep are left out (`JSONValue` keeps them as null, for "did you
/// mean" messages: read a document with `JSONParser` when a field fails); array elements it does
/// not keep are null nodes, so indexes stay right.
public struct JSONTape {
    /// One value. Objects are followed by their members (a key node, then its value); arrays by
    /// their elements; `next` is the index just past the value and everything under it.
    public struct Node: Sendable {
        public let kind: JSONKind
        /// A string with escapes (its bytes are not its text); `true` for the literal `true`.
        let flag: Bool
        /// A string whose bytes are ASCII and its text.
        let ascii: Bool
        /// The string's bytes between its quotes, or the number's text.
        let start: Int
        let end: Int
        var next: Int
    }

    /// The document's top value.
    public static let root = 0

    public private(set) var nodes: [Node] = []
    let bytes: [UInt8]

    /// Reads a document, keeping what `projection` keeps. - throws: `JSONParser.Failure`, as
    /// `JSONParser.parse(_:keeping:)` would.
    public init(_ input: [UInt8], keeping projection: JSONProjection) throws {
        bytes = input
        var nodes: [Node] = []
        nodes.reserveCapacity(64)
        try input.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
            parser.skipSpace()
            try parser.tapeValue(projection, into: &nodes)
            parser.skipSpace()
            if parser.index < buffer.count { throw parser.failure("unexpected text after the JSON value") }
        }
        self.nodes = nodes
    }

    public func kind(_ node: Int) -> JSONKind { nodes[node].kind }

    /// The value under `key` when `node` is an object: the first member of that name, as
    /// `JSONValue`'s subscript finds it (ASCII keys by their bytes, others as `String`s).
    public func member(_ key: String, of node: Int) -> Int? {
        guard nodes[node].kind == .object else { return nil }
        return key.withUTF8Bytes { want -> Int? in
            let wantASCII = !want.contains { $0 >= 0x80 }
            return nodes.withUnsafeBufferPointer { nodes in
                bytes.withUnsafeBufferPointer { bytes in
                    var i = node + 1
                    let end = nodes[node].next
                    while i < end {
                        let name = nodes[i]
                        if wantASCII, name.ascii {
                            if name.end - name.start == want.count,
                               want.count == 0 || memcmp(bytes.baseAddress! + name.start, want.baseAddress!, want.count) == 0 { return i + 1 }
                        } else if text(i) == key {
                            return i + 1
                        }
                        i = nodes[i + 1].next
                    }
                    return nil
                }
            }
        }
    }

    /// Calls `body` with each member of `node` (its key's node, then its value's), in order, when it
    /// is an object.
    public func forEachMember(of node: Int, _ body: (_ key: Int, _ value: Int) throws -> Void) rethrows {
        guard nodes[node].kind == .object else { return }
        var i = node + 1
        while i < nodes[node].next {
            try body(i, i + 1)
            i = nodes[i + 1].next
        }
    }

    /// How many bytes `copyText` copies for the node (for sizing a buffer; exact unless the
    /// string has escapes).
    public func textBytes(_ node: Int) -> Int {
        let n = nodes[node]
        switch n.kind {
        case .null, .array, .object: return 0
        case .bool: return n.flag ? 4 : 5
        case .number, .string: return n.end - n.start
        }
    }

    /// The elements of `node` when it is an array.
    public func elements(of node: Int) -> [Int] {
        var out: [Int] = []
        forEachElement(of: node) { out.append($0) }
        return out
    }

    /// Calls `body` with each element of `node`, in order, when it is an array.
    public func forEachElement(of node: Int, _ body: (Int) -> Void) {
        guard nodes[node].kind == .array else { return }
        var i = node + 1
        while i < nodes[node].next {
            body(i)
            i = nodes[i].next
        }
    }

    /// The `index`th element of `node` when it is an array that long.
    public func element(_ index: Int, of node: Int) -> Int? {
        guard nodes[node].kind == .array else { return nil }
        var i = node + 1, k = 0
        while i < nodes[node].next {
            if k == index { return i }
            k += 1
            i = nodes[i].next
        }
        return nil
    }

    /// Whether the string at `node` is, byte for byte, `name` without escapes: when it is, its text
    /// equals `name` (without making a `String` of it); when it is not, it may still be equal to it
    /// (an escape, or another normalisation): ask `text(node) == name` then.
    public func hasBytes(_ node: Int, of name: String) -> Bool {
        let n = nodes[node]
        guard n.kind == .string, !n.flag else { return false }
        return name.withUTF8Bytes { want in
            want.count == n.end - n.start
                && (want.count == 0 || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + n.start, want.baseAddress!, want.count) == 0 })
        }
    }

    /// The first byte of the string at `node` as written (an escape's backslash included), or nil
    /// when it is empty or not a string.
    public func firstByte(_ node: Int) -> UInt8? {
        let n = nodes[node]
        return n.kind == .string && n.end > n.start ? bytes[n.start] : nil
    }

    /// The scalar as text, as `JSONValue.scalarText` gives it (nil for null, arrays and objects).
    public func text(_ node: Int) -> String? {
        let n = nodes[node]
        switch n.kind {
        case .null, .array, .object: return nil
        case .bool: return n.flag ? "true" : "false"
        case .number, .string:
            if n.kind == .string, n.flag { return decoded(n) }
            return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[n.start..<n.end]), as: UTF8.self) }
        }
    }

    /// Copies the scalar's text as UTF-8 into `buffer` at `count` (advanced past the text), which has
    /// room for `textBytes(node)` more bytes; false (nothing copied) for null, arrays and objects.
    public func copyText(_ node: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at count: inout Int) -> Bool {
        let n = nodes[node]
        func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
            precondition(count + bytes.count <= buffer.count, "copyText: no room for the text")
            if bytes.count > 0 { (buffer.baseAddress! + count).update(from: bytes.baseAddress!, count: bytes.count) }
            count += bytes.count
        }
        switch n.kind {
        case .null, .array, .object: return false
        case .bool: (n.flag ? "true" : "false").withUTF8Bytes(copy)
        case .number, .string:
            if n.kind == .string, n.flag { decoded(n).withUTF8Bytes(copy) } else {
                bytes.withUnsafeBufferPointer { copy(UnsafeBufferPointer(rebasing: $0[n.start..<n.end])) }
            }
        }
        return true
    }

    /// A string with escapes, decoded (it was checked when the tape was read).
    private func decoded(_ n: Node) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            parser.index = n.start - 1
            return (try? parser.string()) ?? ""
        }
    }

    /// A short name of the kind of value, for error messages (as `JSONValue.kindName`).
    public func kindName(_ node: Int) -> String { nodes[node].kind.name }
}

extension JSONParser {
    /// Appends the value at `index` and what `keep` keeps under it to `nodes`, checking everything
    /// as `value(_:)` does.
    mutating func tapeValue(_ keep: JSONProjection, into nodes: inout [JSONTape.Node]) throws {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        let at = nodes.count
        switch bytes[index] {
        case UInt8(ascii: "{"):
            nodes.append(JSONTape.Node(kind: .object, flag: false, ascii: false, start: index, end: index, next: 0))
            try eachMember(key: { try $0.skipString() }) { parser, key in
                if let node = keep.node(for: key, of: parser) {
                    nodes.append(JSONTape.Node(kind: .string, flag: key.escaped, ascii: key.plain, start: key.start, end: key.end, next: nodes.count + 1))
                    try parser.tapeValue(node, into: &nodes)
                } else {
                    try parser.skipValue()
                }
            }
        case UInt8(ascii: "["):
            nodes.append(JSONTape.Node(kind: .array, flag: false, ascii: false, start: index, end: index, next: 0))
            let elements = keep.elements
            try eachElement { parser in
                if let elements {
                    try parser.tapeValue(elements, into: &nodes)
                } else {
                    let start = parser.index
                    try parser.skipValue()
                    nodes.append(JSONTape.Node(kind: .null, flag: false, ascii: false, start: start, end: start, next: nodes.count + 1))
                }
            }
        case UInt8(ascii: "\""):
            let span = try skipString()
            nodes.append(JSONTape.Node(kind: .string, flag: span.escaped, ascii: span.plain, start: span.start, end: span.end, next: 0))
        case UInt8(ascii: "t"):
            try literal("true")
            nodes.append(JSONTape.Node(kind: .bool, flag: true, ascii: false, start: index, end: index, next: 0))
        case UInt8(ascii: "f"):
            try literal("false")
            nodes.append(JSONTape.Node(kind: .bool, flag: false, ascii: false, start: index, end: index, next: 0))
        case UInt8(ascii: "n"):
            try literal("null")
            nodes.append(JSONTape.Node(kind: .null, flag: false, ascii: false, start: index, end: index, next: 0))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try scanNumber()
            nodes.append(JSONTape.Node(kind: .number, flag: false, ascii: true, start: start, end: index, next: 0))
        default: throw failure("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
        nodes[at].next = nodes.count
    }
}


extension JSONTape {
    /// The value at `node` and everything kept under it, as `JSONParser` builds it.
    public func value(_ node: Int) -> JSONValue {
        switch nodes[node].kind {
        case .null: return .null
        case .bool: return .bool(nodes[node].flag)
        case .number: return .number(text(node) ?? "")
        case .string: return .string(text(node) ?? "")
        case .array: return .array(elements(of: node).map(value))
        case .object:
            var members: [(key: String, value: JSONValue)] = []
            var i = node + 1
            while i < nodes[node].next {
                members.append((text(i) ?? "", value(i + 1)))
                i = nodes[i + 1].next
            }
            return .object(members)
        }
    }
}
