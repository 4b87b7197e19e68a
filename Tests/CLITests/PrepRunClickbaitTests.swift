import Foundation
import XCTest

/// `prep run specs/clickbait.yaml` on fixtures/aihub/clickbait (588 labeled docs), checked against
/// an independent python reading of the same zips (FixtureScripts.clickbait).
final class PrepRunClickbaitTests: XCTestCase {
    nonisolated(unsafe) static var ws: Workspace?
    nonisolated(unsafe) static var first: Binaries.Result?
    nonisolated(unsafe) static var rerun: Binaries.Result?
    nonisolated(unsafe) static var afterFirst: [String: Data] = [:]
    nonisolated(unsafe) static var fixture: [String: Any] = [:]
    nonisolated(unsafe) static var setupError: String?

    override class func setUp() {
        super.setUp()
        do {
            let w = try Workspace("clickbait")
            ws = w
            first = try w.prep(["run", "specs/clickbait.yaml"])
            afterFirst = w.snapshot("out/clickbait")
            rerun = try w.prep(["run", "specs/clickbait.yaml"])
            fixture = try Python.json(FixtureScripts.clickbait, [Binaries.repo + "/fixtures/aihub/clickbait"]) as? [String: Any] ?? [:]
        } catch {
            setupError = "\(error)"
        }
    }

    override class func tearDown() {
        ws = nil
        super.tearDown()
    }

    private func workspace() throws -> Workspace {
        XCTAssertNil(Self.setupError)
        let r = try XCTUnwrap(Self.first)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(Self.ws)
    }

    private func fixtureInts(_ key: String) throws -> [String: Int] { try XCTUnwrap(Self.fixture[key] as? [String: Int], key) }

    private func outputs(_ w: Workspace, _ split: String) throws -> [[String: Any]] {
        try Workspace.jsonl(w.clickbaitOut + "/\(split).jsonl")
    }

    /// The id of the article a row came from (augmented rows carry it in `_origin`).
    private func article(_ row: [String: Any]) -> String { (row["_origin"] as? String) ?? (row["id"] as? String ?? "") }

    func testTheRunWritesJSONLCSVAndAlpacaFilesPerSplit() throws {
        let w = try workspace()
        for split in ["train", "valid", "test"] {
            for suffix in ["jsonl", "csv", "alpaca.jsonl"] {
                XCTAssertTrue(w.exists("out/clickbait/\(split).\(suffix)"), "\(split).\(suffix)")
            }
        }
        XCTAssertEqual(Set(Self.afterFirst.keys.filter { !$0.contains("/") && !$0.hasPrefix("records.") }),
                       ["train.jsonl", "train.csv", "train.alpaca.jsonl", "valid.jsonl", "valid.csv", "valid.alpaca.jsonl",
                        "test.jsonl", "test.csv", "test.alpaca.jsonl"])
        let stdout = try XCTUnwrap(Self.first?.stdout)
        XCTAssertTrue(stdout.hasPrefix("clickbait: run-1 done in "), stdout)
        for split in ["train", "valid", "test"] {
            let rows = try outputs(w, split).count
            XCTAssertTrue(stdout.contains("out/clickbait/\(split).jsonl  (\(rows) rows)"), "\(split): \(stdout)")
        }
    }

    func testIngestGivesOneRecordPerLabeledEntry() throws {
        let w = try workspace()
        let entries = try fixtureInts("entries")          // python: `_L.json` entries per split
        let ids = try XCTUnwrap(Self.fixture["ids"] as? [String: [String]])
        let records = try Workspace.jsonl(w.clickbaitOut + "/records.jsonl")
        XCTAssertEqual(records.count, entries.values.reduce(0, +))
        for (split, n) in entries {
            let mine = records.filter { $0["_split"] as? String == split }
            XCTAssertEqual(mine.count, n, split)
            XCTAssertEqual(Set(mine.compactMap { $0["id"] as? String }), Set(ids[split] ?? []), split)
        }
        let stdout = try XCTUnwrap(Self.first?.stdout)
        let splitsLine = try XCTUnwrap(stdout.split(separator: "\n").first { $0.contains("splits:") }, stdout)
        XCTAssertTrue(splitsLine.contains("train \(entries["train"] ?? -1)"), String(splitsLine))
        XCTAssertTrue(splitsLine.contains("test \(entries["test"] ?? -1)"), String(splitsLine))
        XCTAssertTrue(stdout.contains("  ingest    \(records.count) -> \(records.count)"), stdout)
    }

