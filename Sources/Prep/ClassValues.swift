import JSON
import Records

/// The class values of rows that are not held (`StreamedHead`): for every field that may be a class
/// field, each distinct value is kept once and each row holds two bytes per field, so that the
/// counts over any subset of the rows (a stage's kept rows) come out as `ClassCounts.of` those rows.
///
/// A field with more than `maxDistinct` values over all rows stops being tracked (ids, titles): it
/// cannot be a class field of a subset either, unless a stage removed nearly every row.
struct ClassValues {
    static let maxDistinct = 1024

    /// The stage's columns, in order; `candidates` are their positions that may be class fields.
    private let columns: [String]
    private let candidates: [Int]
    /// Each candidate's values: open addressing over `tableSize` slots (code + 1, 0 where free),
    /// found by `ByteKey.wordHash` of the bytes and checked byte for byte. A `ByteKey` per
    /// row (SipHash, a dictionary) was most of the tally's time.
    private var tables: [[UInt16]]
    private var hashes: [[UInt64]]
    private var texts: [[String]]
    private var open: [Bool]
    /// Row `r`'s value of candidate `k` is `texts[k][Int(codes[r * candidates.count + k])]`.
    private var codes: [UInt16] = []
    private(set) var rows = 0
    /// Each candidate's value in the row before (a code), and the slots of the last layout seen.
    private var last: [UInt16?]
    private var layout: [String] = []
    private var slots: [Int?] = []

    init(columns: [String]) {
        self.columns = columns
        candidates = columns.indices.filter { !columns[$0].hasPrefix("_") && columns[$0] != "id" }
        tables = candidates.map { _ in [UInt16](repeating: 0, count: Self.tableSize) }
        hashes = candidates.map { _ in [] }
        texts = candidates.map { _ in [] }
        open = candidates.map { _ in true }
        last = candidates.map { _ in nil }
    }

    /// Twice `maxDistinct`, a power of two.
    private static let tableSize = 2048

    mutating func add(_ r: Record) {
        add(names: r.fields.names, values: r.fields.slots)
    }

    /// Adds `rows` in order, read in place (a copy of each row retained every value).
    mutating func add(_ rows: UnsafeBufferPointer<Record>) {
        for i in rows.indices { add(names: rows[i].fields.names, values: rows[i].fields.slots) }
    }

    private mutating func add(names: [String], values: [String?]) {
        // Rows of one layout (most rows) find their values by slot, not by name.
        if names != layout {
            layout = names
            slots = candidates.map { layout.firstIndex(of: columns[$0]) }
        }
        for k in candidates.indices {
            guard open[k] else { codes.append(0); continue }
            let value = slots[k].flatMap { values[$0] } ?? "(null)"
            // Neighbouring rows often share a value (rows come grouped by archive): no hash then.
            if let last = last[k], FastText.sameBytes(texts[k][Int(last)], value) {
                codes.append(last)
                continue
            }
            let h = value.withUTF8Bytes { ByteKey.wordHash(UnsafeRawBufferPointer($0)) }
            var slot = Int(truncatingIfNeeded: h) & (Self.tableSize - 1)
            var found: UInt16?
            while tables[k][slot] != 0 {
                let code = tables[k][slot] - 1
                if hashes[k][Int(code)] == h, FastText.sameBytes(texts[k][Int(code)], value) { found = code; break }
                slot = (slot + 1) & (Self.tableSize - 1)
            }
            if let code = found {
                codes.append(code)
                last[k] = code
            } else if texts[k].count < Self.maxDistinct {
                let code = UInt16(texts[k].count)
                last[k] = code
                tables[k][slot] = code + 1
                hashes[k].append(h)
                codes.append(code)
                texts[k].append(value)
            } else {
                open[k] = false
                tables[k] = []
                hashes[k] = []
                texts[k] = []
                last[k] = nil
                codes.append(0)
            }
        }
        rows += 1
    }

    /// `ClassCounts.of` the rows at `positions` (all rows when nil).
    func counts(of positions: [Int]? = nil) -> JSONValue {
        let n = candidates.count
        // One flat table, candidate `k`'s counts from `base[k]`, counted through raw pointers: a
        // table per candidate checked its uniqueness on every count, on the main thread between
        // the stages (milliseconds each time).
        var base = [Int](repeating: 0, count: n + 1)
        for k in 0..<n { base[k + 1] = base[k] + (open[k] ? texts[k].count : 0) }
        let openSlots = (0..<n).filter { open[$0] }
        var flat = [Int](repeating: 0, count: base[n])
        flat.withUnsafeMutableBufferPointer { counts in
            codes.withUnsafeBufferPointer { codes in
                func add(_ r: Int) { for k in openSlots { counts[base[k] + Int(codes[r * n + k])] += 1 } }
                if let positions { positions.forEach(add) } else { (0..<rows).forEach(add) }
            }
        }
        let tallies = (0..<n).map { k in Array(flat[base[k]..<base[k + 1]]) }
        var members: [(String, JSONValue)] = []
        // No rows: every candidate is a class field without values, as `ClassCounts.of([])` has it.
        if positions?.isEmpty ?? (rows == 0) { return .object(candidates.map { (columns[$0], .object([])) }) }
        for k in 0..<n where open[k] {
            let values = tallies[k].indices.filter { tallies[k][$0] > 0 }
            guard values.count <= ClassCounts.maxValues else { continue }
            let sorted = values.map { (texts[k][$0], tallies[k][$0]) }.sorted { $0.0 < $1.0 }
            members.append((columns[candidates[k]], .object(sorted.map { ($0.0, .number(String($0.1))) })))
        }
        return .object(members)
    }
}
