import JSON
import Records
import Support

/// Rows per value of every low-cardinality field of a stage's output (type, label, category, ...),
/// kept in the stage's details so that `prep report` can show what each stage did to the classes
/// without the stage's rows being written to disk.
enum ClassCounts {
    /// Fields with more distinct values than this are not classes (ids, titles) and are left out.
    static let maxValues = 64

    /// `{field: {value: rows}}`, fields in column order, values sorted; null counts as `(null)`.
    static func of(_ records: [Record], fields: [String]) -> JSONValue {
        // Keys by bytes (`ByteKey`): a `String` key hashes through Unicode normalisation, which made
        // this count a visible part of every stage on Korean category names.
        let candidates = fields.filter { !$0.hasPrefix("_") && $0 != "id" }
        // Counted in one chunk per core and merged: a field is a class field when all its chunks
        // together have at most `maxValues` values (a chunk over the limit settles it early).
        let workers = max(1, min(System.cores, records.count / 4096))
        let size = (records.count + workers - 1) / workers
        let parts = (try? Parallel.map(0..<workers, minimumPerWorker: 1) { w in
            count(records[min(records.count, w * size)..<min(records.count, (w + 1) * size)], candidates)
        }) ?? []
        var counts = [[ByteKey: Int]](repeating: [:], count: candidates.count)
        var open = [Bool](repeating: true, count: candidates.count)
        for part in parts {
            for k in candidates.indices where open[k] {
                guard let m = part[k] else { open[k] = false; counts[k] = [:]; continue }
                counts[k].merge(m, uniquingKeysWith: +)
                if counts[k].count > maxValues { open[k] = false; counts[k] = [:] }
            }
        }
        let byField = Dictionary(uniqueKeysWithValues: candidates.indices.filter { open[$0] }.map { (candidates[$0], counts[$0]) })
        return .object(fields.compactMap { f in
            guard let m = byField[f] else { return nil }
            let values = m.map { ($0.key.text, $0.value) }.sorted { $0.0 < $1.0 }
            return (f, .object(values.map { ($0.0, .number(String($0.1))) }))
        })
    }

    /// Counts per candidate field over `rows`; nil for a field with more than `maxValues` values.
    private static func count(_ rows: ArraySlice<Record>, _ candidates: [String]) -> [[ByteKey: Int]?] {
        var counts = [[ByteKey: Int]?](repeating: [:], count: candidates.count)
        var stillOpen = candidates.count
        let null = ByteKey("(null)")
        // Rows of one stage share their array of names: each candidate's slot is found once per
        // layout, not by comparing names on every row.
        var layout: [String] = []
        var slots: [Int?] = candidates.map { _ in nil }
        for r in rows {
            if stillOpen == 0 { break }
            if r.fields.names != layout {
                layout = r.fields.names
                slots = candidates.map { layout.firstIndex(of: $0) }
            }
            let values = r.fields.slots
            for k in candidates.indices where counts[k] != nil {
                counts[k]![slots[k].flatMap { values[$0] }.map(ByteKey.init) ?? null, default: 0] += 1
                if counts[k]!.count > maxValues { counts[k] = nil; stillOpen -= 1 }
            }
        }
        return counts
    }
}
