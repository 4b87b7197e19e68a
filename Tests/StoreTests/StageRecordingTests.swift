import Foundation
import JSON
import Store
import XCTest

/// `recordStage` / `stages(run:)` / `artifacts(run:)` / `cachedStage(key:)`.
final class StageRecordingTests: XCTestCase {
    private func stage(_ position: Int, key: String, rowsOut: Int = 8, skipped: Bool = false, artifacts: [Artifact] = []) -> StageRecord {
        StageRecord(position: position, name: "drop", cacheKey: key, inputDigest: "in-\(key)", outputDigest: "out-\(key)-\(rowsOut)",
                    rowsIn: 10, rowsOut: rowsOut, removed: [(reason: "missing title", count: 1), (reason: "duplicate title", count: 1)],
                    details: .object([("note", .string("한글 ok")), ("n", .number("3"))]), seconds: 0.25, skipped: skipped,
                    artifacts: artifacts)
    }

    func testAStageAndItsArtifactsRoundTrip() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let run = try store.beginRun(kind: .prep, spec: .demo())
        let arts = [Artifact(path: "out/demo/stages/01-drop.jsonl", digest: "aa", bytes: 120, rows: 8),
                    Artifact(path: "out/demo/stages/01-drop.csv", digest: "bb", bytes: 99, rows: 8)]
        let ingest = StageRecord(position: 0, name: "ingest", cacheKey: "k0", inputDigest: "i", outputDigest: "o", rowsIn: 3, rowsOut: 10, seconds: 1)
        let drop = stage(1, key: "k1", artifacts: arts)
        try store.recordStage(run: run, drop)
        try store.recordStage(run: run, ingest)

