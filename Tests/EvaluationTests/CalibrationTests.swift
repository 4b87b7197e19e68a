import Evaluation
import Foundation
import JSON
import XCTest

/// ECE, Brier score and reliability bins against the values numpy and scikit-learn 1.9.1
/// (`calibration_curve(correct, confidence, n_bins=15)`, `brier_score_loss`) computed once for the
/// committed cases (fixtures/metrics/make_calibration.py).
final class CalibrationTests: XCTestCase {
    private func scored(_ name: String) throws -> [Prediction] {
        let text = try String(contentsOfFile: "\(MetricFixtures.dir)/cases/calibration_\(name).jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let v = try JSONParser.parse(String(line))
            var scores: [String: Double] = [:]
            if case let .object(m)? = v["scores"] { for (k, s) in m { scores[k] = s.double } }
            return Prediction(id: v["id"]!.scalarText!, gold: v["gold"]!.scalarText, predicted: v["predicted"]!.scalarText!, scores: scores)
        }
    }

    func testAgreesWithNumpyAndScikitLearnOnEveryCase() throws {
        let reference = try JSONParser.parse(try String(contentsOfFile: "\(MetricFixtures.dir)/calibration_reference.json", encoding: .utf8))
        guard case let .object(cases)? = reference["cases"] else { return XCTFail("no cases") }
        XCTAssertEqual(cases.count, 3)
        for (name, ref) in cases {
            guard case let .array(l)? = ref["labels"], case let .array(bins)? = ref["bins"] else { return XCTFail(name) }
            let c = try XCTUnwrap(Calibration(try scored(name), labels: l.compactMap(\.scalarText)), name)
            XCTAssertEqual(c.items, Int(ref["n"]!.double), name)
            XCTAssertEqual(c.ece, ref["ece"]!.double, accuracy: 1e-12, name)
            XCTAssertEqual(c.brier, ref["brier"]!.double, accuracy: 1e-12, name)
            XCTAssertEqual(c.bins.count, bins.count, name)
            for (mine, theirs) in zip(c.bins, bins) {
                XCTAssertEqual(mine.count, Int(theirs["count"]!.double), name)
                XCTAssertEqual(mine.accuracy, theirs["accuracy"]!.double, accuracy: 1e-12, name)
                XCTAssertEqual(mine.confidence, theirs["confidence"]!.double, accuracy: 1e-12, name)
            }
        }
    }

    func testItemsWithoutScoresOrGoldDoNotCountAndNoneGivesNil() {
        let labels = ["a", "b"]
        XCTAssertNil(Calibration([Prediction(id: "1", gold: "a", predicted: "a")], labels: labels), "no scores: nothing to calibrate")
        XCTAssertNil(Calibration([Prediction(id: "1", gold: nil, predicted: "a", scores: ["a": -1, "b": -2])], labels: labels))
        let one = Calibration([Prediction(id: "1", gold: "a", predicted: "a", scores: ["a": 0, "b": 0]),
                               Prediction(id: "2", gold: "b", predicted: "a", scores: ["a": -1])], labels: labels)
        XCTAssertEqual(one?.items, 1, "an item missing a label's score is left out")
        // Scores 0 and 0: confidence 0.5 in bin [7/15, 8/15), correct, so |1 - 0.5| = 0.5; Brier (0.5² + 0.5²) = 0.5.
        XCTAssertEqual(one?.ece ?? -1, 0.5, accuracy: 1e-12)
        XCTAssertEqual(one?.brier ?? -1, 0.5, accuracy: 1e-12)
        XCTAssertEqual(one?.bins.first?.lower ?? -1, 7.0 / 15, accuracy: 1e-12)
    }

    /// `eval check --max-ece-rise`: the same predictions with sharper (over-confident) scores keep
    /// accuracy but raise ECE; the limit decides. ECE values come from the reference file.
    func testACheckFailsWhenCalibrationErrorRisesPastTheLimit() throws {
        let base = try scored("binary")
        // Every score tripled: the same argmax, so the same predictions, but sharper confidences.
        let sharp = base.map { p -> Prediction in var q = p; q.scores = p.scores.mapValues { $0 * 3 }; return q }
        let labels = ["clickbait", "normal"]
        let eceBase = try XCTUnwrap(Calibration(base, labels: labels)).ece, eceSharp = try XCTUnwrap(Calibration(sharp, labels: labels)).ece
        XCTAssertNotEqual(eceBase, eceSharp)
        let rise = eceSharp - eceBase
        let failing = try RegressionCheck(maxDrop: 0.01, resamples: 100, maxECERise: abs(rise) / 2).run(baseline: rise > 0 ? base : sharp, candidate: rise > 0 ? sharp : base)
        XCTAssertTrue(failing.failed)
        XCTAssertFalse(failing.metrics.contains(where: \.failed), "accuracy and F1 are unchanged")
        XCTAssertEqual(failing.calibration?.rise ?? 0, abs(rise), accuracy: 1e-12)
        let passing = try RegressionCheck(maxDrop: 0.01, resamples: 100, maxECERise: abs(rise) * 2).run(baseline: rise > 0 ? base : sharp, candidate: rise > 0 ? sharp : base)
        XCTAssertFalse(passing.failed)
        let unscored = base.map { Prediction(id: $0.id, gold: $0.gold, predicted: $0.predicted) }
        XCTAssertThrowsError(try RegressionCheck(maxECERise: 0.02).run(baseline: unscored, candidate: unscored)) {
            XCTAssertEqual($0 as? EvaluationError, .noScores)
        }
        XCTAssertNil(try RegressionCheck().run(baseline: base, candidate: base).calibration, "no limit, no calibration check")
    }
}
