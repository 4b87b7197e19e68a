import Foundation
import HarnessSpec
@testable import Prep
import Records
import Store
import XCTest

/// A spec with no shaping stages: the ingest writes the split files as it reads (`SplitStreams`),
/// holding no rows. The files must be what the write stage writes: with no stage between them, each
/// split's JSONL lines are `records.jsonl`'s lines of that split, in order, and its CSV has a row per line.
final class SplitStreamsTests: XCTestCase {
    /// `specs/clickbait.yaml` up to its stages, with `edit` applied, writing `formats` into the sandbox.
    private func noStages(_ box: RunnerSandbox, formats: String = "[jsonl, csv]", edit: (String) -> String = { $0 }) throws -> Spec {
        try box.clickbait { text in
            let cut = try XCTUnwrap(text.range(of: "\nstages:"))
            return edit(String(text[..<cut.lowerBound])) + "\noutputs: {dir: \"\(box.out)\", formats: \(formats), csv_bom: true}\n"
        }
    }

    private func lines(_ data: Data?) -> [String] {
        String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func testTheSplitFilesHoldRecordsLinesOfTheirSplitInOrder() throws {
        let box = try RunnerSandbox("streams")
        let report = try box.run(try noStages(box))
        XCTAssertEqual(report.stages.map(\.name), ["ingest", "write"])
        let files = box.snapshot()
        let records = lines(files["records.jsonl"])
        XCTAssertEqual(records.count, report.stages[0].rowsOut)
        var bySplit: [String: [String]] = [:]
        for line in records {
            let split = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["_split"] as? String)
            bySplit[split, default: []].append(line)
        }
        XCTAssertEqual(Set(bySplit.keys), ["train", "test"])
        for (split, expected) in bySplit {
            XCTAssertEqual(lines(files["\(split).jsonl"]), expected, split)
            var reader = CSVReader([UInt8](try XCTUnwrap(files["\(split).csv"])))
            var rows = 0
            while try reader.next() != nil { rows += 1 }
            XCTAssertEqual(rows - 1, expected.count, "\(split).csv: a header and a row per record")
        }
        // The write stage is recorded as when it writes from the rows: per split, with its files.
        let write = report.stages[1]
        XCTAssertEqual(write.rowsIn, records.count)
        XCTAssertEqual(write.artifacts.map { ($0.path as NSString).lastPathComponent }, ["test.jsonl", "test.csv", "train.jsonl", "train.csv"])
        XCTAssertEqual(write.artifacts.compactMap(\.split), ["test", "test", "train", "train"])
        XCTAssertEqual(report.outputs.map(\.path), write.artifacts.map(\.path))
    }

    func testTheSameBytesAsTheWriteStageMakesFromTheRows() throws {
        // A cached ingest hands its rows to the write stage (read back from records.jsonl): the
        // other way to the same files.
        let box = try RunnerSandbox("streams-same")
        let spec = try noStages(box)
        let first = try box.run(spec)
        let streamed = box.snapshot()
        try FileManager.default.removeItem(atPath: box.out + "/train.csv")
        let again = try box.run(spec)
        XCTAssertEqual(box.skipped(again), [true, false], "the ingest is reused, the write stage runs from the rows")
        XCTAssertEqual(box.snapshot(), streamed)
        XCTAssertEqual(again.stages[1].outputDigest, first.stages[1].outputDigest)
    }

    func testAnIngestThatRunsAgainKeepsIntactOutputsAndLeavesNoTemporaryFiles() throws {
        let box = try RunnerSandbox("streams-reuse")
        let spec = try noStages(box)
        try box.run(spec)
        // records.jsonl gone: the ingest reads the archives again; the split files are intact, so
        // the write stage is reused and what the ingest wrote for it is dropped.
        try FileManager.default.removeItem(atPath: box.out + "/records.jsonl")
        let before = box.snapshot()
        let again = try box.run(spec)
        XCTAssertEqual(box.skipped(again), [false, true])
        let after = box.snapshot()
        XCTAssertEqual(after.keys.filter { $0.contains(".tmp-") }, [], "no temporary file is left")
        for name in ["train.jsonl", "train.csv", "test.jsonl", "test.csv"] { XCTAssertEqual(after[name], before[name], name) }
        XCTAssertNotNil(after["records.jsonl"])
    }

    func testARunThatFailsLeavesTheEarlierSplitFilesAsTheyWereAndNoTemporaryFiles() throws {
        let box = try RunnerSandbox("streams-fail")
        try box.run(try noStages(box))
        let before = box.snapshot()
        // The ingest writes records and split files, then meets a label its map does not know.
        let bad = try noStages(box) { $0.replacingOccurrences(of: "map: {0: clickbait, 1: normal}", with: "map: {0: clickbait}") }
        XCTAssertThrowsError(try box.run(bad, force: true)) { XCTAssertNotNil($0 as? PrepError, "\($0)") }
        XCTAssertEqual(box.snapshot(), before, "the failed run changed or left files")
    }

    func testASplitNamedRecordsIsRefusedWhereTheSpecNamesIt() throws {
        // Its files would be the ingest's own records.jsonl.
        let box = try RunnerSandbox("streams-records")
        XCTAssertThrowsError(try noStages(box) { $0.replacingOccurrences(of: "{Training: train, Validation: test}", with: "{Training: records, Validation: test}") }) { error in
            let e = error as? SpecError
            XCTAssertEqual(e?.line, 10, "the split_by_path line of specs/clickbait.yaml: \(error)")
            XCTAssertTrue(e?.message.contains("a split cannot be named 'records'") ?? false, "\(error)")
        }
        // A stage's arguments are checked when the run starts, before anything is read.
        let sampled = try box.clickbait { $0.replacingOccurrences(of: "splits: {train: 0.9, valid: 0.1}", with: "splits: {train: 0.9, records: 0.1}") }
        XCTAssertThrowsError(try box.run(sampled)) { error in
            XCTAssertTrue("\(error)".contains("a split cannot be named 'records'"), "\(error)")
        }
        XCTAssertEqual(box.snapshot(), [:], "nothing was written")
    }

    func testOnlyTheFormatsAskedForAreWritten() throws {
        let box = try RunnerSandbox("streams-jsonl")
        let report = try box.run(try noStages(box, formats: "[jsonl]"))
        XCTAssertEqual(Set(box.snapshot().keys), ["records.jsonl", "train.jsonl", "test.jsonl"])
        XCTAssertEqual(report.stages[1].artifacts.count, 2)
    }
}
