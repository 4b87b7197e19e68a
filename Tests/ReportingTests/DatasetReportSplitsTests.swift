import Foundation
import Records
import Reporting
import Store
import Support
import XCTest

/// The data report reads which split each final file holds from the store (migration 4), and
/// guesses it from the file name only for runs recorded before.
final class DatasetReportSplitsTests: XCTestCase {
    private var dir = ""
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "report-splits-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A finished prep run whose write stage wrote `train.jsonl` (2 rows) and `valid.2024.jsonl`
    /// (3 rows, written without `_split`), recording their splits or, with `recordSplits: false`,
    /// as a version-3 harness did.
    private func prepRun(_ store: RunStore, recordSplits: Bool) throws -> Int {
        let files: [(name: String, split: String, titles: [String], withSplit: Bool)] = [
            ("train", "train", ["하나", "둘둘"], true),
            ("valid.2024", "valid.2024", ["셋셋셋", "넷넷넷넷", "다섯"], false),
        ]
        var artifacts: [Artifact] = []
        for f in files {
            let path = dir + "/out/\(f.name).jsonl"
            let records = f.titles.map { Record(fields: ["id": $0, "label": "news", "title": $0], split: f.withSplit ? f.split : nil) }
            let text = records.map { RecordCoding.jsonLine($0, columns: ["id", "label", "title"]) + "\n" }.joined()
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            artifacts.append(Artifact(path: path, digest: try SHA256.hex(file: path), bytes: Int64(text.utf8.count), rows: records.count,
                                      split: recordSplits ? f.split : nil))
        }
        let run = try store.beginRun(kind: .prep, spec: SpecIdentity(name: "demo", path: "specs/demo.yaml", digest: "d", version: 1))
        try store.recordStage(run: run, StageRecord(position: 1, name: "write", cacheKey: "k\(run)", inputDigest: "i", outputDigest: "o",
                                                    rowsIn: 5, rowsOut: 5, seconds: 0, artifacts: artifacts))
        try store.finishRun(run, status: .done, seconds: 1)
        return run
    }

    func testRowsAreAttributedToTheRecordedSplitEvenWhenTheFileNameWouldMislead() throws {
        let store = try RunStore(path: dir + "/h.sqlite")
        let run = try prepRun(store, recordSplits: true)
        let report = try DatasetReport(store: store, run: run, by: "label", text: "title")
        XCTAssertEqual(report.stages.map(\.total), [5], "the write stage counts the rows of both split files")
        XCTAssertEqual(report.lengths["train"]?["news"], [2, 2])
        XCTAssertEqual(report.lengths["valid.2024"]?["news"], [3, 4, 2], "rows without _split are in their file's split")
        XCTAssertEqual(Set(report.lengths.keys), ["train", "valid.2024"])
        XCTAssertTrue(report.html().contains("<h3>valid.2024</h3>"))
    }

    func testARunRecordedBeforeMigrationFourFallsBackToTheFileNameGuess() throws {
        let store = try RunStore(path: dir + "/h.sqlite")
        let run = try prepRun(store, recordSplits: false)
        let report = try DatasetReport(store: store, run: run, by: "label", text: "title")
        // As before the split was recorded: `valid.2024.jsonl` does not look like a split file.
        XCTAssertEqual(report.stages.map(\.total), [2])
        XCTAssertEqual(Set(report.lengths.keys), ["train"])
    }
}
