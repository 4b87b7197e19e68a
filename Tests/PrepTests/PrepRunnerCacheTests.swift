import Foundation
import HarnessSpec
@testable import Prep
import JSON
import Records
import Store
import XCTest

/// Reruns: an unchanged spec skips everything; a changed stage reruns the shaping stages in memory
/// from the ingest's records (or, with `keepStages`, from the newest matching stage file); `force`
/// reruns all, and a missing or altered output makes its stage run again.
final class PrepRunnerCacheTests: XCTestCase {
    /// ingest, refine, drop, dedup, sample, instruct, augment, write.
    private let names = ["ingest", "refine", "drop", "dedup", "sample", "instruct", "augment", "write"]

    func testAnUnchangedRerunSkipsEveryStageAndKeepsTheOutputs() throws {
        let box = try RunnerSandbox("unchanged")
        let spec = try box.clickbait()
        let first = try box.run(spec)
        XCTAssertEqual(first.stages.map(\.name), names)
        XCTAssertEqual(box.skipped(first), Array(repeating: false, count: 8))
        let before = box.snapshot()
        XCTAssertTrue(before.keys.contains("train.jsonl") && before.keys.contains("valid.csv") && before.keys.contains("test.alpaca.jsonl"), "\(before.keys.sorted())")

        let second = try box.run(try box.clickbait())
        XCTAssertEqual(box.skipped(second), Array(repeating: true, count: 8))
        XCTAssertEqual(second.stages.map(\.rowsOut), first.stages.map(\.rowsOut))
        XCTAssertEqual(try box.store.stages(run: second.runID).map(\.skipped), Array(repeating: true, count: 8), "recorded as skipped")
        XCTAssertEqual(try box.store.run(second.runID).status, .done)
        XCTAssertEqual(Set(second.outputs.map(\.path)), Set(first.outputs.map(\.path)))
        XCTAssertEqual(box.snapshot(), before, "nothing rewritten")
    }