    func testCSVFilesStartWithABOMAndMatchTheirJSONLUnderRFC4180() throws {
        let w = try workspace()
        let check = try XCTUnwrap(try Python.json(FixtureScripts.csvCheck, [w.clickbaitOut, "train", "valid", "test"]) as? [String: [String: Any]])
        let columns = ["id", "part", "type", "category", "title", "subtitle", "body", "label"]
        let meta = ["_split", "_archive", "_entry", "_origin"]
        XCTAssertEqual(Set(check.keys), ["train", "valid", "test"])
        XCTAssertNil(Self.afterFirst["records.csv"], "records.csv only with --keep-stages")
        for (split, c) in check {
            XCTAssertEqual(c["bom"] as? Bool, true, split)
            XCTAssertEqual(c["mismatches"] as? Int, 0, split)
            XCTAssertEqual(c["rows"] as? Int, c["jsonl_rows"] as? Int, split)
            XCTAssertGreaterThan(c["rows"] as? Int ?? 0, 0, split)
            let header = c["header"] as? [String]
            // dedup (action: group) adds `cluster` after the record's own fields.
            XCTAssertEqual(header, columns + ["cluster", "instruction", "input", "output"] + meta, split)
        }
        let raw = try XCTUnwrap(Self.afterFirst["train.csv"])
        XCTAssertEqual(Array(raw.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertTrue(String(decoding: raw, as: UTF8.self).contains("\r\n"), "RFC 4180 line ends")
    }

    func testEachCodeGivesMinOf1000AndWhatSurvivesCleaningToTrainPlusValid() throws {
        let w = try workspace()
        let kept = try XCTUnwrap(Self.fixture["kept"] as? [String: [String: Int]])
        let available = try XCTUnwrap(kept["train"])
        XCTAssertEqual(available.count, 12, "all 12 processPattern codes occur in Training")
        var got: [String: Int] = [:]
        for row in try outputs(w, "train") + outputs(w, "valid") where row["_origin"] == nil {
            got[row["type"] as? String ?? "?", default: 0] += 1
        }
        // Less the training near-copies of test articles that dedup removed (its ledger names them).
        var expected = available.mapValues { min(1000, $0) }
        for line in try Workspace.jsonl(w.clickbaitOut + "/removed/03-dedup.jsonl") {
            let row = try XCTUnwrap(line["row"] as? [String: Any])
            XCTAssertEqual(row["_split"] as? String, "train")
            expected[row["type"] as? String ?? "?", default: 0] -= 1
        }
        XCTAssertEqual(got, expected)
        XCTAssertEqual(try outputs(w, "test").count, kept["test"]?.values.reduce(0, +), "the Validation docs that survive the drop stage")
        let stdout = try XCTUnwrap(Self.first?.stdout)
        XCTAssertTrue(stdout.contains("warning: 12 of 12 classes of type have fewer than per_class 1000 items"), stdout)
        XCTAssertTrue(stdout.contains("23 (\(available["23"] ?? -1))"), stdout)
    }

    func testTrainAndValidShareNoArticleAndTestIsTheHeldOutValidation() throws {
        let w = try workspace()
        let train = Set(try outputs(w, "train").map(article))
        let valid = Set(try outputs(w, "valid").map(article))
        let test = Set(try outputs(w, "test").map(article))
        XCTAssertFalse(train.isEmpty)
        XCTAssertFalse(valid.isEmpty)
        XCTAssertTrue(train.isDisjoint(with: valid), "\(train.intersection(valid))")
        let ids = try XCTUnwrap(Self.fixture["ids"] as? [String: [String]])
        XCTAssertTrue(test.isSubset(of: Set(ids["test"] ?? [])))
        XCTAssertTrue(train.union(valid).isSubset(of: Set(ids["train"] ?? [])))
        XCTAssertTrue(try outputs(w, "test").allSatisfy { $0["_origin"] == nil }, "test is never augmented")
        XCTAssertTrue(try outputs(w, "valid").allSatisfy { $0["_origin"] == nil }, "valid is never augmented")
        let augmented = try outputs(w, "train").filter { $0["_origin"] != nil }
        XCTAssertTrue(augmented.allSatisfy { ($0["id"] as? String) == "\(article($0))#aug1" })
    }

    func testARerunSkipsEveryStageSaysSoAndRewritesNothing() throws {
        let w = try workspace()
        let r = try XCTUnwrap(Self.rerun)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for name in ["ingest", "refine", "drop", "sample", "instruct", "augment", "write"] {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix("  \(name) ") }, "no line for \(name): \(r.stdout)")
            XCTAssertTrue(line.contains("(unchanged, skipped)"), line)
        }
        XCTAssertTrue(r.stdout.hasPrefix("clickbait: run-2 done in "), r.stdout)
        XCTAssertTrue(r.stdout.contains("splits: train \(try fixtureInts("entries")["train"] ?? -1)"), r.stdout)
        XCTAssertEqual(w.snapshot("out/clickbait"), Self.afterFirst)
        let runs = try w.prep(["runs"])
        XCTAssertEqual(runs.status, 0, runs.stderr)
        XCTAssertTrue(runs.stdout.contains("run-2  clickbait  specs/clickbait.yaml@"), runs.stdout)
        XCTAssertTrue(runs.stdout.contains("  done  "), runs.stdout)
        XCTAssertTrue(runs.stdout.contains("(cached)"), runs.stdout)
    }

    func testASecondRunInAnotherFolderWithAFreshStoreIsByteIdentical() throws {
        _ = try workspace()
        let other = try Workspace("clickbait-again")
        let r = try other.prep(["run", "specs/clickbait.yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.contains("skipped"), "a fresh store has nothing to reuse")
        let snap = other.snapshot("out/clickbait")
        XCTAssertEqual(Set(snap.keys), Set(Self.afterFirst.keys))
        for (path, bytes) in Self.afterFirst {
            XCTAssertTrue(snap[path] == bytes, "\(path) differs")
        }
    }

    func testAnotherSeedGivesAnotherSample() throws {
        let w = try workspace()
        let other = try Workspace("clickbait-seed")
        try other.editSpec("clickbait.yaml", replacing: "seed: 42", with: "seed: 43")
        let r = try other.prep(["run", "specs/clickbait.yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let validA = Set(try outputs(w, "valid").map(article))
        let validB = Set(try outputs(other, "valid").map(article))
        XCTAssertEqual(validA.count, validB.count, "the same per-class split sizes")
        XCTAssertNotEqual(validA, validB)
        let poolA = validA.union(try outputs(w, "train").map(article))
        let poolB = validB.union(try outputs(other, "train").map(article))
        XCTAssertEqual(poolA, poolB, "the same articles, split differently")
        XCTAssertEqual(other.snapshot("out/clickbait")["test.jsonl"], Self.afterFirst["test.jsonl"], "the held-out test split does not depend on the seed")
    }
}
