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
        var tallies = [Tally](repeating: Tally(), count: candidates.count)
        var stillOpen = candidates.count
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
            for k in candidates.indices where tallies[k].open {
                tallies[k].add(slots[k].flatMap { values[$0] } ?? "(null)")
                if !tallies[k].open { stillOpen -= 1 }
            }
        }
        return tallies.map { $0.open ? $0.counts : nil }
    }

    /// One field's rows per value, while it has at most `maxValues` values. A value is found by a
    /// cheap hash of its bytes (FNV-1a) in a small open-addressing table and checked byte for byte:
    /// a `ByteKey` per row (SipHash, a dictionary) was most of the count's time.
    private struct Tally {
        private var texts: [String] = []
        private var hashes: [UInt64] = []
        private var rows: [Int] = []
        /// Slots into `texts`, -1 where free: four times `maxValues`, a power of two.
        private var table = [Int32](repeating: -1, count: 256)
        private(set) var open = true

        mutating func add(_ value: String) {
            let h = value.withUTF8Bytes { bytes in
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
                return h
            }
            var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & (table.count - 1)
            while table[i] >= 0 {
                let slot = Int(table[i])
                if hashes[slot] == h, FastText.sameBytes(texts[slot], value) {
                    rows[slot] += 1
                    return
                }
                i = (i + 1) & (table.count - 1)
            }
            // A value more than `maxValues` makes this no class field.
            guard texts.count < ClassCounts.maxValues else {
                open = false
                return
            }
            table[i] = Int32(texts.count)
            texts.append(value)
            hashes.append(h)
            rows.append(1)
        }

        var counts: [ByteKey: Int] {
            Dictionary(uniqueKeysWithValues: zip(texts.map(ByteKey.init), rows))
        }
    }
}
