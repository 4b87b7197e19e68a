import Foundation
import HarnessSpec
@testable import Prep
import JSON
import Records
import Store
import XCTest

/// The first stages (refine, drop, sample) run on the rows as they are read, with the rows waiting
/// on disk (`StreamedHead`). The in-memory run (`--keep-stages` takes it) is the reference: every
/// output, ledger and stage figure must be the same.
final class StreamedHeadTests: XCTestCase {
    /// The clickbait spec without its dedup stage (as bench/clickbait-stages.yaml): refine, drop,
    /// sample, instruct, augment.
    private func streamable(_ box: RunnerSandbox, data: String, seed: Int = 42, edit: (String) throws -> String = { $0 }) throws -> Spec {
        try box.clickbait(data: data) {
            try edit($0.replacingOnce("  - dedup: {fields: [body], threshold: 0.8, action: group, into: cluster, against_test: drop}\n", with: "")
                .replacingOnce("group_by: cluster, ", with: "")
                .replacingOnce("per_class: 1000", with: "per_class: 10")
                .replacingOnce("seed: 42", with: "seed: \(seed)"))
        }
    }

    /// 400 generated documents (seed 3): enough for exact duplicates, null-heavy rows, and rows the
    /// sample (10 per class) leaves out.
    private static let data400: String = {
        do {
            let dir = try Repo.tempDir("gen400")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", Repo.path("fixtures/generate.py"), "clickbait", "--out", dir, "--docs", "400", "--seed", "3"]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            atexit { try? FileManager.default.removeItem(atPath: StreamedHeadTests.data400) }
            return p.terminationStatus == 0 ? dir : "generator-failed"
        } catch {
            return "generator-failed: \(error)"
        }
    }()

    /// The stages as the store keeps them, without what differs between any two runs (times, and
    /// which run a file belongs to: the sandboxes' folders differ).
    private func figures(_ box: RunnerSandbox, _ report: PrepRunner.Report) throws -> [String] {
        try box.store.stages(run: report.runID).map { s in
            "\(s.name) \(s.rowsIn)->\(s.rowsOut) removed \(s.removed.map { "\($0.reason)=\($0.count)" }) \(JSONWriter.serialize(s.details))"
        }
    }

    /// The output folder without what only the in-memory run writes (`--keep-stages`: the stage
    /// files and records.csv).
    private func outputs(_ box: RunnerSandbox) -> [String: Data] {
        box.snapshot().filter { !$0.key.hasPrefix("stages/") && $0.key != "records.csv" }
    }

    func testTheHeadTakesRefineDropSampleAndNothingElse() throws {
        let box = try RunnerSandbox("head-shape")
        let columns = ["id", "title"]
        func head(_ spec: Spec) throws -> StreamedHead? {
            try StreamedHead.make(stages: spec.stages.map { try StageRegistry.make($0, spec: spec) }, columns: columns, dir: box.dir)
        }
        let streamed = try XCTUnwrap(head(try streamable(box, data: GeneratedData.clickbait60)))
        XCTAssertEqual(streamed.stageCount, 3, "refine, drop, sample")
        XCTAssertNil(try head(try box.clickbait()), "a dedup before the sample needs every row's text: the run holds the rows")
        let noSample = try box.clickbait { try $0.replacingOnce("  - sample: {from: train, stratify_by: type, group_by: cluster, per_class: 1000, splits: {train: 0.9, valid: 0.1}, seed: 42}\n", with: "")
            .replacingOnce("  - dedup: {fields: [body], threshold: 0.8, action: group, into: cluster, against_test: drop}\n", with: "") }
        XCTAssertNil(try head(noSample), "without a sample every row reaches the outputs")
    }

