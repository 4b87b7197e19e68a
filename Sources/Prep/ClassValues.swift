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
    private var tables: [[ByteKey: UInt16]]
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
        tables = candidates.map { _ in [:] }
        texts = candidates.map { _ in [] }
        open = candidates.map { _ in true }
        last = candidates.map { _ in nil }
    }

    mutating func add(_ r: Record) {
        // Rows of one layout (most rows) find their values by slot, not by name.
        if r.fields.names != layout {
            layout = r.fields.names
            slots = candidates.map { layout.firstIndex(of: columns[$0]) }
        }
        let values = r.fields.slots
        for k in candidates.indices {
            guard open[k] else { codes.append(0); continue }
            let value = slots[k].flatMap { values[$0] } ?? "(null)"
            // Neighbouring rows often share a value (rows come grouped by archive): no hash then.
            if let last = last[k], FastText.sameBytes(texts[k][Int(last)], value) {
                codes.append(last)
                continue
            }
            let key = ByteKey(value)
            if let code = tables[k][key] {
                codes.append(code)
                last[k] = code
            } else if texts[k].count < Self.maxDistinct {
                last[k] = UInt16(texts[k].count)
                tables[k][key] = UInt16(texts[k].count)
                codes.append(UInt16(texts[k].count))
                texts[k].append(key.text)
            } else {
                open[k] = false
                tables[k] = [:]
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
        var tallies = candidates.indices.map { [Int](repeating: 0, count: open[$0] ? texts[$0].count : 0) }
        func add(_ r: Int) { for k in 0..<n where open[k] { tallies[k][Int(codes[r * n + k])] += 1 } }
        if let positions { positions.forEach(add) } else { (0..<rows).forEach(add) }
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
