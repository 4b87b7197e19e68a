import EvalStore
import Evaluation
import Foundation
import JSON
import Store
import XCTest

/// `eval ensemble`'s run, recorded in a real store.
final class EnsembleRunTests: XCTestCase {
    var path = ""
    override func setUp() { path = NSTemporaryDirectory() + "ensemble-run-\(UUID().uuidString).sqlite" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    private func member(_ store: RunStore, _ predicted: [String], ids: [String]? = nil) throws -> Int {
        let spec = SpecIdentity(name: "clickbait", path: "specs/clickbait.yaml", digest: "d", version: 1)
        let run = try store.beginRun(kind: .score, spec: spec, settings: .object([("split", .string("valid")), ("show", .array([.string("title")]))]))
        let golds = ["a", "b", "a", "b"]
        try store.savePredictions(run: run, zip(ids ?? ["1", "2", "3", "4"], zip(golds, predicted)).map {
            RunPredictions.stored(Prediction(id: $0.0, gold: $0.1.0, predicted: $0.1.1))
        })
        try store.finishRun(run, status: .done, seconds: 1)
        return run
    }

    func testTheVoteIsRecordedAsAFinishedEnsembleRunWithItsMembers() throws {
        let store = try RunStore(path: path)
        // Item 4: a, b, b -> b (majority); item 2: a, b, c -> a (tie: the earliest run listed).
        let runs = [try member(store, ["a", "a", "a", "a"]), try member(store, ["a", "b", "b", "b"]), try member(store, ["b", "c", "a", "b"])]
        let made = try EnsembleRun.record(in: store, members: runs, vote: .hard)
        XCTAssertEqual(made.items, 4)
        XCTAssertEqual(made.accuracy, 0.75)
        let info = try store.run(made.run)
        XCTAssertEqual(info.kind, .ensemble)
        XCTAssertEqual(info.status, .done)
        XCTAssertEqual(info.specName, "clickbait")
        XCTAssertEqual(info.settings["members"], .array(runs.map { .string("run-\($0)") }))
        XCTAssertEqual(info.settings["vote"], .string("hard"))
        XCTAssertEqual(info.settings["split"], .string("valid"), "report settings come from the first member")
        XCTAssertEqual(try RunPredictions.load(store, run: made.run).map(\.predicted), ["a", "a", "a", "b"])
    }

    func testMembersOnDifferentItemsRecordNothing() throws {
        let store = try RunStore(path: path)
        let a = try member(store, ["a", "a", "a", "a"])
        let b = try member(store, ["a", "a", "a", "a"], ids: ["1", "2", "3", "9"])
        XCTAssertThrowsError(try EnsembleRun.record(in: store, members: [a, b], vote: .hard))
        XCTAssertEqual(try store.runs(limit: 10).count, 2, "no ensemble run is left behind")
    }
}
