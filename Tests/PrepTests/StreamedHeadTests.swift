import Foundation
import HarnessSpec
@testable import Prep
import JSON
import Support
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

    /// 400 generated documents (seed 3): rows without a title, and rows the sample (10 per class)
    /// leaves out.
    private static let data400 = GeneratedData.clickbait(docs: 400, seed: 3)

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
        // Rows dropped, rows left out by the sample, and rows of another split passed through
        // (duplicates: `testTheHeadDecidesAsTheStagesDoInMemory`).
        let drop = try XCTUnwrap(a.stages.first { $0.name == "drop" })
        XCTAssertGreaterThan(drop.rowsIn, drop.rowsOut, "\(drop.removed)")
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

    /// Rows with every case the drop and the sample decide on: duplicates within training, within
    /// the held-out split, a training copy of a held-out row (wherever it comes), missing titles,
    /// texts the refine changes, and classes of several sizes.
    private func crafted() -> [Record] {
        var rows: [Record] = []
        for i in 0..<400 {
            let split = i % 5 == 4 ? "test" : "train"
            var fields = ["title": "제목  \(i % 150)\\\"", "body": "본문 \(i) 문장.  다음 문장!\n끝", "label": i % 3 == 0 ? "clickbait" : "normal",
                          "type": ["EC", "ET", "GB", "IS"][i % 4] + (i % 7 == 0 ? "X" : ""), "subtitle": i % 6 == 0 ? "null" : "부제 \(i)"]
            if i % 37 == 0 { fields["title"] = nil }
            rows.append(StageHarness.record("N\(i)", split: split, fields))
        }
        // Row 12 copies row 11 (training), row 29 copies row 24 (held-out); training row 30 copies
        // held-out row 34, which comes after it; row 40 differs from row 41 only in case and spaces.
        rows[12].fields["body"] = rows[11].fields["body"]; rows[12].fields["title"] = rows[11].fields["title"]
        rows[29].fields["body"] = rows[24].fields["body"]; rows[29].fields["title"] = rows[24].fields["title"]
        rows[30].fields["body"] = rows[34].fields["body"]; rows[30].fields["title"] = rows[34].fields["title"]
        rows[41].fields["body"] = "  " + (rows[40].fields["body"] ?? "").uppercased(); rows[41].fields["title"] = rows[40].fields["title"]
        return rows
    }

    private let stagesYAML = """
      - refine: {fields: [title, subtitle, body], rules: [unescape_quotes, newlines_to_spaces, collapse_spaces, strip, nulls]}
      - drop: {required: [id, title, body, label], max_null_fraction: 0.5, duplicates: [title, body]}
      - sample: {from: train, stratify_by: type, per_class: 20, splits: {train: 0.8, valid: 0.2}, seed: 9}
    """

    func testTheHeadDecidesAsTheStagesDoInMemory() throws {
        let spec = try StageHarness.spec(stages: stagesYAML)
        let stages = try spec.stages.map { try StageRegistry.make($0, spec: spec) }
        let columns = spec.fieldNames
        let encoder = RecordCoding.Encoder(columns: columns)
        func lines(_ rows: [Record]) -> [String] { rows.map { RecordCoding.jsonLine($0, columns: columns) } }

        // The reference: each stage on all rows in memory, as the runner runs them.
        var rows = crafted()
        var reference: [(result: StageResult, rowsIn: Int, rows: [Record])] = []
        for stage in stages {
            let rowsIn = rows.count
            let result = try (stage as! any InPlaceStage).applyInPlace(&rows)
            reference.append((result, rowsIn, rows))
        }
        let drop = reference[1].result
        XCTAssertTrue(drop.ledger.contains { $0.reason == "duplicate title+body (train)" && $0.record.fields["id"] == "N12" }, "\(drop.removed)")
        XCTAssertTrue(drop.ledger.contains { $0.reason == "duplicate title+body (test)" && $0.record.fields["id"] == "N29" }, "\(drop.removed)")
        XCTAssertTrue(drop.ledger.contains { $0.reason == "duplicate title+body of a test row (train copy)" && $0.record.fields["id"] == "N30" })
        XCTAssertTrue(drop.ledger.contains { $0.record.fields["id"] == "N41" }, "the normalised key matches")
        XCTAssertTrue(drop.ledger.contains { $0.reason == "missing title" })

        // Rows given alone, and rows given with their line in a file the head reads them from (as the
        // ingest's `records.jsonl`): the rows no refine changes are then not written to the spool.
        for (deferring, fromFile) in [(false, false), (true, false), (true, true)] {
            let dir = try Repo.tempDir("head-unit")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let head = try XCTUnwrap(StreamedHead.make(stages: stages, columns: columns, dir: dir))
            if fromFile {
                let rows = crafted()
                var file: [UInt8] = Array("a first line that is no row\n".utf8), offsets: [Int64] = []
                for r in rows {
                    offsets.append(Int64(file.count))
                    encoder.appendJSON(r, to: &file)
                    file.append(0x0A)
                }
                let path = dir + "/records.jsonl"
                try Data(file).write(to: URL(fileURLWithPath: path))
                try head.readingAlso(path)
                for (r, offset) in zip(rows, offsets) {
                    var line: [UInt8] = []
                    encoder.appendJSON(r, to: &line)
                    try head.add(r, line: line[...], at: offset)
                }
            } else {
                for r in crafted() { try head.add(r) }
            }
            var ledgers: [Int: [String]] = [:]
            let (outcomes, held, passthrough) = try head.finish(deferring: deferring) { k, count, lines in
                // In two ranges, as the runner asks for them in batches.
                ledgers[k] = try (lines(0..<count / 2) + lines(count / 2..<count)).map { String(decoding: $0, as: UTF8.self) }
            }
            XCTAssertEqual(outcomes.count, 3)
            for k in 0..<3 {
                let (result, rowsIn, out) = reference[k]
                XCTAssertEqual(outcomes[k].rowsIn, rowsIn, "stage \(k)")
                XCTAssertEqual(outcomes[k].rowsOut, out.count, "stage \(k)")
                XCTAssertEqual(outcomes[k].removed.map(\.reason), result.removed.map(\.reason), "stage \(k)")
                XCTAssertEqual(outcomes[k].removed.map(\.count), result.removed.map(\.count), "stage \(k)")
                XCTAssertEqual(JSONWriter.serialize(.object(outcomes[k].details)), JSONWriter.serialize(.object(result.details)), "stage \(k)")
                XCTAssertEqual(outcomes[k].warnings, result.warnings, "stage \(k)")
                XCTAssertEqual(JSONWriter.serialize(outcomes[k].classCounts), JSONWriter.serialize(ClassCounts.of(out, fields: columns)), "stage \(k)")
                let expected = result.ledger.map { String(decoding: Ledger.bytes($0, stage: stages[k] is Drop ? "drop" : "sample", encoder: encoder), as: UTF8.self) }
                XCTAssertEqual(ledgers[k] ?? [], expected, "stage \(k)'s ledger")
            }
            // The sample's rows, in its order: those of other splits first (left on disk when deferring).
            let sampled = reference[2].rows
            let others = sampled.prefix { $0.split == "test" }.count
            XCTAssertEqual(passthrough.count, deferring ? others : 0)
            XCTAssertGreaterThan(others, 0)
            let readBack = try head.read(passthrough[...])
            XCTAssertEqual(lines(readBack + held), lines(sampled), deferring ? "deferred" : "all held")
            XCTAssertEqual(lines(readBack + held).count, sampled.count, "from the file: \(fromFile)")
        }
    }

    /// A spool in a fresh folder holding `rows`, flushed.
    private func spool(_ rows: [[UInt8]], _ name: String) throws -> (spool: RowSpool, dir: String) {
        let dir = try Repo.tempDir(name)
        let spool = try RowSpool(dir: dir)
        for r in rows { try spool.append(r[...]) }
        try spool.flush()
        return (spool, dir)
    }

    func testTheSpoolGivesBackEachRowAsAppended() throws {
        // Rows of many sizes, past the write buffer (1 MiB), and an empty one.
        let rows = (0..<3000).map { Array(String(repeating: "행\($0)", count: $0 % 97).utf8) } + [[]]
        let (spool, dir) = try spool(rows, "spool")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(spool.count, rows.count)
        XCTAssertEqual(spool.bytes, Int64(rows.reduce(0) { $0 + $1.count }))
        let asked = [0, 1, 1234, 2999, 3000]
        XCTAssertEqual(try spool.rows(asked) { _, row in Array(row) }, asked.map { rows[$0] })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "the spool has no name in the folder")
    }

    func testRowsInTheSourceFileComeBackBesideAppendedOnes() throws {
        let rows = (0..<4000).map { Array(String(repeating: "열\($0)", count: $0 % 53).utf8) }
        let dir = try Repo.tempDir("spool-source")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Every third row lies in the source file (after a few bytes that are no row); the others
        // are appended, as a refine's changed rows are.
        var file: [UInt8] = Array("head\n".utf8), offsets: [Int64] = []
        for r in rows { offsets.append(Int64(file.count)); file += r + [0x0A] }
        try Data(file).write(to: URL(fileURLWithPath: dir + "/source.jsonl"))
        let spool = try RowSpool(dir: dir)
        try spool.readingAlso(dir + "/source.jsonl")
        for (i, r) in rows.enumerated() {
            if i % 3 == 0 { spool.reference(offset: offsets[i], length: r.count) } else { try spool.append(r[...]) }
        }
        try spool.flush()
        XCTAssertEqual(spool.count, rows.count)
        XCTAssertEqual(spool.bytes, Int64(rows.reduce(0) { $0 + $1.count }))
        var rng = SeededRandom(seed: 5, key: "source")
        var positions = Array(0..<4000) + [3, 3, 3999]
        rng.shuffle(&positions)
        for spanBytes in [1, 4096, 1 << 22] {
            let back = try spool.rows(positions, spanBytes: spanBytes) { k, row in (k, Array(row)) }
            XCTAssertEqual(back.map(\.0), Array(positions.indices), "offsets, spans of \(spanBytes) bytes")
            XCTAssertTrue(zip(back, positions).allSatisfy { $0.1 == rows[$1] }, "rows, spans of \(spanBytes) bytes")
        }
        XCTAssertThrowsError(try RowSpool(dir: dir).readingAlso(dir + "/missing.jsonl")) { error in
            XCTAssertTrue("\(error)".contains("missing.jsonl"), "\(error)")
        }
    }

    func testRowsComeBackInTheAskedOrderAcrossSpans() throws {
        let rows = (0..<5000).map { Array(String(repeating: "줄\($0)", count: $0 % 41).utf8) }
        let (spool, dir) = try spool(rows, "spool-rows")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Shuffled positions with repeats and gaps, read in spans far smaller than the rows asked
        // for (and one span smaller than a single row), must come back in the order asked.
        var rng = SeededRandom(seed: 3, key: "spool")
        var positions = (0..<5000).filter { $0 % 3 != 0 } + [7, 7, 4999, 0]
        rng.shuffle(&positions)
        for spanBytes in [1, 4096, 1 << 22] {
            let back = try spool.rows(positions, spanBytes: spanBytes) { k, row in (k, Array(row)) }
            XCTAssertEqual(back.map(\.0), Array(positions.indices), "offsets, spans of \(spanBytes) bytes")
            XCTAssertTrue(zip(back, positions).allSatisfy { $0.1 == rows[$1] }, "rows, spans of \(spanBytes) bytes")
        }
        XCTAssertEqual(try spool.rows([Int]()) { _, row in row.count }, [])
    }
}
