import Evaluation
import JSON
import XCTest

/// Expected values: scikit-learn 1.9.1 `classification_report(..., zero_division=0)`,
/// `accuracy_score` and `confusion_matrix`, computed once by fixtures/metrics/make_reference.py.
final class ClassificationReportTests: XCTestCase {
    func testMatchesScikitLearnOnEveryCase() throws {
        let ref = try MetricFixtures.reference()
        for name in ["binary", "three_class", "never_predicted", "binary_candidate"] {
            let expected = ref["cases"]![name]!
            let report = try ClassificationReport(try MetricFixtures.predictions(name))
            XCTAssertEqual(report.accuracy, expected["accuracy"]!.double, accuracy: 1e-12, name)
            guard case let .array(labels)? = expected["labels"] else { return XCTFail() }
            XCTAssertEqual(report.rows.map(\.label), labels.compactMap(\.scalarText), name)
            for row in report.rows {
                let e = expected["classes"]![row.label]!
                XCTAssertEqual(row.precision, e["precision"]!.double, accuracy: 1e-12, "\(name) \(row.label) precision")
                XCTAssertEqual(row.recall, e["recall"]!.double, accuracy: 1e-12, "\(name) \(row.label) recall")
                XCTAssertEqual(row.f1, e["f1-score"]!.double, accuracy: 1e-12, "\(name) \(row.label) f1")
                XCTAssertEqual(Double(row.support), e["support"]!.double, "\(name) \(row.label) support")
            }
            for (mine, key) in [(report.macro, "macro_avg"), (report.weighted, "weighted_avg")] {
                XCTAssertEqual(mine.precision, expected[key]!["precision"]!.double, accuracy: 1e-12, "\(name) \(key)")
                XCTAssertEqual(mine.recall, expected[key]!["recall"]!.double, accuracy: 1e-12, "\(name) \(key)")
                XCTAssertEqual(mine.f1, expected[key]!["f1-score"]!.double, accuracy: 1e-12, "\(name) \(key)")
            }
            guard case let .array(matrix)? = expected["confusion_matrix"] else { return XCTFail() }
            let confusion = Confusion(try MetricFixtures.predictions(name))
            XCTAssertEqual(confusion.counts, matrix.map { row -> [Int] in
                guard case let .array(cells) = row else { return [] }
                return cells.map { Int($0.double) }
            }, name)
        }
    }

    /// Expected: scipy.stats.binomtest(k, n).proportion_ci(method="wilson"), from the same script.
    func testAccuracyIntervalIsWilsonAsScipyComputesIt() throws {
        let ref = try MetricFixtures.reference()
        for name in ["binary", "three_class", "never_predicted"] {
            let r = try ClassificationReport(try MetricFixtures.predictions(name))
            guard case let .array(ci)? = ref["cases"]![name]!["accuracy_ci95_wilson"] else { return XCTFail() }
            XCTAssertEqual(r.accuracyInterval.low, ci[0].double, accuracy: 1e-9, name)
            XCTAssertEqual(r.accuracyInterval.high, ci[1].double, accuracy: 1e-9, name)
        }
    }

    func testUnlabeledPredictionsAreNotMeasured() {
        XCTAssertThrowsError(try ClassificationReport([Prediction(id: "1", gold: nil, predicted: "a")])) {
            XCTAssertEqual($0 as? EvaluationError, .noLabeledItems)
        }
    }
}
