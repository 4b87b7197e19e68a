import EvalStore
import Evaluation
import Foundation
import JSON
import Records
import Reporting
import Store
import Support
import XCTest

/// Every report kind is fed text a person or a log could hold (a label, a class name, an item's text, a
/// field name, a spec name, a training-log metric key, a run setting, a grader's name) that is also
/// markup, and must show it as text: no `<script>` of its own, quotes and ampersands escaped.
final class HostileTextTests: XCTestCase {
    static let hostile = "<script>alert(1)</script> \"q\" 'a' & b"
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &#39;a&#39; &amp; b"
    let h = HostileTextTests.hostile, e = HostileTextTests.escaped

    var dir = ""
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/out/removed", withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// The page holds the hostile text only escaped, and no script but the report's own.
    func assertSafe(_ html: String, scripts: Int = 0, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(html.contains("alert(1)</script>"), "unescaped hostile text", file: file, line: line)
        XCTAssertFalse(html.contains("\"q\""), "unescaped quotes", file: file, line: line)
        XCTAssertFalse(html.contains("'a' & b"), "unescaped apostrophes or ampersand", file: file, line: line)
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, scripts, "only the report's own scripts", file: file, line: line)
        XCTAssertTrue(html.contains(e), "the text appears, escaped", file: file, line: line)
    }

    /// A generate-mode score run of a spec named `hostile`, whose labels, fields, scores, answers,
    /// settings, training log and grades all hold the hostile text.
    func scoreRun(_ store: RunStore, predicted: (Int) -> String) throws -> Int {
        let run = try store.beginRun(kind: .score, spec: SpecIdentity(name: h, path: "specs/\(h).yaml", digest: "d", version: 1),
                                     settings: .object([("mode", .string("generate")), ("note", .string(h)), (h, .string("x")),
                                                        ("breakdown", .array([.string(h)])), ("show", .array([.string(h)]))]))
        let preds = (1...4).map { i -> Prediction in
            var p = Prediction(id: i == 2 ? h : "\(i)", gold: i % 2 == 0 ? h : "normal", predicted: predicted(i),
                               scores: [h: -1, "normal": -2], fields: [h: i <= 2 ? h : "plain"])
            p.answer = h
            return p
        }
        try store.savePredictions(run: run, preds.map(RunPredictions.stored))
        try store.saveLogPoints(run: run, source: "log", [(1, 0.1, "eval_" + h, 0.5), (2, 0.2, "eval_" + h, 0.6), (2, 0.2, h + "_runtime", 3)])
        let setup = StoredGradingSetup(criteria: [h], scale: [0, 1, 2], category: h, labelCriterion: h)
        try store.replaceGrades(run: run, setup: setup, graders: [h, "kim"], [h, "kim"].flatMap { who in
            preds.map { StoredGrade(itemID: $0.id, grader: who, criterion: h, grade: $0.id == h ? 0 : 2, category: h) }
        })
        try store.finishRun(run, status: .done, seconds: 1)
        return run
    }

    func testEvalReport_escapesLabelsFieldsSpecLogKeysSettingsAndGraders() throws {
        let store = try RunStore(path: dir + "/store.sqlite")
        let run = try scoreRun(store) { $0 <= 2 ? "normal" : self.h }
        let html = EvalReportHTML.render(try RunReport(store: store, run: run))
        assertSafe(html, scripts: 1)
        for place in ["<title>\(e) · run-1</title>", "<h2>By \(e)</h2>", "<option>\(e)</option>", "<th>\(e)</th>",
                      "data-group=\"\(e)\"", "aria-label=\"eval_\(e)\"", "<td>\(e)_runtime</td>", "<td>note</td><td>\(e)</td>",
                      "<td>\(e)</td><td>x</td>", "<td class=\"answer\">“\(e)”</td>", "\(e) -1.000", "graders<b>2</b>\(e), kim", "its '\(e)' grade"] {
            XCTAssertTrue(html.contains(place), "missing \(place)")
        }
        XCTAssertTrue(html.contains("</main><script>var f=document.getElementById('filter');"), "the report's own filter script")
    }

    func testCompareReport_escapesRunTextAndLabels() throws {
        let store = try RunStore(path: dir + "/store.sqlite")
        let a = try scoreRun(store) { $0 <= 2 ? "normal" : self.h }
        let b = try scoreRun(store) { $0 <= 2 ? self.h : "normal" }
        let html = CompareReportHTML.render(try RunReport(store: store, run: a), try RunReport(store: store, run: b))
        assertSafe(html)
        for place in ["<td>recall \(e)</td>", "<td>\(e)</td>", "<span class=\"good\">\(e)</span>", "<th>\(e)</th>", "\(e) · run-1"] {
            XCTAssertTrue(html.contains(place), "missing \(place)")
        }
    }

    func testTrainingChart_escapesTitleAxisSeriesNameAndColour() {
        let chart = LineChart(title: h, xLabel: h, series: [.init(name: h, points: [(1, 1), (2, 3)], color: "red\" onload=\"alert(1)")])
        let svg = chart.svg().rendered
        XCTAssertFalse(svg.contains("\" onload=\""))
        XCTAssertTrue(svg.contains("stroke=\"red&quot; onload=&quot;alert(1)\""))
        assertSafe(svg)
        XCTAssertTrue(TrainingCurves.html(["eval_" + h: [(1, 0.5), (2, 0.4)], h + "_per_second": [(2, 9)]]).rendered.contains("<td>\(e)_per_second</td>"))
    }

    func testCheckReport_escapesRunAndMetricNamesInJUnit() throws {
        let base = (0..<20).map { Prediction(id: "\($0)", gold: "a", predicted: "a") }
        let cand = (0..<20).map { Prediction(id: "\($0)", gold: "a", predicted: $0 < 12 ? "b" : "a") }
        let check = RegressionCheck(maxDrop: 0.01, alpha: 0.05, resamples: 200)
        let outcome = try check.run(baseline: base, candidate: cand)
        let xml = CheckReport.junit(outcome, baseline: h, candidate: h, check: check)
        assertSafe(xml)
        XCTAssertTrue(xml.contains("classname=\"\(e).vs.\(e)\""))
    }

    /// A prep run whose spec, class field, classes, texts, removal reasons, ledger, refine rules,
    /// dedup clusters, sampling groups and leakage audit hold the hostile text.
    func prepRun(_ store: RunStore) throws -> Int {
        let run = try store.beginRun(kind: .prep, spec: SpecIdentity(name: h, path: "specs/p.yaml", digest: "d", version: 1))
        func file(_ name: String, _ lines: [String]) throws -> Artifact {
            let path = dir + "/out/" + name
            try AtomicFile.write(lines.map { $0 + "\n" }.joined(), to: path)
            return Artifact(path: path, digest: try SHA256.hex(file: path), bytes: FileSystem.size(path) ?? 0, rows: lines.count)
        }
        let records = [Record(fields: ["id": h, h: h, "title": h], split: h), Record(fields: ["id": "2", h: "plain", "title": "보통 제목입니다"], split: "train")]
        let data = try file("train.jsonl", records.map { RecordCoding.jsonLine($0, columns: ["id", h, "title"]) })
        let row = JSONValue.object([("id", .string(h)), ("title", .string(h))])
        let ledger = try file("removed/02-dedup.jsonl", [JSONWriter.serialize(.object([
            ("stage", .string("dedup")), ("reason", .string(h)), ("duplicate_of", .object([("id", .string(h)), ("split", .string(h))])),
            ("jaccard", .number("0.9")), ("row", row),
        ]))])
        let member = JSONValue.object([("id", .string(h)), ("split", .string(h)), ("jaccard", .string(h)), ("text", .string(h))])
        let audit = JSONValue.object([("pairs", .number("1")), ("fields", .array([.string(h)])), ("rows", .string(h)), ("threshold", .string(h)),
                                      ("by_splits", .array([.object([("splits", .string(h)), ("exact", .string(h)), ("near", .string(h))])])),
                                      ("examples", .array([.object([("a_split", .string(h)), ("a", .string(h)), ("b_split", .string(h)), ("b", .string(h)),
                                                                    ("exact", .bool(false)), ("jaccard", .string(h)), ("text", .string(h))])]))])
        let stages: [(String, JSONValue, [Artifact], [(reason: String, count: Int)])] = [
            ("refine", .object([("rules", .array([.object([("rule", .string(h)), ("rows_changed", .string(h)), ("examples", .array([
                .object([("id", .string(h)), ("field", .string(h)), ("before", .string(h)), ("after", .string(h))]),
            ]))])]))]), [], []),
            ("dedup", .object([("fields", .array([.string(h)])), ("ngram", .string(h)), ("clusters", .string(h)),
                               ("examples", .array([.array([member])]))]), [ledger], [(h, 1)]),
            ("sample", .object([("group_by", .string(h)), ("groups", .string(h)), ("ratio_deviation_worst", .string(h))]), [], []),
            ("write", .object([("audit", audit)]), [data], []),
        ]
        for (i, s) in stages.enumerated() {
            try store.recordStage(run: run, StageRecord(position: i + 1, name: s.0, cacheKey: "k\(i)", inputDigest: "i", outputDigest: "o", rowsIn: 2,
                                                        rowsOut: 2, removed: s.3, details: s.1, seconds: 0, artifacts: s.2))
        }
        try store.finishRun(run, status: .done, seconds: 1)
        return run
    }

    func testDatasetReport_escapesSpecFieldClassesTextsAndTheTrustSections() throws {
        let store = try RunStore(path: dir + "/store.sqlite")
        let run = try prepRun(store)
        let tokens = DatasetReport.TokenCounter(model: h, maxSeqLength: 3, count: { $0.count })
        let html = try DatasetReport(store: store, run: run, by: h, text: "title", tokens: tokens).html()
        assertSafe(html)
        for place in ["<h1>\(e) · run-1 · data</h1>", "<h2>Rows per \(e) after each stage</h2>", "<th>\(e)</th>", "<h3>\(e)</h3>",
                      "<td>dedup</td><td>\(e)</td><td>1</td>", "<td>\(e) (\(e))</td>", "<code>\(e)</code> \(e): <span class=\"muted\">\(e)</span> → \(e)",
                      "<b>\(e)</b> clusters", "<td>grouped by</td><td>\(e)</td>", "<td>\(e) \(e)</td><td>\(e) \(e)</td>",
                      "Token lengths under \(e)", "<td>\(e)</td><td>\(e)</td><td>\(h.count)</td>"] {
            XCTAssertTrue(html.contains(place), "missing \(place)")
        }
    }

    func testMarkup_escapesInterpolatedStringsAndAttributeValuesButNotMarkup() {
        let cell: Markup = "<td class=\"\(h)\">\(h)\(Markup.element("b", ["title": h, "hidden": nil], "\(3)"))</td>"
        XCTAssertEqual(cell.rendered, "<td class=\"\(e)\">\(e)<b title=\"\(e)\">3</b></td>")
        XCTAssertEqual(Markup.table(header: ["a"], rows: [[Markup(text: h)]], classes: h).rendered,
                       "<table class=\"\(e)\"><thead><tr><th>a</th></tr></thead><tbody><tr><td>\(e)</td></tr></tbody></table>")
        XCTAssertEqual([Markup(text: "<"), "<br>", Markup(text: ">")].joined(separator: " ").rendered, "&lt; <br> &gt;")
    }
}
