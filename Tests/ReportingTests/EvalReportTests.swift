import EvalStore
import Evaluation
import Foundation
import JSON
import Reporting
import Store
import XCTest

final class EvalReportTests: XCTestCase {
    var path = ""
    override func setUp() { path = NSTemporaryDirectory() + "report-\(UUID().uuidString).sqlite" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    /// A store holding one scored run with breakdown fields, hostile text, and a training log.
    func makeRun(unlabeled: Bool = false) throws -> (RunStore, Int) {
        let store = try RunStore(path: path)
        let run = try store.beginRun(kind: .score, spec: SpecIdentity(name: "clickbait", path: "specs/clickbait.yaml", digest: "d", version: 1),
                                     settings: .object([("model", .string("m.gguf")), ("breakdown", .array([.string("type")])), ("show", .array([.string("title")]))]))
        let preds = [
            Prediction(id: "1", gold: unlabeled ? nil : "clickbait", predicted: "normal", scores: ["clickbait": -2, "normal": -1],
                       fields: ["type": "13", "title": "<script>alert('x')</script> & \"충격\""]),
            Prediction(id: "2", gold: unlabeled ? nil : "normal", predicted: "normal", fields: ["type": "00", "title": "평범한 제목"]),
            Prediction(id: "3", gold: unlabeled ? nil : "clickbait", predicted: "clickbait", fields: ["type": "13", "title": "결국..."]),
        ]
        try store.savePredictions(run: run, preds.map(RunPredictions.stored))
        try store.saveLogPoints(run: run, source: "log", [(5, 0.1, "loss", 2.0), (10, 0.2, "loss", 1.5), (10, 0.2, "eval_loss", 1.7), (5, 0.1, "learning_rate", 1e-4)])
        try store.finishRun(run, status: .done, seconds: 3)
        return (store, run)
    }

    func testHTMLHasEverySectionEscapesTextAndFetchesNothing() throws {
        let (store, run) = try makeRun()
        let html = EvalReportHTML.render(try RunReport(store: store, run: run))
        for section in ["Per class", "Confusion matrix", "By type", "Training", "Misclassified items (1)", "<svg", "m.gguf", "66.7%"] {
            XCTAssertTrue(html.contains(section), "missing \(section)")
        }
        XCTAssertFalse(html.contains("<script>alert"), "item text must be escaped")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;충격&quot;"))
        XCTAssertNil(html.range(of: #"(src|href)\s*="#, options: .regularExpression), "a self-contained page loads nothing")
        XCTAssertNil(html.range(of: "@import|url\\(", options: .regularExpression))
    }

    func testUnlabeledRunsShowThePredictedDistribution() throws {
        let (store, run) = try makeRun(unlabeled: true)
        let report = try RunReport(store: store, run: run)
        XCTAssertNil(report.metrics)
        XCTAssertTrue(EvalReportHTML.render(report).contains("No gold labels"))
        XCTAssertTrue(EvalReportText.markdown(report).contains("Predicted: clickbait 1, normal 2"))
    }

    func testJSONCarriesTheMetrics() throws {
        let (store, run) = try makeRun()
        let json = try JSONParser.parse(EvalReportText.json(try RunReport(store: store, run: run)))
        XCTAssertEqual(json["accuracy"]?.scalarText.flatMap(Double.init) ?? 0, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(json["breakdowns"]?["type"]?["13"]?["labeled"], .number("2"))
    }

    /// A generate-mode run: the raw answers are stored with the predictions (`_answer`) and shown beside the label.
    func testGeneratedAnswersAppearBesideTheMappedLabel() throws {
        let store = try RunStore(path: path)
        let run = try store.beginRun(kind: .score, spec: nil, settings: .object([("mode", .string("generate")), ("show", .array([.string("title")]))]))
        var answered = Prediction(id: "1", gold: "clickbait", predicted: "(other)", fields: ["title": "제목"])
        answered.answer = " <b>연기가</b> 어색"
        try store.savePredictions(run: run, [answered, Prediction(id: "2", gold: "normal", predicted: "normal")].map(RunPredictions.stored))
        try store.finishRun(run, status: .done, seconds: 1)
        let report = try RunReport(store: store, run: run)
        XCTAssertEqual(report.predictions.first?.answer, " <b>연기가</b> 어색")
        let html = EvalReportHTML.render(report)
        XCTAssertTrue(html.contains("<th>predicted</th><th>answer</th>"), html)
        XCTAssertTrue(html.contains("<td class=\"bad\">(other)</td><td class=\"answer\">“ &lt;b&gt;연기가&lt;/b&gt; 어색”</td>"), html)
        XCTAssertFalse(html.contains("<b>연기가"), "answers are escaped")
        let md = EvalReportText.markdown(report)
        XCTAssertTrue(md.contains("| id | title | gold | predicted | answer |"), md)
        XCTAssertTrue(md.contains("| 1 | 제목 | clickbait | (other) | “ <b>연기가</b> 어색” |"), md)
    }
}