    /// Runs the spec (with `edit`) streamed and in memory, and checks that both give the same files
    /// and stage figures. - returns: the streamed run's report.
    @discardableResult
    private func compareWithTheInMemoryRun(_ label: String, edit: @escaping (String) throws -> String = { $0 }) throws -> PrepRunner.Report {
        let data = Self.data400
        let streamed = try RunnerSandbox(label), held = try RunnerSandbox(label + "-held")
        let a = try streamed.run(try streamable(streamed, data: data, edit: edit))
        let b = try held.run(try streamable(held, data: data, edit: edit), keepStages: true)
        XCTAssertEqual(a.stages.map(\.name), ["ingest", "refine", "drop", "sample", "instruct", "augment", "write"])
        XCTAssertEqual(try figures(streamed, a), try figures(held, b))
        XCTAssertEqual(a.stages.map(\.outputDigest), b.stages.map(\.outputDigest))
        XCTAssertEqual(a.warnings, b.warnings)
        let mine = outputs(streamed), reference = outputs(held)
        XCTAssertEqual(mine.keys.sorted(), reference.keys.sorted())
        for (name, bytes) in reference { XCTAssertTrue(mine[name] == bytes, "\(name) differs from the in-memory run's") }
        // Nothing of the spool is left in the output folder.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: streamed.out).filter { $0.hasPrefix(".") }, [])
        return a
    }

    func testAStreamedRunWritesTheInMemoryRunsBytes() throws {
        // The test rows stay on disk until the write stage (`StreamedTail`).
        let a = try compareWithTheInMemoryRun("head-tail")
        // The data exercise every path of the head: rows dropped as duplicates and as null-heavy,
        // rows left out by the sample, and rows of another split passed through.
        let drop = try XCTUnwrap(a.stages.first { $0.name == "drop" })
        XCTAssertTrue(drop.removed.contains { $0.reason.hasPrefix("duplicate") }, "\(drop.removed)")
        XCTAssertTrue(drop.removed.contains { !$0.reason.hasPrefix("duplicate") }, "\(drop.removed)")
        let sample = try XCTUnwrap(a.stages.first { $0.name == "sample" })
        XCTAssertGreaterThan(sample.rowsIn, sample.rowsOut)
        XCTAssertTrue(a.outputs.contains { $0.path.hasSuffix("/test.jsonl") && $0.rows > 0 }, "\(a.outputs.map(\.path))")
        XCTAssertTrue(a.outputs.contains { $0.path.hasSuffix("/test.alpaca.jsonl") && $0.rows > 0 })
    }

    func testWithSubsetsEveryRowIsReadBackForTheWriteStage() throws {
        // Subsets are drawn from all rows at once: the head hands every row on, none stays on disk.
        let a = try compareWithTheInMemoryRun("head-subsets") { try $0.replacingOnce("outputs: {dir:", with: "outputs: {subsets: [40], dir:") }
        XCTAssertTrue(a.outputs.contains { $0.path.hasSuffix("subsets/train.40.jsonl") }, "\(a.outputs.map(\.path))")
    }

    func testACachedIngestFeedsTheHeadFromItsRecordsFile() throws {
        let data = Self.data400
        let streamed = try RunnerSandbox("head-cached"), held = try RunnerSandbox("head-cached-held")
        try streamed.run(try streamable(streamed, data: data))
        // Another seed: the ingest is reused, and the head reads the rows back from records.jsonl.
        let second = try streamed.run(try streamable(streamed, data: data, seed: 43))
        XCTAssertEqual(streamed.skipped(second), [true, false, false, false, false, false, false])
        let reference = try held.run(try streamable(held, data: data, seed: 43), keepStages: true)
        XCTAssertEqual(try figures(streamed, second), try figures(held, reference))
        XCTAssertEqual(outputs(streamed), outputs(held))
    }

    func testTheSpoolGivesBackEachRowAsAppended() throws {
        let dir = try Repo.tempDir("spool")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spool = try RowSpool(dir: dir)
        // Rows of many sizes, past the write buffer (1 MiB), and an empty one.
        var rows: [[UInt8]] = []
        for i in 0..<3000 { rows.append(Array(String(repeating: "행\(i)", count: i % 97).utf8)) }
        rows.append([])
        for r in rows { try spool.append(r) }
        try spool.flush()
        XCTAssertEqual(spool.count, rows.count)
        XCTAssertEqual(spool.bytes, Int64(rows.reduce(0) { $0 + $1.count }))
        for i in [0, 1, 1234, 2999, 3000] { XCTAssertEqual(try spool.withRow(i) { Array($0) }, rows[i], "row \(i)") }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "the spool has no name in the folder")
    }
}
