import Foundation
import XCTest

/// What a prep run leaves in its output folder, and which run the reports and the scorer read:
/// every case here gave a wrong result with exit 0 before (issue 17, items 1 to 3).
final class PrepOutputFolderTests: XCTestCase {
    private func files(_ w: Workspace) -> Set<String> {
        Set(w.snapshot("out/clickbait").keys.filter { !$0.hasPrefix(".") })
    }

    func testASplitNameTypoIsASpecErrorWithASuggestion() throws {
        let w = try Workspace("split-typo")
        try w.editSpec("clickbait.yaml", replacing: "sample: {from: train,", with: "sample: {from: trian,")
        for args in [["check", "specs/clickbait.yaml"], ["run", "specs/clickbait.yaml", "--db", w.db]] {
            let r = try Binaries.run("prep", args, cwd: w.dir)
            let command = args[0]
            XCTAssertEqual(r.status, 2, command)
            XCTAssertTrue(r.stderr.contains("specs/clickbait.yaml:"), r.stderr)
            XCTAssertTrue(r.stderr.contains("no split 'trian' at this point of the spec; did you mean 'train'? (splits: train, test)"), r.stderr)
        }
        XCTAssertFalse(w.exists("out/clickbait/train.jsonl"))
    }

    func testTheEvalSplitMustBeOneTheStagesMake() throws {
        let w = try Workspace("eval-split")
        try w.editSpec("clickbait.yaml", replacing: "  split: valid ", with: "  split: vaild ")
        let r = try Binaries.run("prep", ["check", "specs/clickbait.yaml"], cwd: w.dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("no split 'vaild' at this point of the spec; did you mean 'valid'? (splits: test, train, valid)"), r.stderr)
    }

