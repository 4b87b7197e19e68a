import Foundation
import XCTest

/// `eval import` through the real binary against a real prepared split of the clickbait fixtures:
/// files that would give wrong numbers are refused, or let through with a warning that `--strict` refuses.
final class EvalImportTests: XCTestCase {
    func eval(_ w: Workspace, _ args: [String]) throws -> Binaries.Result {
        try Binaries.run("eval", args + ["--db", w.db], cwd: w.dir)
    }

    /// A workspace whose clickbait spec has been prepared, and the (id, label, type) of its valid split.
    func prepared(_ label: String) throws -> (Workspace, [(id: String, label: String, type: String)]) {
        let w = try Workspace(label)
        let prep = try w.prep(["run", "specs/clickbait.yaml"])
        XCTAssertEqual(prep.status, 0, prep.stderr)
        let rows = try Workspace.jsonl(w.clickbaitOut + "/valid.jsonl").map { ($0["id"] as? String ?? "", $0["label"] as? String ?? "", $0["type"] as? String ?? "") }
        XCTAssertGreaterThan(rows.count, 4)
        return (w, rows)
    }

    func write(_ w: Workspace, _ lines: [String]) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: w.dir + "/p.jsonl", atomically: true, encoding: .utf8)
    }

    func line(_ id: String, _ predicted: String, gold: String? = nil) -> String {
        "{\"id\": \"\(id)\", \"predicted\": \"\(predicted)\"" + (gold.map { ", \"gold\": \"\($0)\"" } ?? "") + "}"
    }

    func importRuns(_ w: Workspace) throws -> Int {
        try eval(w, ["runs"]).stdout.components(separatedBy: "\n").filter { $0.contains(" import ") }.count
    }

    func testAFileSharingNoIDWithThePreparedSplitIsRefused() throws {
        let (w, _) = try prepared("import-nomatch")
        try write(w, [line("x-1", "normal", gold: "normal"), line("x-2", "clickbait", gold: "normal")])
        let r = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.hasPrefix("error: p.jsonl: none of its 2 ids is in the prepared split 'valid' ("), r.stderr)
        XCTAssertTrue(r.stderr.contains("the file has x-1, x-2); choose the split the predictions were made on with --split"), r.stderr)
        XCTAssertEqual(try importRuns(w), 0, "nothing is recorded")
    }

    func testVerbalisedLabelsAreMappedAndOtherValuesRefusedWithASuggestion() throws {
        let (w, rows) = try prepared("import-labels")
        try write(w, [line(rows[0].id, "낚시성 기사"), line(rows[1].id, " 정상 기사 "), line(rows[2].id, "normal")])
        let r = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix("imported 3 predictions (joined by id with the prepared split 'valid')\n"), r.stdout)
        XCTAssertTrue(r.stderr.contains("note: '낚시성 기사' was read as the label clickbait"), r.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(try eval(w, ["report", "latest", "--format", "json"]).stdout.utf8)) as? [String: Any]
        XCTAssertEqual(Set(((report?["predicted"] as? [String: Any]) ?? [:]).keys), ["clickbait", "normal"], "no third class")

        try write(w, [line(rows[0].id, "normal"), line(rows[1].id, "낚시성 긱사")])
        let bad = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "error: p.jsonl:2: \"predicted\" of id \(rows[1].id) is '낚시성 긱사', which is not a label of spec 'clickbait' "
            + "(labels: clickbait, normal; or their verbalisations: '낚시성 기사', '정상 기사'); did you mean '낚시성 기사' (clickbait)?\n")
        try write(w, [line(rows[0].id, "normal", gold: "clickbiat")])
        let gold = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"])
        XCTAssertEqual(gold.status, 2)
        XCTAssertTrue(gold.stderr.contains("p.jsonl:1: \"gold\" of id \(rows[0].id) is 'clickbiat'") && gold.stderr.contains("did you mean 'clickbait'?"), gold.stderr)
        XCTAssertEqual(try importRuns(w), 1)
    }

    func testUnknownIDsAndDisagreeingGoldWarnAndStrictRefuses() throws {
        let (w, rows) = try prepared("import-warn")
        let flipped = rows[1].label == "normal" ? "clickbait" : "normal"
        try write(w, [line(rows[0].id, rows[0].label), line(rows[1].id, rows[1].label, gold: flipped), line(rows[2].id, rows[2].label),
                      line("nope-1", "normal"), line("nope-2", "normal", gold: "normal")])
        let strict = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml", "--strict"])
        XCTAssertEqual(strict.status, 2, strict.stdout)
        XCTAssertTrue(strict.stderr.hasPrefix("error: p.jsonl: --strict: 2 ids are not in the prepared split 'valid'"), strict.stderr)
        XCTAssertEqual(try importRuns(w), 0)

        let r = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: 2 ids are not in the prepared split 'valid' (out/clickbait/valid.jsonl) and were left out: nope-1, nope-2\n"), r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: 1 line gives a \"gold\" that disagrees with the prepared split 'valid'; the prepared split's gold was used: "
            + "\(rows[1].id) (file: \(flipped), split: \(rows[1].label))\n"), r.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(try eval(w, ["report", "latest", "--format", "json"]).stdout.utf8)) as? [String: Any]
        XCTAssertEqual(report?["items"] as? Int, 3, "unknown ids are left out")
        XCTAssertEqual(report?["accuracy"] as? Double, 1, "the prepared split's gold wins")
        let byType = (report?["breakdowns"] as? [String: Any])?["type"] as? [String: Any] ?? [:]
        XCTAssertEqual(Set(byType.keys), Set(rows.prefix(3).map(\.type)), "no (none) group from unknown ids")
    }

    func testWithoutAPreparedSplitEveryLineNeedsGold() throws {
        let w = try Workspace("import-unprepared")
        try write(w, [line("a", "normal", gold: "normal"), line("b", "clickbait")])
        let r = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertEqual(r.stderr, "error: p.jsonl:2: id b has no \"gold\" and no prepared split can supply it: spec 'clickbait': no finished prep run; "
            + "run `bin/prep run specs/clickbait.yaml` first (or give \"gold\" on every line)\n")
        try write(w, [line("a", "normal", gold: "normal"), line("b", "clickbait", gold: "normal")])
        let ok = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "run-1: imported 2 predictions (gold labels from the file)\n")
        XCTAssertTrue(ok.stderr.contains("note: spec 'clickbait': no finished prep run"), ok.stderr)
    }

    func testABrokenEvalSectionIsAnError() throws {
        let w = try Workspace("import-broken-eval")
        try w.editSpec("clickbait.yaml", replacing: "  normalize: mean", with: "  normalise: mean")
        try write(w, [line("a", "normal", gold: "normal")])
        let r = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.contains("normalise") && r.stderr.contains("normalize"), r.stderr)
    }
}
