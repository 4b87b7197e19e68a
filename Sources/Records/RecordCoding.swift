/// JSONL and CSV encodings of records, with a fixed column order so outputs are byte-stable.
public enum RecordCoding {
    /// One JSON object line (no trailing newline): the fields in `columns` order, then metadata.
    public static func jsonLine(_ record: Record, columns: [String]) -> String {
        var out = "{"
        var first = true
        func add(_ key: String, _ value: String?) {
            if !first { out.append(",") }
            first = false
            JSONWriter.appendString(key, to: &out)
            out.append(":")
            if let value { JSONWriter.appendString(value, to: &out) } else { out.append("null") }
        }
        for c in columns { add(c, record.fields[c]) }
        for m in Record.metaColumns { if let v = record.meta(m) { add(m, v) } }
        out.append("}")
        return out
    }

    /// Reads a line written by `jsonLine` (or any flat JSON object) back into a record.
    /// - throws: `JSONParser.Failure` for malformed JSON, `RecordError.notScalar` for nested values.
    public static func record(fromJSONLine line: Substring) throws -> Record {
        let value = try JSONParser.parse(Array(line.utf8))
        guard case let .object(members) = value else {
            throw RecordError.notScalar(field: "(line)", path: "$", kind: value.kindName)
        }
        var record = Record(fields: [:])
        for (key, v) in members {
            let text: String?
            switch v {
            case .null: text = nil
            case .array, .object: text = JSONWriter.serialize(v)
            default: text = v.scalarText
            }
            switch key {
            case "_split": record.split = text
            case "_archive": record.archive = text ?? ""
            case "_entry": record.entry = text ?? ""
            case "_origin": record.origin = text
            default: if let text { record.fields[key] = text }
            }
        }
        return record
    }

    /// The CSV header line for `columns` plus metadata (RFC 4180, CRLF).
    public static func csvHeader(columns: [String]) -> String {
        (columns + Record.metaColumns).map(csvField).joined(separator: ",") + "\r\n"
    }

    /// One CSV row (RFC 4180, CRLF); null is an empty field.
    public static func csvRow(_ record: Record, columns: [String]) -> String {
        let values = columns.map { record.fields[$0] } + Record.metaColumns.map { record.meta($0) }
        return values.map { csvField($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    /// Quotes a field when it holds a comma, quote, CR or LF, doubling inner quotes.
    public static func csvField(_ text: String) -> String {
        var t = text
        let plain = t.withUTF8 { bytes -> Bool in
            for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return false }
            return true
        }
        if plain { return text }
        var out = "\""
        for ch in text.unicodeScalars {
            if ch == "\"" { out.append("\"\"") } else { out.unicodeScalars.append(ch) }
        }
        return out + "\""
    }
}