        let back = try store.stages(run: run)
        XCTAssertEqual(back.map(\.position), [0, 1], "stages come back in position order")
        XCTAssertEqual(back[0], ingest)
        var sorted = drop
        sorted.artifacts.sort { $0.path < $1.path }
        XCTAssertEqual(back[1], sorted)
        XCTAssertEqual(back[1].removed.map(\.reason), ["missing title", "duplicate title"], "removal reasons keep their order")
        XCTAssertEqual(back[1].details["note"], .string("한글 ok"))
        XCTAssertEqual(back[1].inputDigest, "in-k1")
        XCTAssertEqual(back[1].seconds, 0.25)
        XCTAssertEqual(back[1].artifacts.map(\.path), ["out/demo/stages/01-drop.csv", "out/demo/stages/01-drop.jsonl"], "artifacts sorted by path")
        XCTAssertEqual(Set(try store.artifacts(run: run).map(\.path)), Set(arts.map(\.path)))
        XCTAssertEqual(try store.artifacts(run: run).first(where: { $0.digest == "aa" }), arts[0])
    }

    func testRecordingTheSamePositionAgainReplacesIt() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let run = try store.beginRun(kind: .prep, spec: .demo())
        try store.recordStage(run: run, stage(1, key: "a", rowsOut: 8))
        try store.recordStage(run: run, stage(1, key: "b", rowsOut: 5, skipped: true))
        let back = try store.stages(run: run)
        XCTAssertEqual(back.count, 1)
        XCTAssertEqual(back[0].cacheKey, "b")
        XCTAssertEqual(back[0].rowsOut, 5)
        XCTAssertTrue(back[0].skipped)
    }

    func testCachedStageReturnsTheNewestRunWithThatKey() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        XCTAssertNil(try store.cachedStage(key: "k"), "nothing recorded yet")
        let r1 = try store.beginRun(kind: .prep, spec: .demo())
        try store.recordStage(run: r1, stage(2, key: "k", rowsOut: 7, artifacts: [Artifact(path: "p1", digest: "d1", bytes: 1, rows: 7)]))
        let r2 = try store.beginRun(kind: .prep, spec: .demo())
        try store.recordStage(run: r2, stage(2, key: "k", rowsOut: 6, artifacts: [Artifact(path: "p2", digest: "d2", bytes: 2, rows: 6)]))
        let r3 = try store.beginRun(kind: .prep, spec: .demo())
        try store.recordStage(run: r3, stage(2, key: "other", rowsOut: 1))

        let hit = try XCTUnwrap(try store.cachedStage(key: "k"))
        XCTAssertEqual(hit.run, r2)
        XCTAssertEqual(hit.stage.rowsOut, 6)
        XCTAssertEqual(hit.stage.artifacts, [Artifact(path: "p2", digest: "d2", bytes: 2, rows: 6)], "the artifacts of that run and position")
        XCTAssertEqual(try store.cachedStage(key: "other")?.run, r3)
        XCTAssertNil(try store.cachedStage(key: "missing"))
    }

    func testArtifactsAreScopedToTheirRunAndPosition() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let r1 = try store.beginRun(kind: .prep, spec: .demo())
        let r2 = try store.beginRun(kind: .prep, spec: .demo())
        try store.recordStage(run: r1, stage(1, key: "x", artifacts: [Artifact(path: "a", digest: "1", bytes: 1, rows: 1)]))
        try store.recordStage(run: r1, stage(2, key: "y", artifacts: [Artifact(path: "b", digest: "2", bytes: 2, rows: 2)]))
        try store.recordStage(run: r2, stage(1, key: "x", artifacts: [Artifact(path: "a", digest: "3", bytes: 3, rows: 3)]))
        XCTAssertEqual(try store.stages(run: r1).map { $0.artifacts.map(\.path) }, [["a"], ["b"]])
        XCTAssertEqual(try store.artifacts(run: r1).map(\.path), ["a", "b"], "ordered by stage position")
        XCTAssertEqual(try store.artifacts(run: r2).map(\.digest), ["3"])
    }

    func testAStageOfAnUnknownRunIsRefusedAndLeavesNothing() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        XCTAssertThrowsError(try store.recordStage(run: 4242, stage(1, key: "k", artifacts: [Artifact(path: "a", digest: "1", bytes: 1, rows: 1)]))) {
            XCTAssertTrue(String(describing: $0).contains("FOREIGN KEY"), "\($0)")
        }
        XCTAssertEqual(try store.db.query("SELECT count(*) FROM stages").first?.values.first?.int, 0)
        XCTAssertEqual(try store.db.query("SELECT count(*) FROM artifacts").first?.values.first?.int, 0)
        XCTAssertNil(try store.cachedStage(key: "k"))
    }

    func testRunsAreListedNewestFirstAndFiltered() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let a = try store.beginRun(kind: .prep, spec: .demo("a"), settings: .object([("data", .string("x"))]))
        let b = try store.beginRun(kind: .score, spec: .demo("b"), parent: a)
        let c = try store.beginRun(kind: .prep, spec: .demo("b"))
        try store.finishRun(a, status: .done, seconds: 1)
        try store.finishRun(c, status: .failed, seconds: 1, summary: .object([("error", .string("boom"))]))
        XCTAssertEqual(try store.runs().map(\.id), [c, b, a])
        XCTAssertEqual(try store.runs(limit: 2).map(\.id), [c, b])
        XCTAssertEqual(try store.runs(kind: .prep).map(\.id), [c, a])
        XCTAssertEqual(try store.runs(kind: .prep, specName: "b").map(\.id), [c])
        XCTAssertEqual(try store.run(b).parent, a)
        XCTAssertEqual(try store.run(a).settings["data"], .string("x"))
        XCTAssertEqual(try store.run(c).summary["error"], .string("boom"))
        XCTAssertEqual(try store.run(b).status, .running)
        XCTAssertNil(try store.run(b).finishedAt)
        XCTAssertNotNil(try store.run(a).finishedAt)
        XCTAssertNil(try store.latestRun(kind: .prep, specName: "b"), "run c failed; only done runs count")
        XCTAssertEqual(try store.latestRun(kind: .prep, specName: "b", status: .failed)?.id, c)
    }
}
