import Foundation
import JSON
import Store
import XCTest

/// Migrations are numbered by `PRAGMA user_version`; opening a store again must not re-run them.
final class SchemaMigrationTests: XCTestCase {
    func testAFreshStoreHasEveryTableAndTheLatestVersion() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let tables = try store.db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap { $0["name"].text }
        XCTAssertEqual(tables, ["artifacts", "generations", "grades", "grading", "log_points", "predictions", "runs", "stages"])
        XCTAssertEqual(try store.db.query("PRAGMA user_version").first?.values.first?.int, 5)
        XCTAssertEqual(try store.db.query("PRAGMA journal_mode").first?.values.first?.text, "wal")
        XCTAssertEqual(try store.db.query("PRAGMA foreign_keys").first?.values.first?.int, 1)
    }

    func testOpeningTwiceKeepsDataAndDoesNotMigrateAgain() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let id: Int
        do {
            let first = try tmp.open()
            id = try first.beginRun(kind: .prep, spec: .demo())
            try first.finishRun(id, status: .done, seconds: 0.5)
        }
        // A second open (a new connection) would fail with "table runs already exists" if the
        // migrations ran again; the run must still be there.
        let second = try tmp.open()
        let third = try tmp.open()
        XCTAssertEqual(try second.run(id).status, .done)
        XCTAssertEqual(try third.runs().map(\.id), [id])
        XCTAssertEqual(try third.db.query("PRAGMA user_version").first?.values.first?.int, 5)
        XCTAssertEqual(try third.db.query("SELECT count(*) FROM sqlite_master WHERE name = 'stages_cache'").first?.values.first?.int, 1)
    }

    func testAStoreAtVersionOneIsUpgradedWithoutLosingRuns() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let id: Int
        do {
            let store = try tmp.open()
            id = try store.beginRun(kind: .prep, spec: .demo())
            // Roll the file back to what the first migration alone produced.
            try store.db.execute("ALTER TABLE artifacts DROP COLUMN split; DROP TABLE generations; DROP TABLE grades; DROP TABLE grading; DROP TABLE log_points; DROP TABLE predictions; PRAGMA user_version = 1")
        }
        let reopened = try tmp.open()
        XCTAssertEqual(try reopened.db.query("PRAGMA user_version").first?.values.first?.int, 5)
        XCTAssertEqual(try reopened.db.query("SELECT count(*) FROM sqlite_master WHERE name IN ('predictions', 'log_points')").first?.values.first?.int, 2)
        XCTAssertEqual(try reopened.run(id).specName, "demo")
    }

    func testAStoreAtVersionTwoGetsTheGradeTablesWithoutLosingPredictions() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let id: Int
        do {
            let store = try tmp.open()
            id = try store.beginRun(kind: .score, spec: .demo())
            try store.savePredictions(run: id, [StoredPrediction(itemID: "a", gold: "x", predicted: "x", scores: .object([]), fields: .object([]))])
            // Roll the file back to what the first two migrations produced.
            try store.db.execute("ALTER TABLE artifacts DROP COLUMN split; DROP TABLE generations; DROP TABLE grades; DROP TABLE grading; PRAGMA user_version = 2")
        }
        let reopened = try tmp.open()
        XCTAssertEqual(try reopened.db.query("PRAGMA user_version").first?.values.first?.int, 5)
        XCTAssertEqual(try reopened.db.query("SELECT count(*) FROM sqlite_master WHERE name IN ('grades', 'grading')").first?.values.first?.int, 2)
        XCTAssertEqual(try reopened.predictions(run: id).map(\.itemID), ["a"])
    }

    func testAStoreAtVersionThreeGetsTheSplitColumnWithOldArtifactsNull() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let id: Int
        let old = [Artifact(path: "out/demo/train.jsonl", digest: "a", bytes: 10, rows: 2),
                   Artifact(path: "out/demo/valid.2024.jsonl", digest: "b", bytes: 5, rows: 1)]
        do {
            let store = try tmp.open()
            id = try store.beginRun(kind: .prep, spec: .demo())
            // Roll the file back to what the first three migrations produced, then record as a
            // version-3 harness did: artifacts without a split.
            try store.db.execute("ALTER TABLE artifacts DROP COLUMN split; DROP TABLE generations; PRAGMA user_version = 3")
            try store.db.execute("INSERT INTO stages (run_id, position, name, cache_key, input_digest, output_digest, rows_in, rows_out, seconds) VALUES (?, 1, 'write', 'k', 'i', 'o', 3, 3, 0)",
                                 [.int(Int64(id))])
            for a in old {
                try store.db.execute("INSERT INTO artifacts (run_id, stage_position, path, digest, bytes, rows) VALUES (?, 1, ?, ?, ?, ?)",
                                     [.int(Int64(id)), .text(a.path), .text(a.digest), .int(a.bytes), .int(Int64(a.rows))])
            }
        }
        let reopened = try tmp.open()
        XCTAssertEqual(try reopened.db.query("PRAGMA user_version").first?.values.first?.int, 5)
        let columns = try reopened.db.query("SELECT name FROM pragma_table_info('artifacts')").compactMap { $0["name"].text }
        XCTAssertEqual(columns.last, "split")
        XCTAssertEqual(try reopened.db.query("SELECT count(*) AS n FROM artifacts WHERE split IS NULL").first?["n"].int, 2, "old rows get NULL")
        let write = try XCTUnwrap(try reopened.stages(run: id).first)
        XCTAssertEqual(write.artifacts, old, "read back with no split")
        // Their splits are guessed from the names, as before: the dotted one is missed.
        XCTAssertEqual(write.splitNames, ["train"])
        // New rows keep theirs beside the old ones.
        let next = try reopened.beginRun(kind: .prep, spec: .demo())
        let recorded = Artifact(path: "out/demo/valid.2024.jsonl", digest: "c", bytes: 5, rows: 1, split: "valid.2024")
        try reopened.recordStage(run: next, StageRecord(position: 1, name: "write", cacheKey: "k2", inputDigest: "i", outputDigest: "o",
                                                        rowsIn: 1, rowsOut: 1, seconds: 0, artifacts: [recorded]))
        XCTAssertEqual(try reopened.artifacts(run: next), [recorded])
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
