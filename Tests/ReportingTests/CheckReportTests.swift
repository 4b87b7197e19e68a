import Evaluation
import Reporting
import XCTest

/// `eval check --junit`: every test case carries the measured figures, passing or failing.
final class CheckReportTests: XCTestCase {
    /// 24 items; the candidate loses 7 that the baseline got right: accuracy 0.8750 -> 0.5833.
    func runs() -> ([Prediction], [Prediction]) {
        let gold = (0..<24).map { $0 % 2 == 0 ? "clickbait" : "normal" }
        let base = gold.enumerated().map { i, g in Prediction(id: "i\(i)", gold: g, predicted: i < 3 ? (g == "normal" ? "clickbait" : "normal") : g) }
        var cand = base
        for i in 3..<10 { cand[i].predicted = cand[i].gold == "normal" ? "clickbait" : "normal" }
        return (base, cand)
    }

    func testAPassingCaseCarriesItsNumbers() throws {
        let (base, _) = runs()
        let check = RegressionCheck(maxDrop: 0.01, alpha: 0.05, resamples: 200)
        let xml = CheckReport.junit(try check.run(baseline: base, candidate: base), baseline: "run-1", candidate: "run-2", check: check)
        XCTAssertTrue(xml.contains("tests=\"2\" failures=\"0\""), xml)
        XCTAssertFalse(xml.contains("\"></testcase>"), "no empty test case: " + xml)
        XCTAssertTrue(xml.contains("<property name=\"baseline\" value=\"0.8750\"/><property name=\"candidate\" value=\"0.8750\"/>"
            + "<property name=\"delta\" value=\"+0.0000\"/>"), xml)
        XCTAssertTrue(xml.contains("<property name=\"p_value\" value=\"1.0000\"/><property name=\"max_drop\" value=\"0.0100\"/><property name=\"alpha\" value=\"0.05\"/>"), xml)
        XCTAssertTrue(xml.contains("<system-out>accuracy: baseline 0.8750, candidate 0.8750, delta +0.0000"), xml)
    }

    func testAFailureSaysByHowMuchAndFromWhatToWhat() throws {
        let (base, cand) = runs()
        let check = RegressionCheck(maxDrop: 0.01, alpha: 0.05, resamples: 200)
        let outcome = try check.run(baseline: base, candidate: cand)
        XCTAssertTrue(outcome.failed)
        let xml = CheckReport.junit(outcome, baseline: "run-1", candidate: "run-2", check: check)
        XCTAssertTrue(xml.contains("<failure message=\"accuracy dropped by 0.2917 (0.8750 -&gt; 0.5833), more than the allowed 0.0100; McNemar p = 0.0156 &lt; 0.05\">"), xml)
        XCTAssertFalse(xml.contains("dropped -"), "no double negative")
    }
}
