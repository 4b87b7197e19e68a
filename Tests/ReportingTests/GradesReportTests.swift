import EvalStore
import Evaluation
import Foundation
import JSON
import Reporting
import Store
import XCTest

/// The human-grades section of `eval report` in HTML, JSON and Markdown.
final class GradesReportTests: XCTestCase {
    var path = ""
    override func setUp() { path = NSTemporaryDirectory() + "grades-report-\(UUID().uuidString).sqlite" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    /// A generate-mode run of four items, graded by two people (one with a hostile name).
    func makeRun(grades: Bool = true) throws -> (RunStore, Int) {
        let store = try RunStore(path: path)
        let run = try store.beginRun(kind: .score, spec: nil, settings: .object([("mode", .string("generate"))]))
        let preds = (1...4).map { i -> Prediction in
            var p = Prediction(id: "\(i)", gold: "normal", predicted: i <= 2 ? "normal" : "(other)", fields: ["type": i % 2 == 0 ? "00" : "13"])
            p.answer = " 정상 기사"
            return p
        }
        try store.savePredictions(run: run, preds.map(RunPredictions.stored))
        try store.finishRun(run, status: .done, seconds: 1)
        guard grades else { return (store, run) }
        let setup = StoredGradingSetup(criteria: ["accuracy", "detail"], scale: [0, 1, 2], category: "type", labelCriterion: "accuracy")
        let kim = [2, 1, 2, 0], lee = [2, 2, 1, 0]
        func rows(_ who: String, _ values: [Int]) -> [StoredGrade] {
            values.enumerated().map { StoredGrade(itemID: "\($0.offset + 1)", grader: who, criterion: "accuracy", grade: $0.element,
                                                  category: ($0.offset + 1) % 2 == 0 ? "00" : "13") }
        }
        try store.replaceGrades(run: run, setup: setup, graders: ["kim"], rows("kim", kim))
        try store.replaceGrades(run: run, setup: setup, graders: ["<i>lee</i>"], rows("<i>lee</i>", lee))
        return (store, run)
    }

    func testNoGradesNoSection() throws {
        let (store, run) = try makeRun(grades: false)
        let report = try RunReport(store: store, run: run)
        XCTAssertNil(report.grades)
        XCTAssertFalse(EvalReportHTML.render(report).contains("Human grades"))
        XCTAssertNil(try JSONParser.parse(EvalReportText.json(report))["grades"])
    }

    func testHTMLShowsMeansKappaAndLabelAgreementEscaped() throws {
        let (store, run) = try makeRun()
        let report = try RunReport(store: store, run: run)
        let g = try XCTUnwrap(report.grades)
        let html = EvalReportHTML.render(report)
        for part in ["<h2>Human grades</h2>", "graders<b>2</b>", "Agreement between graders", "Grades against the automatic label", "quadratic kappa"] {
            XCTAssertTrue(html.contains(part), part)
        }
        XCTAssertFalse(html.contains("<i>lee</i>"), "grader names are escaped")
        XCTAssertTrue(html.contains("&lt;i&gt;lee&lt;/i&gt;"))
        // Item means: (2+2)/2, (1+2)/2, (2+1)/2, 0 -> 1.25 over 4 items.
        let all = try XCTUnwrap(g.means.rows.first { $0.criterion == "accuracy" && $0.category == nil })
        XCTAssertEqual(all.mean, 1.25, accuracy: 1e-15)
        XCTAssertTrue(html.contains("1.25 ["), html)
        let pair = try XCTUnwrap(g.agreement.first)
        XCTAssertEqual(pair.quadraticKappa, CohenKappa.kappa([2, 2, 1, 0], [2, 1, 2, 0], scale: [0, 1, 2], weights: .quadratic))
        // Labels: items 1, 2 correct and accepted; 3 wrong but accepted; 4 wrong and rejected.
        let l = try XCTUnwrap(g.labels)
        XCTAssertEqual([l.both, l.labelOnly, l.humanOnly, l.neither], [2, 0, 1, 1])
    }

    func testJSONAndMarkdownCarryTheSameNumbers() throws {
        let (store, run) = try makeRun()
        let report = try RunReport(store: store, run: run)
        let json = try JSONParser.parse(EvalReportText.json(report))
        let grades = try XCTUnwrap(json["grades"])
        XCTAssertEqual(grades["graders"], .array([.string("<i>lee</i>"), .string("kim")]))
        XCTAssertEqual(grades["means"]?["accuracy"]?["all"]?["mean"]?.scalarText.flatMap(Double.init) ?? -1, 1.25, accuracy: 1e-12)
        XCTAssertEqual(grades["means"]?["accuracy"]?["by_category"]?["00"]?["items"], .number("2"))
        XCTAssertNil(grades["means"]?["detail"], "no one graded detail")
        guard case let .array(agreement)? = grades["agreement"] else { return XCTFail("no agreement") }
        XCTAssertEqual(agreement.count, 1)
        XCTAssertEqual(grades["label_agreement"]?["agreement"]?.scalarText.flatMap(Double.init) ?? -1, 0.75, accuracy: 1e-12)
        let md = EvalReportText.markdown(report)
        XCTAssertTrue(md.contains("## human grades"), md)
        XCTAssertTrue(md.contains("| type | accuracy | detail |"), md)
        XCTAssertTrue(md.contains("| all | 1.25 ["), md)
        XCTAssertTrue(md.contains("agreement **75.0%**"), md)
    }
}
