import Evaluation
import XCTest

final class LabelAgreementTests: XCTestCase {
    func testVerdictsAreCountedBothWays() throws {
        let predictions = [
            Prediction(id: "1", gold: "normal", predicted: "normal"),        // right label, accepted (2)
            Prediction(id: "2", gold: "normal", predicted: "normal"),        // right label, rejected (0)
            Prediction(id: "3", gold: "clickbait", predicted: "(other)"),    // wrong label, accepted (1)
            Prediction(id: "4", gold: "clickbait", predicted: "normal"),     // wrong label, rejected: graders 0 and 0
            Prediction(id: "5", gold: nil, predicted: "normal"),             // unlabeled: left out
            Prediction(id: "6", gold: "normal", predicted: "normal"),        // not graded: left out
        ]
        let grades = [
            Grade(itemID: "1", grader: "kim", criterion: "accuracy", value: 2),
            Grade(itemID: "2", grader: "kim", criterion: "accuracy", value: 0),
            Grade(itemID: "3", grader: "kim", criterion: "accuracy", value: 1),
            Grade(itemID: "4", grader: "kim", criterion: "accuracy", value: 0),
            Grade(itemID: "4", grader: "lee", criterion: "accuracy", value: 0),
            Grade(itemID: "5", grader: "kim", criterion: "accuracy", value: 2),
            Grade(itemID: "6", grader: "kim", criterion: "detail", value: 2),
        ]
        let a = try XCTUnwrap(LabelAgreement(predictions, grades: grades, criterion: "accuracy", scale: [0, 1, 2]))
        XCTAssertEqual([a.items, a.both, a.labelOnly, a.humanOnly, a.neither], [4, 1, 1, 1, 1])
        XCTAssertEqual(a.agreement, 0.5)
        XCTAssertEqual(a.kappa, CohenKappa.kappa([1, 1, 0, 0], [1, 0, 1, 0], scale: [0, 1], weights: .unweighted))
        XCTAssertEqual(a.interval.low, Interval.wilson(successes: 2, trials: 4).low)
        XCTAssertNil(LabelAgreement(predictions, grades: grades, criterion: "style", scale: [0, 1, 2]))
    }

    func testAcceptedMeansAboveTheLowestGradeOfTheScale() throws {
        let p = [Prediction(id: "1", gold: "a", predicted: "a")]
        // On a 1..5 scale a grade of 1 is the lowest: rejected.
        let low = try XCTUnwrap(LabelAgreement(p, grades: [Grade(itemID: "1", grader: "g", criterion: "c", value: 1)], criterion: "c", scale: [1, 2, 3, 4, 5]))
        XCTAssertEqual(low.labelOnly, 1)
        // Two graders 0 and 1 on 0..2: mean 0.5, above 0: accepted.
        let mixed = try XCTUnwrap(LabelAgreement(p, grades: [Grade(itemID: "1", grader: "g", criterion: "c", value: 0),
                                                             Grade(itemID: "1", grader: "h", criterion: "c", value: 1)], criterion: "c", scale: [0, 1, 2]))
        XCTAssertEqual(mixed.both, 1)
    }
}
