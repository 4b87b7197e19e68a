import EvalStore
import Evaluation
import Foundation
import JSON
import Store
import XCTest

/// Predictions written to a real run store and read back.
final class RunPredictionsTests: XCTestCase {
    var path = ""
    override func setUp() { path = NSTemporaryDirectory() + "run-predictions-\(UUID().uuidString).sqlite" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    func testStoredPredictions_loadBackWithScoresFieldsAndAnswers() throws {
        let store = try RunStore(path: path)
        let run = try store.beginRun(kind: .score, spec: nil)
        var a = Prediction(id: "1", gold: "clickbait", predicted: "normal", scores: ["clickbait": -2.5, "normal": -0.25], fields: ["title": "제목", "type": "13"])
        a.answer = " 정상 기사"
        let b = Prediction(id: "2", gold: nil, predicted: "clickbait")
        try store.savePredictions(run: run, [a, b].map(RunPredictions.stored))
        let back = try RunPredictions.load(store, run: run)
        XCTAssertEqual(back.map(\.id), ["1", "2"])
        XCTAssertEqual(back[0].scores, a.scores)
        XCTAssertEqual(back[0].fields, a.fields)
        XCTAssertEqual(back[0].answer, " 정상 기사")
        XCTAssertEqual(back[0].gold, "clickbait")
        XCTAssertNil(back[1].gold)
        XCTAssertEqual(back[1].predicted, "clickbait")
    }

    func testLoadLabels_readsLabelsOnly() throws {
        let store = try RunStore(path: path)
        let run = try store.beginRun(kind: .score, spec: nil)
        let p = Prediction(id: "1", gold: "a", predicted: "b", scores: ["a": -1], fields: ["title": "t"])
        try store.savePredictions(run: run, [RunPredictions.stored(p)])
        let labels = try RunPredictions.loadLabels(store, run: run)
        XCTAssertEqual(labels.map { [$0.id, $0.gold, $0.predicted] }, [["1", "a", "b"]])
        XCTAssertTrue(labels[0].scores.isEmpty && labels[0].fields.isEmpty)
    }

    func testStored_sortsKeysAndWritesANonFiniteScoreAsZero() {
        let row = RunPredictions.stored(Prediction(id: "1", gold: nil, predicted: "b", scores: ["b": -.infinity, "a": 1.5], fields: ["z": "1", "y": "2"]))
        XCTAssertEqual(row.scores, .object([("a", .number("1.5")), ("b", .number("0"))]))
        XCTAssertEqual(row.fields, .object([("y", .string("2")), ("z", .string("1"))]))
    }
}
