/// Serialises values as compact JSON (UTF-8, no escaping of non-ASCII), byte-stable.
public enum JSONWriter {
    /// Appends `text` as a JSON string literal. Runs of bytes that need no escape are copied whole;
    /// a text that needs none (the common case) is appended in one piece.
    public static func appendString(_ text: String, to out: inout String) {
        out.append("\"")
        var t = text
        let clean = t.withUTF8 { bytes -> Bool in
            for b in bytes where b < 0x20 || b == 0x22 || b == 0x5C || b == 0xE2 { return false }
            return true
        }
        if clean {
            out.append(text)
        } else {
            appendEscaped(text, to: &out)
        }
        out.append("\"")
    }

    private static func appendEscaped(_ text: String, to out: inout String) {
        let utf8 = text.utf8
        var runStart = utf8.startIndex
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let b = utf8[i]
            var escape: String?
            switch b {
            case 0x22: escape = "\\\""
            case 0x5C: escape = "\\\\"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0..<0x20:
                let hex = String(b, radix: 16)
                escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8/A9) break JavaScript readers of JSONL.
                let n1 = utf8.index(after: i)
                if n1 != utf8.endIndex, utf8[n1] == 0x80 {
                    let n2 = utf8.index(after: n1)
                    if n2 != utf8.endIndex, utf8[n2] == 0xA8 || utf8[n2] == 0xA9 {
                        out.append(contentsOf: text[runStart..<i])
                        out.append(utf8[n2] == 0xA8 ? "\\u2028" : "\\u2029")
                        i = utf8.index(after: n2)
                        runStart = i
                        continue
                    }
                }
            default: break
            }
            if let escape {
                out.append(contentsOf: text[runStart..<i])
                out.append(escape)
                i = utf8.index(after: i)
                runStart = i
            } else {
                i = utf8.index(after: i)
            }
        }
        out.append(contentsOf: text[runStart..<utf8.endIndex])
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
