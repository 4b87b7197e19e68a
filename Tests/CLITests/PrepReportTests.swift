import Foundation
import XCTest

final class PrepReportTests: XCTestCase {
    /// The data report of the clickbait demo run: class counts per stage, lengths, frequent words.
    func testDataReportShowsEveryStageAndClass() throws {
        let w = try Workspace("prep-report")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let r = try w.prep(["report", "latest", "--by", "type", "--text", "title"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "wrote reports/run-1-data.html\n")
        let html = try String(contentsOfFile: w.dir + "/reports/run-1-data.html", encoding: .utf8)
        for stage in ["ingest", "refine", "drop", "sample", "instruct", "augment", "write"] {
            XCTAssertTrue(html.contains("<td>\(stage)</td>"), "stage \(stage) missing")
        }
        for code in ["00", "99", "11", "16", "21", "23", "24"] { XCTAssertTrue(html.contains("<th>\(code)</th>"), "type \(code) missing") }
        XCTAssertTrue(html.contains("Most frequent words per type"))
        XCTAssertTrue(html.contains("<b>588</b>"), "the ingest reads all 588 labeled entries")
        XCTAssertNil(html.range(of: #"(src|href)\s*="#, options: .regularExpression))
        let typo = try w.prep(["report", "run-1", "--by", "tpye"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.hasPrefix("error: run-1's records have no field 'tpye'; did you mean 'type'?"), typo.stderr)
    }

    /// A split whose file name the old guess (`<split>.jsonl`, one dot) missed: `prep run` records
    /// each split file's split, and the report and `eval import` read it from the store.
    func testASplitNamedWithADotIsReportedAndImportedByItsRecordedSplit() throws {
        let w = try Workspace("prep-report-dotted-split")
        try w.editSpec("clickbait.yaml", replacing: "splits: {train: 0.9, valid: 0.1}", with: "splits: {train: 0.9, valid.2024: 0.1}")
        try w.editSpec("clickbait.yaml", replacing: "  split: valid ", with: "  split: valid.2024 ")
        let run = try w.prep(["run", "specs/clickbait.yaml"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let r = try w.prep(["report", "latest", "--by", "type", "--text", "title"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let html = try String(contentsOfFile: w.dir + "/reports/run-1-data.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<h3>valid.2024</h3>"), "the dotted split has its lengths")
        // The write stage counts every row the augment stage handed it, the dotted split's included.
        func total(_ stage: String) -> String? {
            guard let row = html.range(of: "<tr><td>\(stage)</td>") else { return nil }
            let rest = html[row.upperBound...]
            guard let b = rest.range(of: "<b>"), let e = rest.range(of: "</b>") else { return nil }
            return String(rest[b.upperBound..<e.lowerBound])
        }
        XCTAssertNotNil(total("write"))
        XCTAssertEqual(total("write"), total("augment"))

        let rows = try Workspace.jsonl(w.clickbaitOut + "/valid.2024.jsonl")
        let id = try XCTUnwrap(rows.first?["id"] as? String)
        try "{\"id\": \"\(id)\", \"predicted\": \"normal\"}\n".write(toFile: w.dir + "/p.jsonl", atomically: true, encoding: .utf8)
        let imported = try Binaries.run("eval", ["import", "p.jsonl", "--spec", "specs/clickbait.yaml", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.hasSuffix("(joined by id with the prepared split 'valid.2024')\n"), imported.stdout)
        let wrong = try Binaries.run("eval", ["import", "p.jsonl", "--spec", "specs/clickbait.yaml", "--split", "valid", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(wrong.status, 2)
        XCTAssertTrue(wrong.stderr.contains("run-1 has no split 'valid' (it has: test, train, valid.2024); pick one with --split"), wrong.stderr)
    }

    /// `--model`: token lengths of the final rows under the model's tokenizer (the counts themselves
    /// are checked against llama-server in ScoringTests.TokenizerTests); `max_seq_length` from the
    /// spec flags longer rows, and the flagged count falls as the limit rises.
    func testTokenLengthsUnderTheModelAndRowsOverTheContext() throws {
        let model = Binaries.repo + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("run make setup for the test model") }
        let w = try Workspace("prep-report-tokens")
        try w.editSpec("clickbait.yaml", replacing: "nulls: [", with: "max_seq_length: 300\nnulls: [")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        func over(_ extra: [String]) throws -> Int? {
            let r = try w.prep(["report", "latest", "--model", model, "--out", w.dir + "/t.html"] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            let html = try String(contentsOfFile: w.dir + "/t.html", encoding: .utf8)
            XCTAssertTrue(html.contains("Token lengths under SmolLM2-135M-Instruct.Q4_1.gguf"))
            if html.contains("No row is longer than") { return 0 }
            guard let range = html.range(of: #"<b class="bad">(\d+) rows are longer than"#, options: .regularExpression) else { return nil }
            return Int(html[range].split(separator: ">")[1].split(separator: " ")[0])
        }
        let fromSpec = try XCTUnwrap(try over([]))
        let html = try String(contentsOfFile: w.dir + "/t.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<code>max_seq_length: 300</code>"), "the spec's context is used")
        XCTAssertGreaterThan(fromSpec, 0, "Korean costs this English-first tokenizer about 300-400 tokens a row")
        let higher = try XCTUnwrap(try over(["--max-seq-length", "400"]))
        XCTAssertLessThan(higher, fromSpec)
        XCTAssertEqual(try over(["--max-seq-length", "100000"]), 0)
        XCTAssertEqual(try over(["--max-seq-length", "1"]), 1028, "every final row, augmented copies included")
        let bad = try w.prep(["report", "latest", "--max-seq-length", "10"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--max-seq-length needs --model"), bad.stderr)
    }
}
