import Evaluation
import Foundation
import JSON
import XCTest

/// Cohen's kappa against scikit-learn 1.9.1: `cohen_kappa_score(a, b, labels=scale, weights=None |
/// "linear" | "quadratic")`, computed once by fixtures/metrics/make_grading.py into
/// fixtures/metrics/grading_reference.json (null where scikit-learn gives NaN).
final class CohenKappaTests: XCTestCase {
    func testAgreesWithScikitLearnOnEveryCase() throws {
        let reference = try JSONParser.parse(try String(contentsOfFile: "\(MetricFixtures.dir)/grading_reference.json", encoding: .utf8))
        guard case let .object(cases)? = reference["kappa"] else { return XCTFail("no kappa cases") }
        XCTAssertEqual(cases.count, 8)
        for (name, c) in cases {
            func ints(_ key: String) -> [Int] {
                guard case let .array(a)? = c[key] else { return [] }
                return a.compactMap { $0.scalarText.flatMap { Int($0) } }
            }
            let a = ints("a"), b = ints("b"), scale = ints("scale")
            XCTAssertEqual(a.count, b.count, name)
            XCTAssertFalse(a.isEmpty, name)
            for w in CohenKappa.Weights.allCases {
                let mine = CohenKappa.kappa(a, b, scale: scale, weights: w)
                let theirs = c[w.rawValue]?.double ?? .nan
                guard !theirs.isNaN else {
                    XCTAssertNil(mine, "\(name) \(w): scikit-learn gives NaN")
                    continue
                }
                XCTAssertEqual(try XCTUnwrap(mine, "\(name) \(w)"), theirs, accuracy: 1e-12, "\(name) \(w)")
            }
        }
    }

    func testPerfectAgreementIsOneAndTheQuadraticWeightsPunishFarDisagreementsMore() throws {
        XCTAssertEqual(CohenKappa.kappa([0, 1, 2, 2], [0, 1, 2, 2], scale: [0, 1, 2], weights: .quadratic), 1)
        // One disagreement each; near (1 vs 2) costs less than far (0 vs 2) with quadratic weights.
        let a = [0, 1, 2, 2, 1, 0]
        let near = try XCTUnwrap(CohenKappa.kappa(a, [0, 1, 1, 2, 1, 0], scale: [0, 1, 2], weights: .quadratic))
        let far = try XCTUnwrap(CohenKappa.kappa(a, [0, 1, 0, 2, 1, 0], scale: [0, 1, 2], weights: .quadratic))
        XCTAssertGreaterThan(near, far)
        // Unweighted kappa does not tell them apart.
        XCTAssertEqual(CohenKappa.kappa(a, [0, 1, 1, 2, 1, 0], scale: [0, 1, 2], weights: .unweighted)!,
                       CohenKappa.kappa(a, [0, 1, 0, 2, 1, 0], scale: [0, 1, 2], weights: .unweighted)!, accuracy: 1e-15)
    }

    func testUndefinedCasesGiveNil() {
        XCTAssertNil(CohenKappa.kappa([], [], scale: [0, 1, 2], weights: .quadratic), "no pairs")
        XCTAssertNil(CohenKappa.kappa([0, 3], [0, 1], scale: [0, 1, 2], weights: .quadratic), "3 is not on the scale")
        XCTAssertNil(CohenKappa.kappa([2, 2], [2, 2], scale: [0, 1, 2], weights: .unweighted), "no chance disagreement")
    }
}
