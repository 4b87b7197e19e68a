import Foundation
import JSON
import Store
import XCTest

/// `StageRecord.splitFiles`: a write stage's split files as recorded, or guessed from their names
/// for stages recorded before store migration 4.
final class StageRecordSplitsTests: XCTestCase {
    private func write(_ artifacts: [Artifact]) -> StageRecord {
        StageRecord(position: 3, name: "write", cacheKey: "k", inputDigest: "i", outputDigest: "o", rowsIn: 3, rowsOut: 3, seconds: 0,
                    artifacts: artifacts)
    }

    private func file(_ name: String, split: String? = nil) -> Artifact {
        Artifact(path: "out/demo/" + name, digest: name, bytes: 1, rows: 1, split: split)
    }

    func testRecordedSplitsAreTakenAsTheyAreWhateverTheFileNames() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let run = try store.beginRun(kind: .prep, spec: .demo())
        let files = [file("train.jsonl", split: "train"), file("train.csv", split: "train"), file("train.alpaca.jsonl"),
                     file("valid.2024.jsonl", split: "valid.2024"), file("valid.2024.csv", split: "valid.2024"),
                     file("subsets/train.100.jsonl"), file("corpus.txt"), file("removed/03-drop.jsonl")]
        try store.recordStage(run: run, write(files))
        let back = try XCTUnwrap(try store.stages(run: run).first)
        XCTAssertEqual(back.splitFiles.map(\.path).sorted(), ["out/demo/train.csv", "out/demo/train.jsonl", "out/demo/valid.2024.csv", "out/demo/valid.2024.jsonl"])
        XCTAssertEqual(back.splitFiles.first { $0.path.hasSuffix("valid.2024.jsonl") }?.split, "valid.2024")
        XCTAssertEqual(Set(back.splitNames), ["train", "valid.2024"])
    }

    func testAStageRecordedBeforeMigrationFourHasItsSplitsGuessedFromTheNames() {
        let old = write([file("train.jsonl"), file("train.csv"), file("train.alpaca.jsonl"), file("test.jsonl"),
                         file("subsets/train.100.jsonl"), file("corpus.txt"), file("removed/03-drop.jsonl")])
        XCTAssertEqual(old.splitFiles.map(\.path).sorted(), ["out/demo/test.jsonl", "out/demo/train.csv", "out/demo/train.jsonl"])
        XCTAssertEqual(old.splitFiles.map { $0.split ?? "-" }.sorted(), ["test", "train", "train"])
        XCTAssertEqual(write([]).splitFiles, [], "a stage that wrote nothing has no split files")
    }
}