    func testChangingOneStagesArgumentsRerunsTheShapingStagesInMemory() throws {
        let box = try RunnerSandbox("change")
        let first = try box.run(try box.clickbait())
        // sample is stage 4 (position 4); its seed changes which docs go to valid.
        let reseeded = try box.clickbait { try $0.replacingOnce("seed: 42", with: "seed: 43") }
        let second = try box.run(reseeded)
        XCTAssertEqual(box.skipped(second), [true, false, false, false, false, false, false, false], "the ingest is reused, the rest runs in memory")
        XCTAssertEqual(second.stages[2].outputDigest, first.stages[2].outputDigest, "drop's output is the same as before")
        XCTAssertNotEqual(second.stages[4].outputDigest, first.stages[4].outputDigest, "another seed is another sample")
        XCTAssertNotEqual(box.snapshot()["valid.jsonl"], nil)
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.out + "/stages"), "stage rows are not written unless asked")
        // Back to the first spec: the same bytes as the first run.
        let before = try box.run(try box.clickbait(), force: true)
        XCTAssertEqual(before.stages.map(\.outputDigest), first.stages.map(\.outputDigest))
    }

    func testWithKeepStagesARerunStartsFromTheNewestMatchingStageFile() throws {
        let box = try RunnerSandbox("keep")
        let first = try box.run(try box.clickbait(), keepStages: true)
        XCTAssertTrue(FileManager.default.fileExists(atPath: box.out + "/stages/02-drop.jsonl"))
        // --keep-stages also writes the ingest's records as CSV: a header and one row per record.
        let csv = try XCTUnwrap(box.snapshot()["records.csv"], "records.csv with --keep-stages")
        var reader = CSVReader([UInt8](csv))
        var rows: [[String]] = []
        while let row = try reader.next() { rows.append(row) }
        XCTAssertEqual(rows.first?.prefix(3), ["id", "part", "type"])
        XCTAssertEqual(rows.count - 1, first.stages[0].rowsOut)
        // Only augment (position 6) changes: everything before it is read from its file.
        let second = try box.run(try box.clickbait { try $0.replacingOnce("seed: 7", with: "seed: 8") }, keepStages: true)
        XCTAssertEqual(box.skipped(second), [true, true, true, true, true, true, false, false])
        XCTAssertEqual(second.stages[5].outputDigest, first.stages[5].outputDigest)
        // Back to the first spec: augment and write run again and give the first run's bytes back.
        let third = try box.run(try box.clickbait(), keepStages: true)
        XCTAssertEqual(third.stages.map(\.outputDigest), first.stages.map(\.outputDigest))
        XCTAssertEqual(box.skipped(third), [true, true, true, true, true, true, false, false])
        // A run that skips everything keeps what it reused; one that runs the stages without
        // --keep-stages leaves no stage files behind.
        try box.run(try box.clickbait())
        XCTAssertTrue(FileManager.default.fileExists(atPath: box.out + "/stages/02-drop.jsonl"))
        try box.run(try box.clickbait(), force: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.out + "/stages/02-drop.jsonl"))
        XCTAssertNil(box.snapshot()["records.csv"], "records.csv is written only with --keep-stages")
        XCTAssertNotNil(box.snapshot()["records.jsonl"])
    }

    func testForceRerunsEveryStageAndGivesIdenticalBytes() throws {
        let box = try RunnerSandbox("force")
        let spec = try box.clickbait()
        let first = try box.run(spec)
        let before = box.snapshot()
        let forced = try box.run(spec, force: true)
        XCTAssertEqual(box.skipped(forced), Array(repeating: false, count: 8))
        XCTAssertEqual(forced.stages.map(\.outputDigest), first.stages.map(\.outputDigest))
        XCTAssertEqual(box.snapshot(), before, "deterministic: the same bytes again")
        XCTAssertEqual(try box.store.run(forced.runID).settings["force"], .bool(true))
    }

    func testADeletedOutputFileMakesTheWriteStageRerun() throws {
        let box = try RunnerSandbox("deleted")
        let spec = try box.clickbait()
        try box.run(spec)
        let before = box.snapshot()
        try FileManager.default.removeItem(atPath: box.out + "/train.csv")
        let second = try box.run(spec)
        XCTAssertEqual(box.skipped(second), [true, false, false, false, false, false, false, false])
        XCTAssertEqual(box.snapshot(), before, "train.csv is back, byte for byte")
    }

    func testAModifiedStageFileMakesThatStageRerun() throws {
        let box = try RunnerSandbox("modified")
        let spec = try box.clickbait()
        try box.run(spec, keepStages: true)
        let before = box.snapshot()
        let drop = box.out + "/stages/02-drop.jsonl"
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: drop))
        bytes[bytes.count / 2] = UInt8(ascii: "#")           // same size, other content
        try bytes.write(to: URL(fileURLWithPath: drop))
        let second = try box.run(spec, keepStages: true)
        // drop and the stages after it rerun from refine's file; the outputs are the same, so the
        // write is reused.
        XCTAssertEqual(box.skipped(second), [true, true, false, false, false, false, false, true])
        XCTAssertEqual(box.snapshot(), before)

        // The ingest file: records.jsonl changed -> ingest reruns.
        let records = box.out + "/records.jsonl"
        try (String(contentsOfFile: records, encoding: .utf8) + "\n").write(toFile: records, atomically: true, encoding: .utf8)
        let third = try box.run(spec, keepStages: true)
        XCTAssertEqual(box.skipped(third), [false, true, true, true, true, true, true, true])
        XCTAssertEqual(box.snapshot(), before)
    }

    func testEveryStageIsRecordedWithRowsThatAddUp() throws {
        let box = try RunnerSandbox("accounting")
        let report = try box.run(try box.clickbait())
        let stages = try box.store.stages(run: report.runID)
        XCTAssertEqual(stages.map(\.name), names)
        XCTAssertEqual(stages.map(\.position), Array(0...7))
        // The generator wrote 60 labeled docs (53 Training, 7 Validation).
        XCTAssertEqual(stages[0].rowsOut, 60)
        XCTAssertEqual(stages[0].details["splits"]?["train"], .number("53"))
        XCTAssertEqual(stages[0].details["splits"]?["test"], .number("7"))
        for s in stages where ["refine", "drop", "dedup", "sample", "instruct"].contains(s.name) {
            XCTAssertEqual(s.rowsIn, s.rowsOut + s.removed.reduce(0) { $0 + $1.count }, "\(s.name): kept + removed = input")
        }
        for (a, b) in zip(stages.dropFirst(), stages.dropFirst(2)) {
            XCTAssertEqual(a.rowsOut, b.rowsIn, "\(a.name) -> \(b.name)")
            XCTAssertEqual(a.outputDigest, b.inputDigest, "\(a.name) -> \(b.name)")
        }
        let augment = stages[6]
        XCTAssertEqual(augment.rowsOut, augment.rowsIn + (Int(augment.details["added"]?.scalarText ?? "") ?? -1))
        let perSplit = report.outputs.filter { ["train.jsonl", "valid.jsonl", "test.jsonl"].contains(($0.path as NSString).lastPathComponent) }
        XCTAssertEqual(perSplit.count, 3)
        XCTAssertEqual(stages[7].rowsOut, perSplit.reduce(0) { $0 + $1.rows })
        // Every recorded artifact is on disk with its recorded size.
        for a in try box.store.artifacts(run: report.runID) {
            XCTAssertEqual(FileManager.default.contents(atPath: a.path)?.count, Int(a.bytes), a.path)
        }
    }

    func testTheNullsListAndTheTrainingSplitArePartOfTheKeysOfTheStagesThatReadThem() throws {
        // refine's `nulls` rule reads the top-level `nulls:`; drop reads sample's `from`. Before, a
        // change there could leave the ingest's records identical and every stage reused.
        let box = try RunnerSandbox("keys")
        let first = try box.run(try box.clickbait())
        let nulls = try box.run(try box.clickbait { try $0.replacingOnce(#"nulls: ["", "null", "NULL", "None"]"#, with: #"nulls: ["", "null", "NULL", "None", "zzz"]"#) })
        XCTAssertNotEqual(nulls.stages[1].cacheKey, first.stages[1].cacheKey, "refine")
        XCTAssertFalse(nulls.stages[1].skipped)
    }
}
