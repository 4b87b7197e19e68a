/// Rows by the hash of their duplicate key; rows whose hashes collide are told apart by their keys.
///
/// A row is inserted only when no row with its key is there, so rows sharing a hash have different
/// keys: a true collision, rare. The first row of each hash is kept in one table and the others
/// beside it, so that a row costs no array of its own (one per row took a tenth of a second
/// of the drop at 200,000 rows).
struct KeyTable {
    private var firstRow: [Int: Int] = [:]
    /// The rows after the first of a hash, in the order inserted.
    private var more: [Int: [Int]] = [:]

    init(capacity: Int = 0) { firstRow.reserveCapacity(capacity) }

    /// The first row inserted whose key equals row `i`'s, if any.
    func first(matching i: Int, hash: Int, same: (Int, Int) -> Bool) -> Int? {
        guard let row = firstRow[hash] else { return nil }
        if same(row, i) { return row }
        return more[hash]?.first { same($0, i) }
    }

    mutating func insert(_ i: Int, hash: Int) {
        if firstRow[hash] == nil { firstRow[hash] = i } else { more[hash, default: []].append(i) }
    }

    /// Inserts row `i` unless a row with the same key is there already.
    mutating func insertIfNew(_ i: Int, hash: Int, same: (Int, Int) -> Bool) {
        if first(matching: i, hash: hash, same: same) == nil { insert(i, hash: hash) }
    }
}
