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

    func testRunsOnDifferentItemsAreRefusedNamingWhichRunLacksWhat() {
        let r1 = [p("1", "a"), p("2", "b"), p("3", "c"), p("4", "a")]
        let r2 = [p("1", "a"), p("2", "b"), p("3", "c"), p("4", "a")]
        let r3 = [p("1", "a"), p("9", "b")]
        XCTAssertThrowsError(try Ensemble.hardVote([r1, r2, r3], names: ["run-1", "run-2", "run-3"])) { error in
            XCTAssertEqual("\(error)", "the runs to combine do not hold the same items: run-3 lacks 3 of run-1's items (e.g. 2, 3, 4) "
                + "and has 1 item that run-1 lacks (e.g. 9); an ensemble needs runs scored on the same spec, split and limit")
            XCTAssertFalse("\(error)".contains("baseline"), "not the check command's words")
        }
    }
}
