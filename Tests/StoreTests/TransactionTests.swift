import Foundation
import JSON
import Store
import XCTest

/// "The store changes in transactions": a failure part-way leaves nothing behind.
final class TransactionTests: XCTestCase {
    private func count(_ store: RunStore, _ table: String) throws -> Int {
        try store.db.query("SELECT count(*) FROM \(table)").first?.values.first?.int ?? -1
    }

    func testAFailureInsideATransactionRollsEverythingBack() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let run = try store.beginRun(kind: .prep, spec: .demo())
        let insert = "INSERT INTO stages (run_id, position, name, cache_key, input_digest, output_digest, rows_in, rows_out, seconds) VALUES (?, ?, 'drop', 'k', 'i', 'o', 1, 1, 0)"
        XCTAssertThrowsError(try store.db.transaction {
            try store.db.execute(insert, [.int(Int64(run)), .int(1)])
            try store.db.execute("INSERT INTO artifacts (run_id, stage_position, path, digest, bytes, rows) VALUES (?, 1, 'a', 'd', 1, 1)", [.int(Int64(run))])
            // The same (run_id, position) again: PRIMARY KEY violation.
            try store.db.execute(insert, [.int(Int64(run)), .int(1)])
        }) { error in
            XCTAssertTrue(String(describing: error).contains("UNIQUE constraint failed"), "\(error)")
        }
        XCTAssertEqual(try count(store, "stages"), 0)
        XCTAssertEqual(try count(store, "artifacts"), 0)
        XCTAssertEqual(try store.stages(run: run), [])
        // The connection is usable afterwards (no transaction left open).
        try store.recordStage(run: run, StageRecord(position: 1, name: "drop", cacheKey: "k", inputDigest: "i", outputDigest: "o", rowsIn: 1, rowsOut: 1, seconds: 0))
        XCTAssertEqual(try count(store, "stages"), 1)
    }

    /// A transaction inside a transaction is a savepoint: its failure rolls back only its own changes,
    /// and the outer transaction still decides for everything else.
    func testANestedTransactionRollsBackAloneAsASavepoint() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let insert = "INSERT INTO runs (kind, status, started_at) VALUES (?, '\(RunStatus.running.rawValue)', 'now')"
        try store.db.transaction {
            try store.db.execute(insert, [.text("outer-1")])
            XCTAssertThrowsError(try store.db.transaction {
                try store.db.execute(insert, [.text("inner")])
                try store.db.execute("INSERT INTO nowhere VALUES (1)")
            })
            // A nested one that succeeds keeps its row inside the outer transaction.
            try store.db.transaction { try store.db.execute(insert, [.text("inner-ok")]) }
            try store.db.execute(insert, [.text("outer-2")])
        }
        XCTAssertEqual(try store.db.query("SELECT kind FROM runs ORDER BY id").map { $0["kind"].text }, ["outer-1", "inner-ok", "outer-2"])
        // An outer failure takes the released savepoint's rows with it.
        XCTAssertThrowsError(try store.db.transaction {
            try store.db.transaction { try store.db.execute(insert, [.text("gone")]) }
            try store.db.execute("INSERT INTO nowhere VALUES (1)")
        })
        XCTAssertEqual(try count(store, "runs"), 3)
        // No transaction is left open: a new one begins normally.
        try store.db.transaction { try store.db.execute(insert, [.text("after")]) }
        XCTAssertEqual(try count(store, "runs"), 4)
    }

    /// Rows are read by the names the query gave its columns, in any order; SQLite's result code is
    /// kept in the error.
    func testRowsAreReadByColumnNameAndErrorsKeepTheResultCode() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let id = try store.beginRun(kind: .prep, spec: .demo())
        let row = try XCTUnwrap(try store.db.query("SELECT status, kind, id FROM runs").first)
        XCTAssertEqual(row["kind"].text, RunKind.prep.rawValue)
        XCTAssertEqual(row["id"].int, id)
        XCTAssertEqual(row["status"].text, RunStatus.running.rawValue)
        XCTAssertThrowsError(try store.db.execute("INSERT INTO runs (id, kind, status, started_at) VALUES (?, 'x', 'y', 'z')", [.int(Int64(id))])) { error in
            guard case let .sqlite(_, message, code)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(code, 19, "SQLITE_CONSTRAINT: \(message)")
        }
    }

    func testACommittedTransactionKeepsItsChangesAndReturnsItsValue() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let n: Int = try store.db.transaction {
            try store.db.execute("INSERT INTO runs (kind, status, started_at) VALUES (?, ?, 'now')", [.text(RunKind.prep.rawValue), .text(RunStatus.running.rawValue)])
            return store.db.lastInsertID
        }
        XCTAssertEqual(try store.run(n).kind, .prep)
    }

    /// `recordStage` failing midway (after the stage row and one artifact are written) must leave the
    /// store as it was. A real SQLite trigger makes the second artifact insert fail.
    func testRecordStageFailingMidwayLeavesThePreviousRecordIntact() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let run = try store.beginRun(kind: .prep, spec: .demo())
        let good = StageRecord(position: 1, name: "drop", cacheKey: "good", inputDigest: "i", outputDigest: "o", rowsIn: 5, rowsOut: 4,
                               seconds: 0.1, artifacts: [Artifact(path: "a.jsonl", digest: "d1", bytes: 10, rows: 4)])
        try store.recordStage(run: run, good)
        try store.db.execute("CREATE TRIGGER boom BEFORE INSERT ON artifacts WHEN NEW.path = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END")

        var bad = good
        bad.cacheKey = "bad"
        bad.rowsOut = 1
        bad.artifacts = [Artifact(path: "a.jsonl", digest: "d2", bytes: 11, rows: 1), Artifact(path: "boom", digest: "x", bytes: 1, rows: 1)]
        XCTAssertThrowsError(try store.recordStage(run: run, bad)) {
            XCTAssertTrue(String(describing: $0).contains("boom refused"), "\($0)")
        }
        XCTAssertEqual(try store.stages(run: run), [good], "the replaced row and the first new artifact were rolled back")
        XCTAssertNil(try store.cachedStage(key: "bad"))
        XCTAssertEqual(try store.cachedStage(key: "good")?.stage.artifacts.first?.digest, "d1")
    }

    func testAFailedBeginRunLeavesNoRun() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        try store.db.execute("CREATE TRIGGER norun BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'no runs today'); END")
        XCTAssertThrowsError(try store.beginRun(kind: .prep, spec: .demo()))
        try store.db.execute("DROP TRIGGER norun")
        XCTAssertEqual(try store.runs(), [])
    }
}
