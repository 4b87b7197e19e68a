import Evaluation
import XCTest

final class RegressionCheckTests: XCTestCase {
    let check = RegressionCheck(maxDrop: 0.01, alpha: 0.05, resamples: 500)

    func testEqualRunsPass() throws {
        let p = try MetricFixtures.predictions("binary")
        let o = try check.run(baseline: p, candidate: p)
        XCTAssertFalse(o.failed)
        XCTAssertEqual(o.mcnemar.pValue, 1)
        XCTAssertEqual(o.metrics[0].interval.low, 0)
        XCTAssertEqual(o.metrics[0].interval.high, 0)
    }

    func testAPlantedSignificantRegressionFails() throws {
        // The candidate fixture flips ~12% of predictions: 34 items lost, 7 gained (p = 2.5e-5, per scipy).
        let o = try check.run(baseline: try MetricFixtures.predictions("binary"), candidate: try MetricFixtures.predictions("binary_candidate"))
        XCTAssertTrue(o.failed)
        XCTAssertTrue(o.significant)
        let acc = o.metrics[0]
        XCTAssertEqual(acc.delta, Double(7 - 34) / 400, accuracy: 1e-12)
        XCTAssertLessThan(acc.interval.high, 0, "the bootstrap interval of a significant drop excludes 0")
        XCTAssertGreaterThan(acc.interval.high, acc.interval.low)
        XCTAssertTrue(acc.interval.low <= acc.delta && acc.delta <= acc.interval.high, "the observed difference lies inside its interval")
        let f1 = o.metrics[1]
        XCTAssertTrue(f1.interval.low <= f1.delta && f1.delta <= f1.interval.high)
    }

    func testASmallInsignificantDifferencePasses() throws {
        let base = try MetricFixtures.predictions("binary")
        var cand = base
        // Break 3 correct items and fix 1 wrong one: a 0.5-point drop, p = 0.625.
        var broke = 0, fixed = 0
        for i in cand.indices {
            if broke < 3, cand[i].isCorrect { cand[i].predicted = cand[i].gold == "normal" ? "clickbait" : "normal"; broke += 1 }
            else if fixed < 1, !cand[i].isCorrect { cand[i].predicted = cand[i].gold!; fixed += 1 }
        }
        let o = try RegressionCheck(maxDrop: 0.0, alpha: 0.05, resamples: 300).run(baseline: base, candidate: cand)
        XCTAssertEqual(o.mcnemar.baselineOnly, 3)
        XCTAssertEqual(o.mcnemar.candidateOnly, 1)
        XCTAssertEqual(o.mcnemar.pValue, 0.625, accuracy: 1e-12)
        XCTAssertFalse(o.failed, "a drop that is not significant does not fail even with max-drop 0")
    }

    func testRunsOnDifferentItemsAreRefused() throws {
        let a = try MetricFixtures.predictions("binary")
        XCTAssertThrowsError(try check.run(baseline: a, candidate: Array(a.dropFirst(2)))) { error in
            guard case let .differentItems(onlyA, onlyB, _)? = error as? EvaluationError else { return XCTFail("\(error)") }
            XCTAssertEqual([onlyA, onlyB], [2, 0])
        }
    }
}
