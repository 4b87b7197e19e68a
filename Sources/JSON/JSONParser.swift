import CByteScan

/// A strict, fast JSON parser over UTF-8 bytes (RFC 8259) that reports line and column on error.
public struct JSONParser {
    /// Why a document is not valid JSON, and where.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let message: String
        public let line: Int
        public let column: Int
        public var description: String { "\(message) at line \(line), column \(column)" }
    }

    /// The document, borrowed for the duration of `parse` (no bounds checks or reference counting
    /// per byte in release builds).
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    static let maxDepth = 512

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses one JSON document; a UTF-8 byte-order mark is accepted.
    /// - throws: `JSONParser.Failure` naming the line and column of the first error.
    public static func parse<Bytes: Collection<UInt8>>(_ input: Bytes) throws -> JSONValue {
        try parse(Array(input))
    }

    /// The same for a byte array, without generic dispatch (callers in other modules get this one).
    public static func parse(_ input: [UInt8]) throws -> JSONValue {
        try input.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
            parser.skipSpace()
            let value = try parser.value()
            parser.skipSpace()
            if parser.index < buffer.count { throw parser.failure("unexpected text after the JSON value") }
            return value
        }
    }

    public static func parse(_ text: String) throws -> JSONValue { try parse(Array(text.utf8)) }

    /// Parses one JSON document, building values only where `projection` keeps them; every other
    /// value is checked all the same (a document fails here exactly when `parse(_:)` fails, with the
    /// same message and place) and kept as `null` under its key.
    public static func parse(_ input: [UInt8], keeping projection: JSONProjection) throws -> JSONValue {
        if projection.keepsAll { return try parse(input) }
        return try input.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
            parser.skipSpace()
            let value = try parser.value(projection)
            parser.skipSpace()
            if parser.index < buffer.count { throw parser.failure("unexpected text after the JSON value") }
            return value
        }
    }

    func failure(_ message: String) -> Failure {
        var line = 1, column = 1
        for b in bytes[..<min(index, bytes.count)] {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return Failure(message: message, line: line, column: column)
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func value() throws -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
    }

    mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        let count = expected.count
        guard index + count <= bytes.count, UnsafeBufferPointer(rebasing: bytes[index..<index + count]).elementsEqual(expected) else {
            throw failure("invalid literal, expected '\(word)'")
        }
        index += count
    }

    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw failure("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func object() throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        try eachMember(key: { try $0.string() }) { parser, key in members.append((key, try parser.value())) }
        return .object(members)
    }

    private mutating func array() throws -> JSONValue {
        var items: [JSONValue] = []
        try eachElement { parser in items.append(try parser.value()) }
        return .array(items)
    }

    /// The grammar of an object: `key` reads each key (from its opening quote), `member` each value.
    mutating func eachMember<Key>(key readKey: (inout JSONParser) throws -> Key, _ member: (inout JSONParser, Key) throws -> Void) throws {
        try enter(); defer { depth -= 1 }
        index += 1
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a quoted object key")
            }
            let keyStart = index
            let key = try readKey(&self)
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                var again = self
                again.index = keyStart
                throw failure("expected ':' after key \"\((try? again.string()) ?? "")\"")
            }
            index += 1
            skipSpace()
            try member(&self, key)
            skipSpace()
            guard index < bytes.count else { throw failure("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return }
            throw failure("expected ',' or '}' in object")
        }
    }

    /// The grammar of an array, calling `element` with the parser at each value.
    mutating func eachElement(_ element: (inout JSONParser) throws -> Void) throws {
        try enter(); defer { depth -= 1 }
        index += 1
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
        while true {
            skipSpace()
            try element(&self)
            skipSpace()
            guard index < bytes.count else { throw failure("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return }
            throw failure("expected ',' or ']' in array")
        }
    }

    private mutating func number() throws -> String {
        let start = index
        try scanNumber()
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// Moves past a number, checking its grammar.
    mutating func scanNumber() throws {
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits() -> Int {
            let s = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - s
        }
        guard index < bytes.count else { throw failure("incomplete number") }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else if digits() == 0 { throw failure("invalid number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits() == 0 { throw failure("expected digits after '.'") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if digits() == 0 { throw failure("expected digits in exponent") }
        }
    }

    mutating func string() throws -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            // Up to the next quote, backslash or control character, sixteen bytes at a time.
            index += harness_scan_json_string(bytes.baseAddress! + index, bytes.count - index, nil)
            guard index < bytes.count else { break }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = try validUTF8(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw failure("control character in string") }
            index += 1
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") { index += 1; return try out.withUnsafeBufferPointer { try validUTF8($0) } }
            if b < 0x20 { throw failure("control character in string") }
            if b != UInt8(ascii: "\\") { out.append(b); index += 1; continue }
            index += 1
            guard index < bytes.count else { break }
            let scalar = try escapedScalar()
            if scalar < 0x80 { out.append(UInt8(scalar)) } else { UTF8.encode(Unicode.Scalar(scalar)!) { out.append($0) } }
        }
        throw failure("unterminated string")
    }

    /// Reads one escape, `index` just past its backslash, and returns the scalar it stands for
    /// (`\ud83d\ude00` pairs into one). Errors point at the escape's character.
    mutating func escapedScalar() throws -> UInt32 {
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return UInt32(e)
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"):
            let scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("unpaired surrogate in \\u escape")
                }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("invalid low surrogate") }
                return 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            if (0xDC00...0xDFFF).contains(scalar) { throw failure("unpaired surrogate in \\u escape") }
            return scalar
        default: index -= 1; throw failure("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("incomplete \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - 55
            default: throw failure("invalid hex digit in \\u escape")
            }
            v = v << 4 | UInt32(d)
            index += 1
        }
        return v
    }

    /// Each string is validated once, as it becomes a `String` (bytes outside strings are ASCII
    /// syntax, checked by the grammar).
    private func validUTF8(_ slice: UnsafeBufferPointer<UInt8>) throws -> String {
        guard let s = String(validating: slice, as: UTF8.self) else { throw failure("invalid UTF-8 in string") }
        return s
    }
}
