import EvalStore
import Evaluation
import Foundation
import JSON
import Store
import XCTest

/// `HumanGrades.load`: the grades of a real run store, with the stored grading setup.
final class HumanGradesStoreTests: XCTestCase {
    var path = ""
    override func setUp() { path = NSTemporaryDirectory() + "human-grades-\(UUID().uuidString).sqlite" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    let predictions = (1...3).map { Prediction(id: "\($0)", gold: "normal", predicted: $0 == 3 ? "(other)" : "normal") }

    func testARunWithoutGrades_hasNone() throws {
        let store = try RunStore(path: path)
        let run = try store.beginRun(kind: .score, spec: nil)
        XCTAssertNil(try HumanGrades.load(store, run: run, predictions: predictions, generate: true))
    }

    func testStoredGrades_loadWithTheirSetup() throws {
        let store = try RunStore(path: path)
        let run = try store.beginRun(kind: .score, spec: nil)
        let setup = StoredGradingSetup(criteria: ["accuracy"], scale: [0, 1, 2], category: "type", labelCriterion: "accuracy")
        let rows = [2, 1, 0].enumerated().map { StoredGrade(itemID: "\($0.offset + 1)", grader: "kim", criterion: "accuracy", grade: $0.element, category: "13") }
        try store.replaceGrades(run: run, setup: setup, graders: ["kim"], rows)
        let g = try XCTUnwrap(try HumanGrades.load(store, run: run, predictions: predictions, generate: true))
        XCTAssertEqual(g.setup, GradingSetup(criteria: ["accuracy"], scale: [0, 1, 2], category: "type", labelCriterion: "accuracy"))
        XCTAssertEqual(g.graders, ["kim"])
        XCTAssertEqual(g.items, 3)
        XCTAssertEqual(g.grades.first, Grade(itemID: "1", grader: "kim", criterion: "accuracy", value: 2, category: "13"))
        XCTAssertNotNil(g.labels, "a generate-mode run is compared with its automatic label")
        XCTAssertNil(try HumanGrades.load(store, run: run, predictions: predictions, generate: false)?.labels)
    }
}
