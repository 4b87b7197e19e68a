import CByteScan

/// Serialises values as compact JSON (UTF-8, no escaping of non-ASCII), byte-stable.
public enum JSONWriter {
    /// Appends `text` as a JSON string literal. Runs of bytes that need no escape are copied whole;
    /// a text that needs none (the common case) is appended in one piece.
    public static func appendString(_ text: String, to out: inout String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        appendString(text, to: &bytes)
        out.append(String(decoding: bytes, as: UTF8.self))
    }

    /// The same as UTF-8 bytes, without going through `String` (the writers' hot path).
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        text.withUTF8Bytes { appendString(bytes: $0, to: &out) }
    }

    /// `appendString` of the text whose UTF-8 bytes these are.
    public static func appendString(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        appendEscaped(bytes, to: &out)
        out.append(0x22)
    }

    /// Bytes that end a run of plain bytes: controls, `"`, `\\` and 0xE2 (the lead byte of U+2028/9).
    private static let stops: [Bool] = (0...255).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let n = bytes.count
        var runStart = 0
        var i = 0
        stops.withUnsafeBufferPointer { stop in
            while i < n {
                // Up to the next byte that needs a look, sixteen bytes at a time (most text).
                i += harness_scan_json_escape(bytes.baseAddress! + i, n - i)
                guard i < n else { break }
                let b = bytes[i]
                if !stop[Int(b)] { i += 1; continue }
                var escape: StaticString?
                var hex: UInt8?
                switch b {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0xE2:
                    // U+2028 and U+2029 (E2 80 A8/A9) break JavaScript readers of JSONL.
                    if i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                        out.append(contentsOf: bytes[i + 2] == 0xA8 ? Array("\\u2028".utf8) : Array("\\u2029".utf8))
                        i += 3
                        runStart = i
                    } else {
                        i += 1
                    }
                    continue
                default: hex = b
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                if let escape {
                    appendLiteral(escape, to: &out)
                } else if let hex {
                    let digits: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, digits[Int(hex >> 4)], digits[Int(hex & 15)]])
                }
                i += 1
                runStart = i
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n]))
    }

    /// Appends JSON text written in the source as is (`{"instruction":`), with no array made for it.
    public static func appendLiteral(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    public static func quoted(_ text: String) -> String {
        var s = ""
        appendString(text, to: &s)
        return s
    }

    /// Serialises a whole value.
    public static func serialize(_ value: JSONValue) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    public static func append(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null: out.append("null")
        case let .bool(b): out.append(b ? "true" : "false")
        case let .number(n): out.append(n)
        case let .string(s): appendString(s, to: &out)
        case let .array(items):
            out.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(",") }
                append(item, to: &out)
            }
            out.append("]")
        case let .object(members):
            out.append("{")
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(",") }
                appendString(m.key, to: &out)
                out.append(":")
                append(m.value, to: &out)
            }
            out.append("}")
        }
    }
}
