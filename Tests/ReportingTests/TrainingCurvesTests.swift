import EvalStore
import Evaluation
import Foundation
import Reporting
import Store
import XCTest

/// The report plots every series of an attached training log (issue 15, section 7).
final class TrainingCurvesTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures").path

    func testLayoutGroupsLossesAndGivesEveryOtherMetricAChart() {
        let (charts, table) = TrainingCurves.layout(["eval_rouge-1", "loss", "total_flos", "grad_norm", "eval_loss", "learning_rate", "eval_macro_f1",
                                                     "eval_runtime", "train_loss", "mean_token_accuracy", "eval_squad_loss", "train_samples_per_second"])
        XCTAssertEqual(charts.map(\.title), ["Loss", "Learning rate", "Gradient norm", "eval_macro_f1", "eval_rouge-1", "mean_token_accuracy"])
        XCTAssertEqual(charts.first?.keys, ["loss", "eval_loss", "eval_squad_loss"])
        XCTAssertEqual(table, ["eval_runtime", "total_flos", "train_loss", "train_samples_per_second"])
    }

    func testTheHTMLReportHasAChartForEveryCustomMetric() throws {
        let path = NSTemporaryDirectory() + "curves-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RunStore(path: path)
        let run = try store.beginRun(kind: .score, spec: nil, settings: .object([("model", .string("m.gguf"))]))
        try store.savePredictions(run: run, [Prediction(id: "1", gold: "a", predicted: "a"), Prediction(id: "2", gold: "b", predicted: "a")].map(RunPredictions.stored))
        let log = try TrainingLog.read(path: Self.fixtures + "/trainer_state_custom.json")
        try store.saveLogPoints(run: run, source: "trainer_state_custom.json", log.points.map { ($0.step, $0.epoch, $0.key, $0.value) })
        try store.finishRun(run, status: .done, seconds: 1)
        let html = EvalReportHTML.render(try RunReport(store: store, run: run))
        for title in ["Loss", "Learning rate", "Gradient norm", "eval_macro_f1", "eval_rouge-1", "eval_accuracy", "mean_token_accuracy", "num_tokens"] {
            XCTAssertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"") && html.contains("aria-label=\"\(title)\""), "no chart for \(title)")
        }
        // The macro-F1 chart plots its 4 evaluations (fewer than 40 points: each is marked).
        let f1 = try XCTUnwrap(html.range(of: "aria-label=\"eval_macro_f1\"")).upperBound
        let chart = html[f1..<html[f1...].range(of: "</svg>")!.lowerBound]
        XCTAssertEqual(chart.components(separatedBy: "<circle").count - 1, 4)
        XCTAssertTrue(chart.contains("<polyline"))
        // The loss chart holds train and eval loss; bookkeeping is a table, not charts.
        let loss = try XCTUnwrap(html.range(of: "aria-label=\"Loss\"")).upperBound
        let lossChart = html[loss..<html[loss...].range(of: "</svg>")!.lowerBound]
        XCTAssertTrue(lossChart.contains(">loss</text>") && lossChart.contains(">eval_loss</text>"))
        XCTAssertFalse(html.contains("aria-label=\"eval_runtime\"") || html.contains("aria-label=\"total_flos\""))
        XCTAssertTrue(html.contains("<td>train_runtime</td><td>1</td><td>40</td><td>96.35</td>"), html)
        XCTAssertNil(html.range(of: #"(src|href)\s*="#, options: .regularExpression), "still self-contained")
    }

    /// The demo's log (fixtures/trainer_state.json) draws the same three charts as before.
    func testTheDemoLogDrawsLossLearningRateAndGradNorm() throws {
        let log = try TrainingLog.read(path: Self.fixtures + "/trainer_state.json")
        let (charts, table) = TrainingCurves.layout(log.keys)
        XCTAssertEqual(charts.map(\.title), ["Loss", "Learning rate", "Gradient norm"])
        XCTAssertEqual(charts.first?.keys, ["loss", "eval_loss"])
        XCTAssertEqual(table, ["eval_runtime", "eval_samples_per_second", "eval_steps_per_second", "total_flos", "train_loss",
                               "train_runtime", "train_samples_per_second", "train_steps_per_second"])
    }
}
