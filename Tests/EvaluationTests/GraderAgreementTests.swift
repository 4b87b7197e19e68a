import Evaluation
import XCTest

final class GraderAgreementTests: XCTestCase {
    func testPairsUseOnlyItemsBothGradedPerCriterion() throws {
        var grades: [Grade] = []
        let kim = [0, 1, 2, 2, 1], lee = [0, 1, 1, 2, 1]
        for (i, (x, y)) in zip(kim, lee).enumerated() {
            grades.append(Grade(itemID: "i\(i)", grader: "kim", criterion: "accuracy", value: x))
            grades.append(Grade(itemID: "i\(i)", grader: "lee", criterion: "accuracy", value: y))
        }
        // An item only kim graded, and a third grader with nothing in common on accuracy.
        grades.append(Grade(itemID: "x", grader: "kim", criterion: "accuracy", value: 0))
        grades.append(Grade(itemID: "y", grader: "park", criterion: "accuracy", value: 2))
        let pairs = GraderAgreement.pairs(grades, criteria: ["accuracy", "detail"], scale: [0, 1, 2])
        XCTAssertEqual(pairs.count, 1)
        let p = try XCTUnwrap(pairs.first)
        XCTAssertEqual(p.graders.0, "kim"); XCTAssertEqual(p.graders.1, "lee")
        XCTAssertEqual(p.items, 5)
        XCTAssertEqual(p.exact, 0.8, accuracy: 1e-15)
        XCTAssertEqual(p.kappa, CohenKappa.kappa(kim, lee, scale: [0, 1, 2], weights: .unweighted))
        XCTAssertEqual(p.quadraticKappa, CohenKappa.kappa(kim, lee, scale: [0, 1, 2], weights: .quadratic))
    }
}