    func testARunLeavesExactlyTheFilesItWrote() throws {
        let w = try Workspace("stale")
        let first = try w.prep(["run", "specs/clickbait.yaml"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(files(w).contains("valid.jsonl"))
        // Files harness never wrote: a data file another tool left (moved aside, so a trainer does
        // not read it) and a person's notes (left alone).
        try "{}".write(toFile: w.clickbaitOut + "/extra.jsonl", atomically: true, encoding: .utf8)
        try "mine".write(toFile: w.clickbaitOut + "/notes.txt", atomically: true, encoding: .utf8)

        // The same spec without a valid split: valid.* of the first run must not stay behind.
        try w.editSpec("clickbait.yaml", replacing: "splits: {train: 0.9, valid: 0.1}", with: "splits: {train: 1.0}")
        try w.editSpec("clickbait.yaml", replacing: "  split: valid ", with: "  split: test ")
        let second = try w.prep(["run", "specs/clickbait.yaml"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let after = files(w)
        for suffix in ["jsonl", "csv", "alpaca.jsonl"] { XCTAssertFalse(after.contains("valid.\(suffix)"), "valid.\(suffix) stayed") }
        XCTAssertFalse(after.contains("extra.jsonl"))
        XCTAssertEqual(try String(contentsOfFile: w.clickbaitOut + "/.stale/extra.jsonl", encoding: .utf8), "{}")
        XCTAssertTrue(after.contains("notes.txt"), "not a data file: left where it is")
        XCTAssertTrue(second.stdout.contains("removed "), second.stdout)
        XCTAssertTrue(second.stdout.contains("out/clickbait/valid.jsonl"), second.stdout)
        XCTAssertTrue(second.stdout.contains("moved 1 file harness did not write into out/clickbait/.stale/: out/clickbait/extra.jsonl"), second.stdout)

        // Exactly the files the run recorded, checked against the store with sqlite3's own reader.
        let recorded = try Python.json("""
            import sqlite3, sys, json
            db = sqlite3.connect(sys.argv[1])
            print(json.dumps(sorted(p for (p,) in db.execute("SELECT path FROM artifacts WHERE run_id = 2"))))
            """, [w.db]) as? [String]
        XCTAssertEqual(Set((recorded ?? []).map { String($0.dropFirst("out/clickbait/".count)) }), after.subtracting(["notes.txt"]))
    }

    func testAReportOfAReplacedRunRefusesAndNamesTheRunThatReplacedIt() throws {
        let w = try Workspace("replaced")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        XCTAssertEqual(try w.prep(["report", "run-1", "--out", w.dir + "/r1.html"]).status, 0)
        try w.editSpec("clickbait.yaml", replacing: "per_class: 1000", with: "per_class: 10")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let r = try w.prep(["report", "run-1", "--out", w.dir + "/r1b.html"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.contains("run-1's outputs were replaced by run-2 (from specs/clickbait.yaml)"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: w.dir + "/r1b.html"))
        XCTAssertEqual(try w.prep(["report", "run-2", "--out", w.dir + "/r2.html"]).status, 0)
    }

    func testTwoSpecsWithOneNameDoNotShareAFolderSilently() throws {
        let w = try Workspace("collide")
        let text = try String(contentsOfFile: w.dir + "/specs/clickbait.yaml", encoding: .utf8)
        try text.replacingOccurrences(of: "per_class: 1000", with: "per_class: 10").write(toFile: w.dir + "/specs/cb10.yaml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)

        let taken = try w.prep(["run", "specs/cb10.yaml"])
        XCTAssertEqual(taken.status, 2)
        XCTAssertTrue(taken.stderr.contains("out/clickbait/ holds the outputs of run-1, prepared from specs/clickbait.yaml; specs/cb10.yaml would replace them"), taken.stderr)
        XCTAssertEqual(try Workspace.jsonl(w.clickbaitOut + "/valid.jsonl").count, 47, "run-1's files are untouched")

        // Once the folder is handed over, scoring the other spec is refused instead of reading cb10's data.
        try FileManager.default.removeItem(atPath: w.clickbaitOut)
        XCTAssertEqual(try w.prep(["run", "specs/cb10.yaml"]).status, 0)
        let score = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", Binaries.repo + "/models/SmolLM2-135M-Instruct.Q4_1.gguf",
                                              "--db", w.db], cwd: w.dir)
        XCTAssertEqual(score.status, 2)
        XCTAssertTrue(score.stderr.contains("out/clickbait/ holds the data run-"), score.stderr)
        XCTAssertTrue(score.stderr.contains("prepared from specs/cb10.yaml, not from specs/clickbait.yaml"), score.stderr)

        let runs = try Binaries.run("eval", ["runs", "--db", w.db], cwd: w.dir)
        XCTAssertTrue(runs.stdout.contains("specs/cb10.yaml@"), runs.stdout)
        XCTAssertTrue(runs.stdout.contains("specs/clickbait.yaml@"), runs.stdout)
    }

    func testTwoSpecsReadingOneSourceEachWriteTheirOwnRecords() throws {
        // Found while building dedup: the second spec used to reuse the first one's cached ingest and
        // record out/clickbait/records.jsonl as its own, so it owned a folder it never wrote, and its
        // own folder had no records.jsonl.
        let w = try Workspace("sharedsource")
        let text = try String(contentsOfFile: w.dir + "/specs/clickbait.yaml", encoding: .utf8)
        try text.replacingOccurrences(of: "name: clickbait", with: "name: other").write(toFile: w.dir + "/specs/other.yaml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let other = try w.prep(["run", "specs/other.yaml"])
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertFalse(other.stdout.contains("ingest    588 -> 588  (unchanged, skipped)"), other.stdout)
        XCTAssertTrue(w.exists("out/other/records.jsonl"))
        let paths = try Python.json("""
            import json, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(json.dumps(sorted(p for (p,) in db.execute("SELECT path FROM artifacts WHERE run_id = 2"))))
            """, [w.db]) as? [String]
        XCTAssertFalse((paths ?? []).isEmpty)
        XCTAssertEqual((paths ?? []).filter { !$0.hasPrefix("out/other/") }, [], "run-2 records only files in its own folder")
        // And the first spec still owns its folder: a rerun is a no-op.
        let again = try w.prep(["run", "specs/clickbait.yaml"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout.components(separatedBy: "(unchanged, skipped)").count - 1, 8, "ingest, 6 stages and write: \(again.stdout)")
    }

    func testAnEditedSpecMustBePreparedAgainBeforeScoring() throws {
        let w = try Workspace("edited")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        try w.editSpec("clickbait.yaml", replacing: "per_class: 1000", with: "per_class: 10")
        let score = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", Binaries.repo + "/models/SmolLM2-135M-Instruct.Q4_1.gguf",
                                              "--db", w.db], cwd: w.dir)
        XCTAssertEqual(score.status, 2)
        XCTAssertTrue(score.stderr.contains("specs/clickbait.yaml changed since run-1 prepared out/clickbait/"), score.stderr)
    }
}
