import Foundation
import HarnessSpec
@testable import Prep
import JSON
import Store
import XCTest

/// The write stage records which split each final split file holds (store migration 4), so readers
/// need not guess it from the file name.
final class SplitWriterTests: XCTestCase {
    /// Clickbait with its sampled validation split named `valid.2024` (a name the old file-name
    /// guess, `<split>.jsonl` with one dot, misses), subsets and a corpus beside the split files.
    private func dottedSpec(_ box: RunnerSandbox) throws -> Spec {
        try box.clickbait {
            try $0.replacingOnce("splits: {train: 0.9, valid: 0.1}", with: "splits: {train: 0.9, valid.2024: 0.1}")
                .replacingOnce("  split: valid ", with: "  split: valid.2024 ")
                .replacingOnce("csv_bom: true}", with: "csv_bom: true, subsets: [5], corpus: {fields: [title]}}")
        }
    }

    func testPrepRunRecordsTheSplitOfEachSplitFileAndOfNothingElse() throws {
        let box = try RunnerSandbox("split-record")
        let report = try box.run(try dottedSpec(box))
        let stages = try box.store.stages(run: report.runID)
        let write = try XCTUnwrap(stages.last)
        XCTAssertEqual(write.name, "write")
        var recorded: [String: String] = [:]
        for a in write.artifacts { recorded[String(a.path.dropFirst(box.out.count + 1))] = a.split ?? "-" }
        XCTAssertEqual(recorded, [
            "train.jsonl": "train", "train.csv": "train", "train.alpaca.jsonl": "-",
            "valid.2024.jsonl": "valid.2024", "valid.2024.csv": "valid.2024", "valid.2024.alpaca.jsonl": "-",
            "test.jsonl": "test", "test.csv": "test", "test.alpaca.jsonl": "-",
            "subsets/train.5.jsonl": "-", "subsets/train.5.csv": "-", "subsets/train.5.alpaca.jsonl": "-",
            "corpus.txt": "-",
        ])
        XCTAssertEqual(stages.dropLast().flatMap(\.artifacts).compactMap(\.split), [], "ingest, stage and side files hold no split")
        XCTAssertEqual(Set(write.splitNames), ["train", "valid.2024", "test"])
        // Each split file holds exactly the rows of its split.
        for file in write.splitFiles where file.path.hasSuffix(".jsonl") {
            let splits = try PrepRunner.load(file.path).map { $0.split ?? "-" }
            XCTAssertFalse(splits.isEmpty, file.path)
            XCTAssertEqual(Set(splits), [file.split ?? "?"], file.path)
            XCTAssertEqual(splits.count, file.rows, file.path)
        }
    }

    func testARerunThatReusesTheWriteStageKeepsItsSplits() throws {
        let box = try RunnerSandbox("split-reuse")
        let spec = try dottedSpec(box)
        let first = try box.run(spec)
        let second = try box.run(spec)
        XCTAssertEqual(box.skipped(second).last, true)
        let a = try box.store.stages(run: first.runID).last?.artifacts, b = try box.store.stages(run: second.runID).last?.artifacts
        XCTAssertEqual(b, a)
        XCTAssertEqual(b?.filter { $0.split == "valid.2024" }.count, 2)
    }
}
