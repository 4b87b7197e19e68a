/// Rows by the hash of their duplicate key; rows whose hashes collide are told apart by their keys.
///
/// A row is inserted only when no row with its key is there, so at most one row of each key is in
/// the table. The hashes are already well mixed (a SipHash of the key), so they index an open
/// table directly (linear probing over a power-of-two size, kept at most half full): a
/// `[Int: Int]` hashed each of them again, and with a second table for colliding rows the drop's
/// decision took twice as long.
struct KeyTable {
    /// Per slot: the row plus one (0: empty), and its hash.
    private var rows: [Int]
    private var hashes: [Int]
    private var mask: Int
    private var count = 0

    init(capacity: Int = 0) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        rows = [Int](repeating: 0, count: size)
        hashes = [Int](repeating: 0, count: size)
        mask = size - 1
    }

    /// The row inserted whose key equals row `i`'s, if any.
    func first(matching i: Int, hash: Int, same: (Int, Int) -> Bool) -> Int? {
        var s = hash & mask
        while rows[s] != 0 {
            if hashes[s] == hash, same(rows[s] - 1, i) { return rows[s] - 1 }
            s = (s + 1) & mask
        }
        return nil
    }

    /// Inserts row `i`, whose key no row in the table has.
    mutating func insert(_ i: Int, hash: Int) {
        if 2 * (count + 1) > rows.count { grow() }
        place(i + 1, hash: hash)
        count += 1
    }

    /// Inserts row `i` unless a row with the same key is there already.
    mutating func insertIfNew(_ i: Int, hash: Int, same: (Int, Int) -> Bool) {
        if first(matching: i, hash: hash, same: same) == nil { insert(i, hash: hash) }
    }

    private mutating func place(_ row: Int, hash: Int) {
        var s = hash & mask
        while rows[s] != 0 { s = (s + 1) & mask }
        rows[s] = row
        hashes[s] = hash
    }

    private mutating func grow() {
        let old = (rows, hashes)
        rows = [Int](repeating: 0, count: old.0.count * 2)
        hashes = [Int](repeating: 0, count: old.0.count * 2)
        mask = rows.count - 1
        for s in old.0.indices where old.0[s] != 0 { place(old.0[s], hash: old.1[s]) }
    }
}
