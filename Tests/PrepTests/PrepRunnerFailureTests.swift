import Foundation
import HarnessSpec
@testable import Prep
import JSON
import Store
import XCTest

/// A failing run is recorded `failed` and leaves earlier outputs exactly as they were.
final class PrepRunnerFailureTests: XCTestCase {
    private func tmpFiles(_ box: RunnerSandbox) -> [String] {
        box.snapshot().keys.filter { $0.contains(".tmp-") }.sorted()
    }

    func testMalformedJSONFailsTheRunAndLeavesThePreviousOutputsByteIdentical() throws {
        let box = try RunnerSandbox("malformed")
        let spec = try box.clickbait()
        try box.run(spec)
        let before = box.snapshot()
        XCTAssertFalse(before.isEmpty)

        XCTAssertThrowsError(try box.run(spec, data: Repo.path("fixtures/broken/malformed-json"))) { error in
            guard case let .malformedJSON(location, detail)? = error as? PrepError else { return XCTFail("\(error)") }
            XCTAssertTrue(location.hasSuffix("Training/02.라벨링데이터/TL_Part1_Clickbait_Auto_EC.zip!EC_M01_000002_L.json"), location)
            XCTAssertTrue(detail.contains("line 4"), detail)
        }
        let failed = try XCTUnwrap(try box.store.runs(limit: 1).first)
        XCTAssertEqual(failed.status, .failed)
        XCTAssertTrue(failed.summary["error"]?.scalarText?.contains("EC_M01_000002_L.json") ?? false, "\(failed.summary)")
        XCTAssertNotNil(failed.finishedAt)
        XCTAssertEqual(try box.store.stages(run: failed.id), [], "nothing recorded for the failed ingest")
        XCTAssertEqual(box.snapshot(), before, "outputs untouched")
        XCTAssertEqual(tmpFiles(box), [])
        // The good outputs are still reusable.
        XCTAssertEqual(box.skipped(try box.run(spec)), Array(repeating: true, count: 8))
    }

    func testAStageFailingMidwayLeavesThePreviousOutputsByteIdentical() throws {
        let box = try RunnerSandbox("stagefail")
        try box.run(try box.clickbait())
        let before = box.snapshot()
        // `items:` makes refine read `title` as a JSON list of turns, which it is not.
        let broken = try box.clickbait { try $0.replacingOnce("- refine: {fields: [title, subtitle, body],", with: "- refine: {fields: [title, subtitle, body], items: utterance,") }
        XCTAssertThrowsError(try box.run(broken)) {
            guard case let .stage(name, _)? = $0 as? PrepError else { return XCTFail("\($0)") }
            XCTAssertEqual(name, "refine")
        }
        let failed = try XCTUnwrap(try box.store.runs(limit: 1).first)
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(try box.store.stages(run: failed.id).map(\.name), ["ingest"], "the reused ingest, then the failure")
        XCTAssertEqual(box.snapshot(), before)
        XCTAssertEqual(tmpFiles(box), [])
    }

    func testNoMatchingEntriesIsAnErrorThatSaysWhatWasLookedFor() throws {
        let box = try RunnerSandbox("noentries")
        let spec = try box.clickbait { try $0.replacingOnce("entries: \"*_L.json\"", with: "entries: \"*_X.json\"") }
        XCTAssertThrowsError(try box.run(spec)) {
            guard case let .noRecords(detail)? = $0 as? PrepError else { return XCTFail("\($0)") }
            XCTAssertTrue(detail.hasPrefix("0 entries matched *_X.json under "), detail)
        }
        XCTAssertEqual(try box.store.runs(limit: 1).first?.status, .failed)
        XCTAssertEqual(tmpFiles(box), [])
    }

    /// The same failure after a good run: "every error ... leaves earlier outputs untouched".
    func testARunThatReadsNoRecordsLeavesThePreviousOutputsByteIdentical() throws {
        let box = try RunnerSandbox("norecords-after-good")
        try box.run(try box.clickbait())
        let before = box.snapshot()
        let records = try XCTUnwrap(before["records.jsonl"])
        XCTAssertFalse(records.isEmpty)
        let spec = try box.clickbait { try $0.replacingOnce("entries: \"*_L.json\"", with: "entries: \"*_X.json\"") }
        XCTAssertThrowsError(try box.run(spec)) { XCTAssertNotNil($0 as? PrepError, "\($0)") }
        let after = box.snapshot()
        XCTAssertEqual(after["records.jsonl"]?.count, records.count, "records.jsonl was replaced by the failed run")
        XCTAssertEqual(after, before)
    }

    func testAnUnknownStageIsReportedBeforeAnythingRuns() throws {
        let box = try RunnerSandbox("unknownstage")
        let spec = try box.clickbait { try $0.replacingOnce("- drop: {", with: "- dorp: {") }
        XCTAssertThrowsError(try box.run(spec)) {
            guard case let .unknownStage(file, line, _, name, suggestion, known)? = $0 as? PrepError else { return XCTFail("\($0)") }
            XCTAssertEqual(file, "clickbait.yaml")
            XCTAssertEqual(name, "dorp")
            XCTAssertEqual(suggestion, "drop")
            XCTAssertTrue(Set(known).isSuperset(of: ["refine", "drop", "sample", "instruct", "augment"]), "\(known)")
            XCTAssertGreaterThan(line, 1)
        }
        XCTAssertEqual(try box.store.runs(), [], "no run is started for a spec that cannot run")
    }
}
