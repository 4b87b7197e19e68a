import JSON
@testable import Prep
import Records
import XCTest

/// `ClassTally`: batches handed to its queue give the counts `ClassCounts.of` gives for the same rows
/// in the same order, however many batches wait, and a batch changed by the caller after it was
/// handed over is counted as it was handed over.
final class ClassTallyTests: XCTestCase {
    private let names = ["id", "type", "label", "_split"]

    private func rows(_ range: Range<Int>) -> [Record] {
        range.map { i in
            Record(fields: Fields(names: names, values: ["ID\(i)", String(format: "%02d", i % 12), i % 3 == 0 ? "clickbait" : "normal", i % 5 == 0 ? "test" : "train"]))
        }
    }

    func testBatchesGiveTheCountsOfAllRows() {
        let tally = ClassTally(columns: names)
        var all: [Record] = []
        for start in stride(from: 0, to: 10_000, by: 700) {
            var batch = rows(start..<min(10_000, start + 700))
            all += batch
            tally.add(batch)
            // The caller goes on with its batch: the tally counts the rows as they were handed over.
            for i in batch.indices { batch[i].fields["label"] = "changed" }
        }
        XCTAssertEqual(JSONWriter.serialize(tally.counts()), JSONWriter.serialize(ClassCounts.of(all, fields: names)))
        let tests = all.indices.filter { all[$0].fields["_split"] == "test" }
        XCTAssertEqual(JSONWriter.serialize(tally.counts(of: tests)), JSONWriter.serialize(ClassCounts.of(tests.map { all[$0] }, fields: names)))
        // 0, 3, 6, ... 9999: 3334 rows, counted once each whatever the batches.
        XCTAssertTrue(JSONWriter.serialize(tally.counts()).contains("\"clickbait\":3334"), JSONWriter.serialize(tally.counts()))
    }

    func testNoRowsGivesTheCountsOfNoRows() {
        XCTAssertEqual(JSONWriter.serialize(ClassTally(columns: names).counts()), JSONWriter.serialize(ClassCounts.of([], fields: names)))
    }
}
