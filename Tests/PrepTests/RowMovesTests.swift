@testable import Prep
import Records
import XCTest

/// `Array<Record>.moveRows`: the kept rows in the given order, the removed ones handed over in
/// theirs, the rest dropped; values are whole after the move (nothing was released twice).
final class RowMovesTests: XCTestCase {
    private func rows(_ n: Int) -> [Record] {
        (0..<n).map { i in
            let body: String? = "본문이 열다섯 바이트보다 긴 텍스트 \(i)"  // a text of its own, on the heap
            return Record(fields: Fields(names: ["id", "body"], values: ["\(i)", body]), split: "train", archive: "a.zip", entry: "doc-\(i)-with-a-long-name.json")
        }
    }

    func testKeptRowsTakeTheGivenOrderAndRemovedOnesAreHandedOverInTheirs() {
        var records = rows(6)
        let original = records
        var handed: [(Int, Record)] = []
        records.moveRows(keeping: [4, 0, 2], removing: [5, 1]) { handed.append(($0, $1)) }
        XCTAssertEqual(records, [original[4], original[0], original[2]])
        XCTAssertEqual(handed.map(\.0), [0, 1])
        XCTAssertEqual(handed.map(\.1), [original[5], original[1]])
        // Row 3 was in neither list: dropped. The rows still read whole after the old array is gone.
        XCTAssertEqual(records[0].fields["body"], "본문이 열다섯 바이트보다 긴 텍스트 4")
        XCTAssertEqual(handed[1].1.entry, "doc-1-with-a-long-name.json")
    }

    func testAnArrayHeldElsewhereIsLeftAsItWas() {
        let shared = rows(3)
        var records = shared
        records.moveRows(keeping: [2])
        XCTAssertEqual(records, [shared[2]])
        XCTAssertEqual(shared.count, 3, "the other holder's array is copied, not emptied")
        XCTAssertEqual(shared.map { $0.fields["id"] }, ["0", "1", "2"])
    }

    func testAnEmptyArrayStaysEmpty() {
        var records: [Record] = []
        records.moveRows(keeping: [])
        XCTAssertEqual(records, [])
    }
}
