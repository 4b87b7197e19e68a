import XCTest
@testable import Prep

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
}
