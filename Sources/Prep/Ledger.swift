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
        var out = "{\"stage\":"
        JSONWriter.appendString(stage, to: &out)
        out += ",\"reason\":"
        JSONWriter.appendString(r.reason, to: &out)
        if let d = r.duplicateOf {
            out += ",\"duplicate_of\":{\"id\":"
            JSONWriter.appendString(d.id, to: &out)
            out += ",\"split\":"
            JSONWriter.appendString(d.split, to: &out)
            out += "}"
        }
        if let j = r.jaccard { out += ",\"jaccard\":" + Format.number(j, digits: 4) }
        out += ",\"row\":" + RecordCoding.jsonLine(r.record, columns: columns) + "}"
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
