/// Rows by the hash of their duplicate key; rows whose hashes collide are told apart by their keys.
struct KeyTable {
    private var rows: [Int: [Int]] = [:]

    /// The first row inserted whose key equals row `i`'s, if any.
    func first(matching i: Int, hash: Int, same: (Int, Int) -> Bool) -> Int? {
        rows[hash]?.first { same($0, i) }
    }

    mutating func insert(_ i: Int, hash: Int) { rows[hash, default: []].append(i) }

    /// Inserts row `i` unless a row with the same key is there already.
    mutating func insertIfNew(_ i: Int, hash: Int, same: (Int, Int) -> Bool) {
        if first(matching: i, hash: hash, same: same) == nil { insert(i, hash: hash) }
    }
}
