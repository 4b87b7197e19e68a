import Records

/// Rows per value of every low-cardinality field of a stage's output (type, label, category, ...),
/// kept in the stage's details so that `prep report` can show what each stage did to the classes
/// without the stage's rows being written to disk.
enum ClassCounts {
    /// Fields with more distinct values than this are not classes (ids, titles) and are left out.
    static let maxValues = 64

    /// `{field: {value: rows}}`, fields in column order, values sorted; null counts as `(null)`.
    static func of(_ records: [Record], fields: [String]) -> JSONValue {
        var counts: [String: [String: Int]] = [:]
        var open = Set(fields.filter { !$0.hasPrefix("_") && $0 != "id" })
        for r in records {
            if open.isEmpty { break }
            for f in open {
                let v = r.fields[f] ?? "(null)"
                counts[f, default: [:]][v, default: 0] += 1
                if counts[f]!.count > maxValues { open.remove(f); counts[f] = nil }
            }
        }
        return .object(fields.compactMap { f in
            guard open.contains(f), let m = counts[f] else { return nil }
            return (f, .object(m.keys.sorted().map { ($0, .number(String(m[$0]!))) }))
        })
    }
}
