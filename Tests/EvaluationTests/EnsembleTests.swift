import Evaluation
import XCTest

final class EnsembleTests: XCTestCase {
    func p(_ id: String, _ pred: String) -> Prediction { Prediction(id: id, gold: "a", predicted: pred) }

    func testMajorityWinsAndTiesGoToTheEarliestRun() throws {
        let r1 = [p("1", "a"), p("2", "b"), p("3", "c")]
        let r2 = [p("1", "b"), p("2", "c"), p("3", "a")]
        let r3 = [p("1", "b"), p("2", "a"), p("3", "b")]
        let voted = try Ensemble.hardVote([r1, r2, r3])
        XCTAssertEqual(voted.map(\.predicted), ["b", "b", "c"], "item 1: b wins 2-1; items 2 and 3: three-way ties go to run 1")
        XCTAssertThrowsError(try Ensemble.hardVote([r1]))
    }
}
