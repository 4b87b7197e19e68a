import Foundation
import Records
import Store
import XCTest

/// Migrations are numbered by `PRAGMA user_version`; opening a store again must not re-run them.
final class SchemaMigrationTests: XCTestCase {
    func testAFreshStoreHasEveryTableAndTheLatestVersion() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let tables = try store.db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap { $0["name"].text }
        XCTAssertEqual(tables, ["artifacts", "grades", "grading", "log_points", "predictions", "runs", "stages"])
        XCTAssertEqual(try store.db.query("PRAGMA user_version").first?.values.first?.int, 3)
        XCTAssertEqual(try store.db.query("PRAGMA journal_mode").first?.values.first?.text, "wal")
        XCTAssertEqual(try store.db.query("PRAGMA foreign_keys").first?.values.first?.int, 1)
    }

    func testOpeningTwiceKeepsDataAndDoesNotMigrateAgain() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let id: Int
        do {
            let first = try tmp.open()
            id = try first.beginRun(kind: "prep", spec: .demo())
            try first.finishRun(id, status: "done", seconds: 0.5)
        }
        // A second open (a new connection) would fail with "table runs already exists" if the
        // migrations ran again; the run must still be there.
        let second = try tmp.open()
        let third = try tmp.open()
        XCTAssertEqual(try second.run(id).status, "done")
        XCTAssertEqual(try third.runs().map(\.id), [id])
        XCTAssertEqual(try third.db.query("PRAGMA user_version").first?.values.first?.int, 3)
        XCTAssertEqual(try third.db.query("SELECT count(*) FROM sqlite_master WHERE name = 'stages_cache'").first?.values.first?.int, 1)
    }

    func testAStoreAtVersionOneIsUpgradedWithoutLosingRuns() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let id: Int
        do {
            let store = try tmp.open()
            id = try store.beginRun(kind: "prep", spec: .demo())
            // Roll the file back to what the first migration alone produced.
            try store.db.execute("DROP TABLE grades; DROP TABLE grading; DROP TABLE log_points; DROP TABLE predictions; PRAGMA user_version = 1")
        }
        let reopened = try tmp.open()
        XCTAssertEqual(try reopened.db.query("PRAGMA user_version").first?.values.first?.int, 3)
        XCTAssertEqual(try reopened.db.query("SELECT count(*) FROM sqlite_master WHERE name IN ('predictions', 'log_points')").first?.values.first?.int, 2)
        XCTAssertEqual(try reopened.run(id).specName, "demo")
    }

    func testAStoreAtVersionTwoGetsTheGradeTablesWithoutLosingPredictions() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let id: Int
        do {
            let store = try tmp.open()
            id = try store.beginRun(kind: "score", spec: .demo())
            try store.savePredictions(run: id, [StoredPrediction(itemID: "a", gold: "x", predicted: "x", scores: .object([]), fields: .object([]))])
            // Roll the file back to what the first two migrations produced.
            try store.db.execute("DROP TABLE grades; DROP TABLE grading; PRAGMA user_version = 2")
        }
        let reopened = try tmp.open()
        XCTAssertEqual(try reopened.db.query("PRAGMA user_version").first?.values.first?.int, 3)
        XCTAssertEqual(try reopened.db.query("SELECT count(*) FROM sqlite_master WHERE name IN ('grades', 'grading')").first?.values.first?.int, 2)
        XCTAssertEqual(try reopened.predictions(run: id).map(\.itemID), ["a"])
    }

    func testAFileThatIsNotSQLiteGivesAStoreError() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        try String(repeating: "not a database\n", count: 100).write(toFile: tmp.path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try tmp.open()) { error in
            guard case let .sqlite(path, message, code)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, tmp.path)
            XCTAssertEqual(code, 26, "SQLITE_NOTADB is kept in the error")
            XCTAssertTrue(message.contains("not a database"), message)
            XCTAssertTrue((error as! StoreError).description.hasPrefix("run store \(tmp.path): "))
        }
    }
}
