import CByteScan

/// A string's bytes between its quotes; `plain` when they are ASCII without escapes, so that the
/// bytes are the text.
struct StringSpan {
    let start: Int
    let end: Int
    let plain: Bool
    /// Whether the string has escapes (its bytes are then not its text).
    let escaped: Bool
}

/// Parsing with a `JSONProjection`: values are built only where the projection keeps them, and every
/// other value is skipped with the same checks, messages and positions as `value()`, without
/// allocating (strings are validated in place).
extension JSONParser {
    mutating func value(_ keep: JSONProjection) throws -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(keep)
        case UInt8(ascii: "["): return try array(keep)
        default: return try value()
        }
    }

    private mutating func kept(_ keep: JSONProjection) throws -> JSONValue {
        keep.keepsAll ? try value() : try value(keep)
    }

    /// The kept members only: a member no path reaches is checked and left out (a field error is
    /// reported after parsing the whole document again, so messages still see every key).
    private mutating func object(_ keep: JSONProjection) throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        try eachMember(key: { try $0.skipString() }) { parser, key in
            if let (name, node) = keep.member(key, of: parser) {
                members.append((name, try parser.kept(node)))
            } else {
                try parser.skipValue()
            }
        }
        return .object(members)
    }

    /// Every element, so indexes stay right; an element nothing reaches is checked and kept as null.
    private mutating func array(_ keep: JSONProjection) throws -> JSONValue {
        var items: [JSONValue] = []
        if let elements = keep.elements {
            try eachElement { parser in items.append(try parser.kept(elements)) }
        } else {
            try eachElement { parser in try parser.skipValue(); items.append(.null) }
        }
        return .array(items)
    }

    /// The text of a string already checked by `skipString`.
    func text(of span: StringSpan) -> String {
        if span.plain { return String(decoding: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]), as: UTF8.self) }
        var again = self
        again.index = span.start - 1
        return (try? again.string()) ?? ""
    }

    /// Moves past one value, checking it as `value()` does.
    mutating func skipValue() throws {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try eachMember(key: { try $0.skipString() }) { parser, _ in try parser.skipValue() }
        case UInt8(ascii: "["): try eachElement { parser in try parser.skipValue() }
        case UInt8(ascii: "\""): _ = try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw failure("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
    }

    /// Moves past a string, checking it as `string()` does: control characters and escapes where
    /// they are met, UTF-8 once the string ends (at its closing quote, or just after it when the
    /// string has escapes, as `string()` reports it).
    @discardableResult
    mutating func skipString() throws -> StringSpan {
        index += 1
        let start = index
        var segment = index
        var valid = true
        var escaped = false
        var high: UInt8 = 0
        while index < bytes.count {
            // Up to the next quote, backslash or control character, sixteen bytes at a time.
            index += harness_scan_json_string(bytes.baseAddress! + index, bytes.count - index, &high)
            guard index < bytes.count else { break }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                valid = valid && Self.isValidUTF8(bytes, segment, index)
                if escaped { index += 1 }
                if !valid { throw failure("invalid UTF-8 in string") }
                if !escaped { index += 1 }
                return StringSpan(start: start, end: index - 1, plain: !escaped && high < 0x80, escaped: escaped)
            }
            if b < 0x20 { throw failure("control character in string") }
            high |= b
            if b != UInt8(ascii: "\\") { index += 1; continue }
            // Raw bytes and escapes never join into one scalar (escapes give whole scalars), so each
            // raw run is valid exactly when the decoded string would be.
            valid = valid && Self.isValidUTF8(bytes, segment, index)
            escaped = true
            index += 1
            guard index < bytes.count else { break }
            _ = try escapedScalar()
            segment = index
        }
        throw failure("unterminated string")
    }

    /// Whether `bytes[from..<to]` is well-formed UTF-8 (Unicode 15, table 3-7), as `String(validating:)` checks it.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        // Long runs sixteen bytes at a time (`harness_utf8_valid`, where the processor has it): the
        // check below takes a step per scalar, a visible part of the ingest on Korean text.
        if to - from >= 32 {
            let vector = harness_utf8_valid(bytes.baseAddress! + from, to - from)
            if vector >= 0 { return vector == 1 }
        }
        var i = from
        while i < to {
            // Eight ASCII bytes at a time.
            while i + 8 <= to, UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < to else { return true }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            // Three-byte scalars (Hangul, CJK) in a row, the common case of Korean text: both
            // continuation bytes at once, then the two leads whose second byte has a narrower range.
            // ASCII bytes between them (the spaces between words, punctuation) are taken in the same
            // loop: leaving it at every space cost more than the checks.
            if b & 0xF0 == 0xE0, i + 2 < to {
                let p = bytes.baseAddress!
                var j = i
                while j &+ 2 < to {
                    let lead = p[j]
                    if lead < 0x80 { j &+= 1; continue }
                    if lead & 0xF0 != 0xE0 { break }
                    let c1 = p[j &+ 1], c2 = p[j &+ 2]
                    if c1 & 0xC0 != 0x80 || c2 & 0xC0 != 0x80 || (lead == 0xE0 && c1 < 0xA0) || (lead == 0xED && c1 > 0x9F) { return false }
                    j &+= 3
                }
                i = j
                continue
            }
            @inline(__always) func continuation(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
                i + k < to && range.contains(bytes[i + k])
            }
            switch b {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0:
                guard continuation(1, 0xA0...0xBF), continuation(2) else { return false }
                i += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard continuation(1), continuation(2) else { return false }
                i += 3
            case 0xED:
                guard continuation(1, 0x80...0x9F), continuation(2) else { return false }
                i += 3
            case 0xF0:
                guard continuation(1, 0x90...0xBF), continuation(2), continuation(3) else { return false }
                i += 4
            case 0xF1...0xF3:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                i += 4
            case 0xF4:
                guard continuation(1, 0x80...0x8F), continuation(2), continuation(3) else { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
