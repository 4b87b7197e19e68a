import Foundation
import JSON
import Store
import XCTest

/// `RunKind` and `RunStatus`: the values the `runs` table holds, and what a value this version does
/// not know does (a store written by a newer harness, or edited by hand).
final class RunValuesTests: XCTestCase {
    /// The only place the stored strings are spelled out: stores written before the enums existed
    /// hold exactly these, and must keep reading.
    func testTheStoredValuesAreTheStringsEarlierVersionsWrote() throws {
        XCTAssertEqual(RunKind.allCases.map(\.rawValue), ["prep", "score", "import", "ensemble"])
        XCTAssertEqual(RunStatus.allCases.map(\.rawValue), ["running", "done", "failed", "interrupted"])
        XCTAssertEqual(RunKind.evalKinds, [.score, .import, .ensemble])
        XCTAssertEqual("\(RunKind.import) \(RunStatus.interrupted)", "import interrupted", "shown to people as stored")
    }

    func testEveryKindAndStatusRoundTripsThroughTheStore() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        for kind in RunKind.allCases {
            for status in RunStatus.allCases where status != .running {
                let id = try store.beginRun(kind: kind, spec: .demo())
                try store.finishRun(id, status: status, seconds: 1)
                let raw = try XCTUnwrap(try store.db.query("SELECT kind, status FROM runs WHERE id = ?", [.int(Int64(id))]).first)
                XCTAssertEqual(raw["kind"].text, kind.rawValue)
                XCTAssertEqual(raw["status"].text, status.rawValue)
                let run = try store.run(id)
                XCTAssertEqual(run.kind, kind)
                XCTAssertEqual(run.status, status)
            }
        }
        XCTAssertEqual(try store.runs(kind: .import).count, 3)
        XCTAssertEqual(try store.latestRun(kind: .ensemble, specName: "demo", status: .failed)?.kind, .ensemble)
    }

    func testAnUnknownKindIsAStoreErrorNamingTheRunTheValueAndTheKnownOnes() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let score = try store.beginRun(kind: .score, spec: .demo())
        try store.finishRun(score, status: .done, seconds: 1)
        let foreign = try insert(store, kind: "train", status: RunStatus.done.rawValue)

        XCTAssertThrowsError(try store.run(foreign)) { error in
            XCTAssertEqual(error as? StoreError, .unknownValue(run: "run-\(foreign)", column: "kind", value: "train",
                                                               known: ["prep", "score", "import", "ensemble"]))
            XCTAssertEqual((error as? StoreError)?.description,
                           "run-\(foreign) has kind 'train', which this version of harness does not know (it knows prep, score, import, ensemble); "
                           + "the store was probably written by a newer harness: use that one, or give another store with --db")
        }
        XCTAssertThrowsError(try store.resolve("run-\(foreign)", kinds: RunKind.evalKinds)) {
            guard case .unknownValue? = $0 as? StoreError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try store.runs(), "a listing of every run says which one it cannot read")
        // What only looks for known kinds passes it by.
        XCTAssertEqual(try store.runs(kind: .score).map(\.id), [score])
        XCTAssertEqual(try store.resolve("latest", kinds: RunKind.evalKinds, finished: true), score)
        // Errors that list recent runs still list it, instead of failing on it.
        XCTAssertThrowsError(try store.run(99)) {
            XCTAssertEqual($0 as? StoreError, .unknownRun("run-99", known: ["run-\(foreign)", "run-\(score)"]))
        }
    }

    func testAnUnknownStatusIsAStoreErrorToo() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let paused = try insert(store, kind: RunKind.prep.rawValue, status: "paused")
        XCTAssertThrowsError(try store.run(paused)) {
            XCTAssertEqual($0 as? StoreError, .unknownValue(run: "run-\(paused)", column: "status", value: "paused",
                                                            known: ["running", "done", "failed", "interrupted"]))
        }
        XCTAssertThrowsError(try store.runs(kind: .prep))
        XCTAssertNil(try store.latestRun(kind: .prep, specName: "demo"), "the query asks for done runs only")
    }

    private func insert(_ store: RunStore, kind: String, status: String) throws -> Int {
        try store.db.execute("INSERT INTO runs (kind, spec_name, status, started_at) VALUES (?, 'demo', ?, 'now')", [.text(kind), .text(status)])
        return store.db.lastInsertID
    }
}
