import Records

extension Array where Element == Record {
    /// Rearranges the rows by moving them, never copying: the rows at `kept`, in that order, become
    /// the array, and each row at `removed[j]` is handed to `take(j, row)`. Every position appears at
    /// most once in `kept` and `removed` together; rows at no position of either are dropped.
    ///
    /// A copied row retains each of its texts, and the old array then releases them again: two
    /// visits to every text's header, scattered over the heap, which made the whole-set stages
    /// (drop, sample) spend most of their time on rows they did not change.
    mutating func moveRows(keeping kept: [Int], removing removed: [Int] = [], into take: (Int, Record) -> Void = { _, _ in }) {
        guard !isEmpty else { return }
        var out: [Record] = []
        out.reserveCapacity(kept.count)
        // A moved-out slot holds an empty row until the old array goes: it owns nothing to release.
        let empty = Record(fields: Fields())
        withUnsafeMutableBufferPointer { rows in
            let base = rows.baseAddress!
            for i in kept {
                precondition(rows.indices.contains(i), "moveRows: row \(i) of \(rows.count)")
                out.append((base + i).move())
                (base + i).initialize(to: empty)
            }
            for (j, i) in removed.enumerated() {
                precondition(rows.indices.contains(i), "moveRows: row \(i) of \(rows.count)")
                let row = (base + i).move()
                (base + i).initialize(to: empty)
                take(j, row)
            }
        }
        self = out
    }
}
