import XCTest
@testable import Prep
import Support

/// `drop` keeps 8-byte key hashes, not keys: rows whose hashes collide must still be told apart.
final class KeyTableTests: XCTestCase {
    func testCollidingHashesAreToldApartByTheirKeys() {
        let keys = ["가나다", "라마바", "가나다", "사아자"]
        let same = { (a: Int, b: Int) in keys[a] == keys[b] }
        var table = KeyTable()
        // Every row gets the same hash: only the keys separate them.
        table.insertIfNew(0, hash: 7, same: same)
        table.insertIfNew(1, hash: 7, same: same)
        table.insertIfNew(2, hash: 7, same: same)
        XCTAssertEqual(table.first(matching: 2, hash: 7, same: same), 0, "row 2 has row 0's key")
        XCTAssertEqual(table.first(matching: 1, hash: 7, same: same), 1)
        XCTAssertNil(table.first(matching: 3, hash: 7, same: same), "same hash, another key: not a duplicate")
        XCTAssertNil(table.first(matching: 2, hash: 8, same: same), "another hash is never a match")
    }

    /// Past many growths, with hashes that share their low bits and negative ones: each row finds
    /// the row of its key that was inserted first, as a dictionary of keys says.
    func testAgreesWithADictionaryOfKeysAcrossGrowth() {
        var rng = SeededRandom(seed: 3)
        let keys = (0..<5_000).map { _ in "k\(rng.below(1500))" }
        // 128 distinct hashes for 1,500 keys, half of them negative: long runs of colliding slots.
        let hash = { (i: Int) -> Int in (keys[i].hashValue & 0x3F) | (keys[i].hashValue < 0 ? Int.min : 0) }
        let same = { (a: Int, b: Int) in keys[a] == keys[b] }
        var table = KeyTable(), firstOf: [String: Int] = [:]
        for i in keys.indices {
            XCTAssertEqual(table.first(matching: i, hash: hash(i), same: same), firstOf[keys[i]], "row \(i)")
            table.insertIfNew(i, hash: hash(i), same: same)
            if firstOf[keys[i]] == nil { firstOf[keys[i]] = i }
        }
        var sized = KeyTable(capacity: keys.count)
        for i in keys.indices { sized.insertIfNew(i, hash: hash(i), same: same) }
        XCTAssertTrue(keys.indices.allSatisfy { sized.first(matching: $0, hash: hash($0), same: same) == firstOf[keys[$0]] })
    }
}
