import JSON

/// JSONL and CSV encodings of records, with a fixed column order so outputs are byte-stable.
public enum RecordCoding {
    /// One JSON object line (no trailing newline): the fields in `columns` order, then metadata.
    public static func jsonLine(_ record: Record, columns: [String]) -> String {
        var out: [UInt8] = []
        Encoder(columns: columns).appendJSON(record, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a line written by `jsonLine` (or any flat JSON object) back into a record.
    /// - throws: `JSONParser.Failure` for malformed JSON, `RecordError.notScalar` for nested values.
    public static func record(fromJSONLine line: Substring) throws -> Record {
        try record(fromJSON: Array(line.utf8))
    }

    /// `record(fromJSONLine:)` on the line's UTF-8 bytes.
    public static func record<Bytes: Collection<UInt8>>(fromJSON bytes: Bytes) throws -> Record {
        try record(fromJSON: bytes, columns: [])
    }

    /// A line written with `columns` read back as the record that was written: its fields have the
    /// slots of `columns` (one names array shared by every record read with them), absent ones nil,
    /// then any other key of the line.
    public static func record<Bytes: Collection<UInt8>>(fromJSON bytes: Bytes, columns: [String]) throws -> Record {
        // Read as a tape: only the texts become strings (no tree of values is built for a flat line).
        let tape = try JSONTape(Array(bytes), keeping: .everything)
        guard tape.kind(JSONTape.root) == .object else {
            throw RecordError.notScalar(field: "(line)", path: "$", kind: tape.kindName(JSONTape.root))
        }
        var record = Record(fields: Fields())
        var slots = [String?](repeating: nil, count: columns.count)
        // Keys that are no column, in the line's order.
        var others: [(String, String?)] = []
        var next = 0
        tape.forEachMember(of: JSONTape.root) { keyNode, v in
            let text: String?
            switch tape.kind(v) {
            case .null: text = nil
            case .array, .object: text = JSONWriter.serialize(tape.value(v))
            default: text = tape.text(v)
            }
            // Keys come in column order: the next column is tried first, by its bytes, before the
            // key is made a string and compared with the metadata keys (making every key and
            // comparing it with those four was a third of reading a line), which a field whose
            // name starts with `_` does not pass.
            if next < columns.count, tape.firstByte(keyNode) != UInt8(ascii: "_"), tape.hasBytes(keyNode, of: columns[next]) {
                slots[next] = text
                next += 1
                return
            }
            let key = tape.text(keyNode) ?? ""
            switch key {
            case "_split": record.split = text
            case "_archive": record.archive = text ?? ""
            case "_entry": record.entry = text ?? ""
            case "_origin": record.origin = text
            default:
                if let k = columns.firstIndex(of: key) {
                    slots[k] = text
                    next = k + 1
                } else if let i = others.firstIndex(where: { $0.0 == key }) {
                    others[i].1 = text  // a key given twice: the last value, as for a column
                } else if let text {
                    others.append((key, text))
                }
            }
        }
        if others.isEmpty {
            record.fields = Fields(names: columns, values: slots)
        } else {
            record.fields = Fields(names: columns + others.map(\.0), values: slots + others.map(\.1))
        }
        return record
    }

    /// The CSV header line for `columns` plus metadata (RFC 4180, CRLF).
    public static func csvHeader(columns: [String]) -> String {
        (columns + Record.metaColumns).map(csvField).joined(separator: ",") + "\r\n"
    }

    /// One CSV row (RFC 4180, CRLF); null is an empty field.
    public static func csvRow(_ record: Record, columns: [String]) -> String {
        var out: [UInt8] = []
        Encoder(columns: columns).appendCSV(record, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Quotes a field when it holds a comma, quote, CR or LF, doubling inner quotes.
    public static func csvField(_ text: String) -> String {
        var out: [UInt8] = []
        appendCSVField(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
