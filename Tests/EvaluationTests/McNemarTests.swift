import Evaluation
import XCTest

/// Expected p-values: scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue (two-sided), which is
/// McNemar's exact test; computed once by fixtures/metrics/make_reference.py.
final class McNemarTests: XCTestCase {
    func testExactPValuesMatchScipy() throws {
        guard case let .object(cases)? = try MetricFixtures.reference()["mcnemar"] else { return XCTFail() }
        XCTAssertEqual(cases.count, 5)
        for (name, c) in cases {
            let r = McNemar.test(baselineOnly: Int(c["b"]!.double), candidateOnly: Int(c["c"]!.double))
            XCTAssertEqual(r.pValue, c["p_value"]!.double, accuracy: 1e-12, name)
        }
    }

    func testTheFixtureCountsDiscordantPairsLikeScipyDid() throws {
        let ref = try MetricFixtures.reference()["mcnemar"]!["binary_vs_candidate"]!
        let check = try RegressionCheck(maxDrop: 0.01, alpha: 0.05, resamples: 200)
            .run(baseline: try MetricFixtures.predictions("binary"), candidate: try MetricFixtures.predictions("binary_candidate"))
        XCTAssertEqual(check.mcnemar.baselineOnly, Int(ref["b"]!.double))
        XCTAssertEqual(check.mcnemar.candidateOnly, Int(ref["c"]!.double))
    }
}
