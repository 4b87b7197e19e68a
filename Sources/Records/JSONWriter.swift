/// Serialises values as compact JSON (UTF-8, no escaping of non-ASCII), byte-stable.
public enum JSONWriter {
    /// Appends `text` as a JSON string literal.
    public static func appendString(_ text: String, to out: inout String) {
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{8}": out.append("\\b")
            case "\u{C}": out.append("\\f")
            case "\u{2028}": out.append("\\u2028")
            case "\u{2029}": out.append("\\u2029")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
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
