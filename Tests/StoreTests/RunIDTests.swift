import Foundation
import Store
import XCTest

/// Run ids as users type them (`run-12` or `12`), and the documented errors for bad or unknown ones.
final class RunIDTests: XCTestCase {
    func testRunNumbersParse() throws {
        XCTAssertEqual(try RunStore.runNumber("run-12"), 12)
        XCTAssertEqual(try RunStore.runNumber("7"), 7)
    }

    func testBadlyFormattedIdsAreRejected() {
        for bad in ["run-", "run-0", "0", "-3", "run--3", "run-1x", "Run-1", "run 1", "", "abc", "run-1.5"] {
            XCTAssertThrowsError(try RunStore.runNumber(bad), bad) {
                XCTAssertEqual($0 as? StoreError, .badRunID(bad))
                XCTAssertEqual(($0 as? StoreError)?.description, "'\(bad)' is not a run id; run ids look like run-12 (see `bin/eval runs`)")
            }
        }
    }

    func testAnUnknownRunInAnEmptyStoreSaysSo() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        XCTAssertThrowsError(try store.run(3)) {
            XCTAssertEqual($0 as? StoreError, .unknownRun("run-3", known: []))
            XCTAssertEqual(($0 as? StoreError)?.description, "no run 'run-3' in the store (the store has no runs yet)")
        }
    }

    func testAnUnknownRunListsAtMostFiveRecentRuns() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let ids = try (0..<7).map { _ in try store.beginRun(kind: .prep, spec: nil) }
        XCTAssertThrowsError(try store.run(100)) {
            let recent = ids.reversed().prefix(5).map { "run-\($0)" }
            XCTAssertEqual($0 as? StoreError, .unknownRun("run-100", known: Array(recent)))
            XCTAssertEqual(($0 as? StoreError)?.description, "no run 'run-100' in the store; recent runs: " + recent.joined(separator: ", "))
        }
    }

    func testAnExplicitRunOfTheWrongKindIsRefused() throws {
        // Before the fix an explicit id skipped the kind filter: `eval ensemble run-1` took a prep run.
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let prep = try store.beginRun(kind: .prep, spec: nil)
        XCTAssertThrowsError(try store.resolve("run-\(prep)", kinds: RunKind.evalKinds)) {
            XCTAssertEqual($0 as? StoreError, .wrongKind(run: "run-\(prep)", kind: .prep, expected: RunKind.evalKinds))
            XCTAssertTrue(($0 as? StoreError)?.description.hasPrefix("run-1 is a prep run; this command takes a score, import, ensemble run") ?? false)
        }
        XCTAssertEqual(try store.resolve("run-\(prep)", kinds: [.prep]), prep)
        XCTAssertEqual(try store.resolve("\(prep)"), prep)
    }

    func testLatestLooksPastAnyNumberOfNewerRunsOfOtherKinds() throws {
        // Before the fix `latest` read only the newest 200 runs.
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let score = try store.beginRun(kind: .score, spec: nil)
        try store.finishRun(score, status: .done, seconds: 1)
        try store.db.transaction { for _ in 0..<250 { _ = try store.db.execute("INSERT INTO runs (kind, status, started_at) VALUES (?, ?, 'x')", [.text(RunKind.prep.rawValue), .text(RunStatus.done.rawValue)]) } }
        XCTAssertEqual(try store.resolve("latest", kinds: RunKind.evalKinds, finished: true), score)
        XCTAssertEqual(try store.resolve("latest"), score + 250)
    }
}
