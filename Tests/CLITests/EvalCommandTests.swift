import Foundation
import XCTest

/// `eval import`, `check`, `report`, `ensemble`, `compare`, `attach-log` and `runs` through the real
/// binary, on the committed metric fixtures (fixtures/metrics: predictions whose reference metrics
/// scikit-learn and scipy computed; see fixtures/metrics/make_reference.py).
final class EvalCommandTests: XCTestCase {
    func eval(_ w: Workspace, _ args: [String]) throws -> Binaries.Result {
        try Binaries.run("eval", args + ["--db", w.db], cwd: w.dir)
    }

    /// Imports a fixture case and returns its run name.
    func importCase(_ w: Workspace, _ name: String, spec: String = "clickbait") throws -> String {
        let r = try eval(w, ["import", "fixtures/metrics/cases/\(name).jsonl", "--spec", "specs/\(spec).yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return String(r.stdout.prefix(while: { $0 != ":" }))
    }

    func testCheckPassesEqualRunsAndFailsAPlantedRegressionWithJUnit() throws {
        let w = try Workspace("eval-check")
        let base = try importCase(w, "binary"), same = try importCase(w, "binary"), worse = try importCase(w, "binary_candidate")
        let pass = try eval(w, ["check", same, "--baseline", base])
        XCTAssertEqual(pass.status, 0, pass.stdout + pass.stderr)
        XCTAssertTrue(pass.stdout.hasSuffix("PASS\n"), pass.stdout)

        let fail = try eval(w, ["check", worse, "--baseline", base, "--junit", "check.xml"])
        XCTAssertEqual(fail.status, 1, fail.stdout + fail.stderr)
        // scipy: 34 items only the baseline got right, 7 only the candidate, p = 2.53e-05.
        XCTAssertTrue(fail.stdout.contains("McNemar exact: 34 items only the baseline got right, 7 only the candidate; p = 0.0000 (significant)"), fail.stdout)
        XCTAssertTrue(fail.stdout.contains("accuracy        0.8325"), fail.stdout)
        let xml = try String(contentsOfFile: w.dir + "/check.xml", encoding: .utf8)
        XCTAssertTrue(xml.contains("tests=\"2\" failures=\"2\""), xml)
        XCTAssertTrue(xml.contains("<failure message=\"accuracy dropped by 0.0675 (0.8325 -&gt; 0.7650)"), xml)

        // A loose gate lets the same drop through.
        XCTAssertEqual(try eval(w, ["check", worse, "--baseline", base, "--max-drop", "0.1"]).status, 0)
    }

    func testCheckRefusesRunsOnDifferentItemsAndBadArguments() throws {
        let w = try Workspace("eval-check-refuse")
        let a = try importCase(w, "binary"), b = try importCase(w, "three_class", spec: "dialogue-inference")
        let r = try eval(w, ["check", b, "--baseline", a])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("error: the runs were scored on different items (400 only in the baseline, 151 only in the candidate"), r.stderr)
        let bad = try eval(w, ["check", b, "--baseline", a, "--alpha", "2"])
        XCTAssertEqual(bad.status, 64, "ArgumentParser's usage error")
        XCTAssertTrue(bad.stderr.contains("--alpha must be between 0 and 1"), bad.stderr)
        let unknown = try eval(w, ["report", "run-99"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no run 'run-99' in the store; recent runs: run-2, run-1"), unknown.stderr)
    }

    /// `--format`, `--backend` and `--vote` are enums: the help lists their values and a typo is a
    /// usage error naming them. `prep report` on an eval run says which report to use.
    func testOptionValuesAreCheckedAndListed() throws {
        let w = try Workspace("eval-enums")
        let run = try importCase(w, "binary")
        let format = try eval(w, ["report", run, "--format", "htm"])
        XCTAssertEqual(format.status, 64, format.stderr)
        XCTAssertTrue(format.stderr.contains("'html'") && format.stderr.contains("'json'") && format.stderr.contains("'md'"), format.stderr)
        XCTAssertTrue(try Binaries.run("eval", ["report", "--help"]).stdout.contains("values: html, json, md"))
        let backend = try eval(w, ["score", "specs/clickbait.yaml", "--model", "m.gguf", "--backend", "vllm"])
        XCTAssertEqual(backend.status, 64, backend.stderr)
        XCTAssertTrue(backend.stderr.contains("'llama'") && backend.stderr.contains("'openai'"), backend.stderr)
        let vote = try eval(w, ["ensemble", run, run, "--vote", "soft"])
        XCTAssertEqual(vote.status, 64, vote.stderr)
        XCTAssertTrue(vote.stderr.contains("'hard'"), vote.stderr)
        XCTAssertEqual(try eval(w, ["report", run, "--format", "md"]).status, 0)
        // The explicit id is refused by its kind before the report is built.
        let prepReport = try Binaries.run("prep", ["report", run, "--db", w.db], cwd: w.dir)
        XCTAssertEqual(prepReport.status, 2)
        XCTAssertFalse(prepReport.stderr.contains("resumes"), "an import is not resumed by eval score: \(prepReport.stderr)")
    }

    func testReportWritesOneOfflineHTMLFileWithTheLog() throws {
        let w = try Workspace("eval-report")
        let run = try importCase(w, "binary")
        XCTAssertEqual(try eval(w, ["attach-log", run, "fixtures/trainer_state.json"]).status, 0)
        let r = try eval(w, ["report", "latest"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "wrote reports/\(run).html\n")
        let html = try String(contentsOfFile: w.dir + "/reports/\(run).html", encoding: .utf8)
        XCTAssertTrue(html.contains("83.3%"), "accuracy 0.8325 from scikit-learn")
        XCTAssertTrue(html.contains("Loss") && html.contains("<polyline"))
        let md = try eval(w, ["report", run, "--format", "md"])
        XCTAssertTrue(md.stdout.contains("| clickbait | 0.783 | 0.834 | 0.808 | 169 |"), md.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(try eval(w, ["report", run, "--format", "json"]).stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["accuracy"] as? Double ?? 0, 0.8325, accuracy: 1e-12)
        XCTAssertEqual(try eval(w, ["report", run, "--format", "pdf"]).status, 64, "a usage error: --format is html, json or md")
    }

    func testEnsembleAndCompareMakeRunsAndPages() throws {
        let w = try Workspace("eval-ensemble")
        let a = try importCase(w, "binary"), b = try importCase(w, "binary_candidate"), c = try importCase(w, "binary")
        let e = try eval(w, ["ensemble", a, b, c])
        XCTAssertEqual(e.status, 0, e.stderr)
        // Two of three members are the baseline, so the vote reproduces it: accuracy 0.8325.
        XCTAssertTrue(e.stdout.hasPrefix("run-4: hard vote of \(a), \(b), \(c) over 400 items, accuracy 0.8325"), e.stdout)
        let cmp = try eval(w, ["compare", a, b])
        XCTAssertEqual(cmp.status, 0, cmp.stderr)
        let html = try String(contentsOfFile: w.dir + "/reports/\(a)-vs-\(b).html", encoding: .utf8)
        XCTAssertTrue(html.contains("Changed predictions"), html)
        let runs = try eval(w, ["runs"])
        XCTAssertTrue(runs.stdout.contains("run-4     ensemble"), runs.stdout)
    }

    func testEnsembleOfRunsOnDifferentItemsSaysWhichRunLacksWhat() throws {
        let w = try Workspace("eval-ensemble-items")
        let lines = try String(contentsOfFile: Binaries.repo + "/fixtures/metrics/cases/binary.jsonl", encoding: .utf8).split(separator: "\n")
        try (lines.dropFirst(4).joined(separator: "\n") + "\n").write(toFile: w.dir + "/short.jsonl", atomically: true, encoding: .utf8)
        let a = try importCase(w, "binary")
        XCTAssertEqual(try eval(w, ["import", "short.jsonl", "--spec", "specs/clickbait.yaml"]).status, 0)
        let r = try eval(w, ["ensemble", a, "run-2", a])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: the runs to combine do not hold the same items: run-2 lacks 4 of run-1's items (e.g. binary-00000, binary-00001, binary-00002, ...); "
            + "an ensemble needs runs scored on the same spec, split and limit\n")
    }

    func testImportErrorsNameTheLine() throws {
        let w = try Workspace("eval-import")
        try "{\"id\": \"a\", \"predicted\": \"normal\"}\n{\"id\": \"b\"}\n".write(toFile: w.dir + "/p.jsonl", atomically: true, encoding: .utf8)
        let r = try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: p.jsonl:2: missing \"predicted\" for id b\n")
    }
}
