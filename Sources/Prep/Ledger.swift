import JSON
import Records
import Support

/// The removal ledger: one JSON line per removed row, in `<out>/removed/NN-stage.jsonl`.
///
///     {"stage":"drop","reason":"duplicate title+body (train)","duplicate_of":{"id":"EC_M01_000123","split":"train"},
///      "row":{"id":"EC_M01_000456","title":"...","_split":"train",...}}
///
/// Near-duplicates also carry `"jaccard"`. The rows of a stage's ledger and its output add up to its input.
/// The ingest's ledger (`removed/00-ingest.jsonl`) names what it skipped by location instead, since a
/// skipped entry never became a row: `{"stage":"ingest","reason":"malformed JSON","location":"a.zip!b.json"}`.
enum Ledger {
    static func line(_ r: Removal, stage: String, columns: [String]) -> String {
        String(decoding: bytes(r, stage: stage, encoder: RecordCoding.Encoder(columns: columns)), as: UTF8.self)
    }

    /// The same line as UTF-8 bytes, without its newline (the writer's path).
    static func bytes(_ r: Removal, stage: String, encoder: RecordCoding.Encoder) -> [UInt8] {
        var out = head(reason: r.reason, duplicateOf: r.duplicateOf, jaccard: r.jaccard, stage: stage)
        encoder.appendJSON(r.record, to: &out)
        out.append(0x7D)
        return out
    }

    /// The same line for a row already encoded (`row`: the bytes `encoder.appendJSON` gives), as a
    /// stage whose rows wait on disk writes it (`StreamedHead`).
    static func bytes(reason: String, duplicateOf: (id: String, split: String)? = nil, stage: String, row: UnsafeRawBufferPointer) -> [UInt8] {
        var out = head(reason: reason, duplicateOf: duplicateOf, jaccard: nil, stage: stage)
        out.append(contentsOf: row)
        out.append(0x7D)
        return out
    }

    /// A line up to and including `"row":`.
    private static func head(reason: String, duplicateOf: (id: String, split: String)?, jaccard: Double?, stage: String) -> [UInt8] {
        // Literal parts go straight into the line (no array per literal): a sample writes one line
        // for every row it leaves out.
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        func add(_ text: StaticString) { JSONWriter.appendLiteral(text, to: &out) }
        add("{\"stage\":")
        JSONWriter.appendString(stage, to: &out)
        add(",\"reason\":")
        JSONWriter.appendString(reason, to: &out)
        if let d = duplicateOf {
            add(",\"duplicate_of\":{\"id\":")
            JSONWriter.appendString(d.id, to: &out)
            add(",\"split\":")
            JSONWriter.appendString(d.split, to: &out)
            out.append(0x7D)
        }
        if let j = jaccard {
            add(",\"jaccard\":")
            out.append(contentsOf: Format.number(j, digits: 4).utf8)
        }
        add(",\"row\":")
        return out
    }

    /// An ingest ledger line: what was skipped gave no row, so it is named by where it was read.
    static func skipped(at location: String, reason: String) -> String {
        var out = "{\"stage\":\"ingest\",\"reason\":"
        JSONWriter.appendString(reason, to: &out)
        out += ",\"location\":"
        JSONWriter.appendString(location, to: &out)
        return out + "}"
    }
}
