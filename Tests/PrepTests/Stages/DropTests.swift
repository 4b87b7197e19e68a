import HarnessSpec
@testable import Prep
import JSON
import XCTest

/// The `drop` stage: required fields, null fraction, duplicates; kept + removed = input.
final class DropTests: XCTestCase {
    private let h = StageHarness.self

    private func assertAccounted(_ r: StageResult, input: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.records.count + h.totalRemoved(r), input, "kept + removed must equal the input", file: file, line: line)
    }

    func testEmptyInput() throws {
        let r = try h.stage("  - drop: {required: [title], duplicates: [title]}").apply([])
        XCTAssertEqual(r.records, [])
        XCTAssertTrue(r.removed.isEmpty)
    }

    func testRequiredFieldsTreatEmptyTextAsMissingAndCountTheFirstReason() throws {
        let stage = try h.stage("  - drop: {required: [title, body]}")
        let input = [
            h.record("1", ["title": "t", "body": "b"]),
            h.record("2", ["body": "b"]),                 // missing title
            h.record("3", ["title": "", "body": "b"]),    // empty title counts as missing
            h.record("4", ["title": "t"]),                // missing body
            h.record("5", [:]),                           // both missing: counted once, under title
        ]
        let r = try stage.apply(input)
        XCTAssertEqual(r.records.map { $0.fields["id"] }, ["1"])
        XCTAssertEqual(r.removed.map(\.reason), ["missing title", "missing body"], "reasons in the order first met")
        XCTAssertEqual(h.removed(r, "missing title"), 3)
        XCTAssertEqual(h.removed(r, "missing body"), 1)
        assertAccounted(r, input: input.count)
    }

    func testAllNullRowsAreAllRemoved() throws {
        let input = (1...4).map { h.record("\($0)") }
        let r = try h.stage("  - drop: {required: [title], max_null_fraction: 0.1}").apply(input)
        XCTAssertEqual(r.records, [])
        XCTAssertEqual(h.removed(r, "missing title"), 4)
        assertAccounted(r, input: 4)
    }

    func testNullFractionIsOverTheListedFieldsAndStrictlyGreaterThanTheLimit() throws {
        let stage = try h.stage("  - drop: {max_null_fraction: 0.5, null_fields: [title, body, subtitle, label]}")
        let input = [
            h.record("two-of-four", ["title": "t", "body": "b"]),                       // 2/4 = 0.5: kept
            h.record("three-of-four", ["title": "t"]),                                  // 3/4 > 0.5: removed
            h.record("none", ["title": "t", "body": "b", "subtitle": "s", "label": "l"]),
            h.record("empty-text", ["title": "", "body": "", "subtitle": "s", "label": ""]), // 3/4
        ]
        let r = try stage.apply(input)
        XCTAssertEqual(r.records.compactMap { $0.fields["id"] }, ["two-of-four", "none"])
        XCTAssertEqual(r.removed.count, 1)
        XCTAssertTrue(r.removed[0].reason.hasPrefix("null fraction over 0.5"), r.removed[0].reason)
        XCTAssertEqual(r.removed[0].count, 2)
        assertAccounted(r, input: input.count)
    }

    func testNullFieldsDefaultToEveryFieldButId() throws {
        // Spec fields: id title body label type subtitle keep -> 6 besides id. 4 nulls of 6 > 0.5.
        let stage = try h.stage("  - drop: {max_null_fraction: 0.5}")
        let r = try stage.apply([h.record("a", ["title": "t", "body": "b"]),
                                 h.record("b", ["title": "t", "body": "b", "label": "l"])])   // 3 of 6 = 0.5: kept
        XCTAssertEqual(r.records.compactMap { $0.fields["id"] }, ["b"])
    }

    func testDuplicatesAreJudgedOnNormalisedTextAndTheFirstIsKept() throws {
        let stage = try h.stage("  - drop: {duplicates: [title, body]}")
        let nfd = "한국".decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfd.unicodeScalars), Array("한국".unicodeScalars))
        let input = [
            h.record("1", ["title": "Hello  World", "body": "한국 뉴스"]),
            h.record("2", ["title": "hello world", "body": "\(nfd) 뉴스"]),      // same after case, spaces and NFC
            h.record("3", ["title": "hello world", "body": "다른 뉴스"]),        // body differs
            h.record("4", ["title": "Hello World ", "body": " 한국\n뉴스"]),
            h.record("5", ["title": "hello", "body": "world 한국 뉴스"]),       // the separator keeps fields apart
        ]
        let r = try stage.apply(input)
        XCTAssertEqual(r.records.compactMap { $0.fields["id"] }, ["1", "3", "5"])
        XCTAssertEqual(r.removed.map(\.reason), ["duplicate title+body (train)"])
        XCTAssertEqual(h.removed(r, "duplicate title+body (train)"), 2)
        assertAccounted(r, input: input.count)
    }

    func testEveryReasonTogetherStillAddsUp() throws {
        let stage = try h.stage("  - drop: {required: [id, title], max_null_fraction: 0.5, null_fields: [body, label], duplicates: [title]}")
        let input = [
            h.record(nil, ["title": "no id"]),
            h.record("1", ["title": "a", "body": "b", "label": "x"]),
            h.record("2", ["title": "a", "body": "b", "label": "x"]),
            h.record("3", ["title": "c"]),
            h.record("4", ["body": "b"]),
            h.record("5", ["title": "d", "label": "y"]),
        ]
        let r = try stage.apply(input)
        XCTAssertEqual(r.records.compactMap { $0.fields["id"] }, ["1", "5"])
        XCTAssertEqual(h.removed(r, "missing id"), 1)
        XCTAssertEqual(h.removed(r, "missing title"), 1)
        XCTAssertEqual(h.removed(r, "duplicate title (train)"), 1)
        XCTAssertEqual(r.removed.filter { $0.reason.hasPrefix("null fraction") }.map(\.count), [1])
        assertAccounted(r, input: input.count)
    }

    func testATrainingRowEqualToAHeldOutRowIsTheCopyThatGoesWhicheverComesFirst() throws {
        // Before the fix the first copy was kept, so a test row after its training twin was deleted.
        let stage = try h.stage("  - drop: {duplicates: [title, body]}")
        let input = [
            h.record("train-1", split: "train", ["title": "Same", "body": "text"]),
            h.record("test-1", split: "test", ["title": "same", "body": "text"]),
            h.record("test-2", split: "test", ["title": "other", "body": "text"]),
            h.record("train-2", split: "train", ["title": "Other ", "body": "text"]),
            h.record("train-3", split: "train", ["title": "only in train", "body": "x"]),
            h.record("train-4", split: "train", ["title": "only in train", "body": "x"]),
        ]
        let r = try stage.apply(input)
        XCTAssertEqual(r.records.compactMap { $0.fields["id"] }, ["test-1", "test-2", "train-3"], "the held-out split keeps every row")
        XCTAssertEqual(h.removed(r, "duplicate title+body of a test row (train copy)"), 2)
        XCTAssertEqual(h.removed(r, "duplicate title+body (train)"), 1)
        assertAccounted(r, input: input.count)
    }

    func testTheTrainingSplitIsTheOneTheSampleStageDrawsFrom() throws {
        // With `sample: {from: pool}`, `pool` is the training split and `train` is held out.
        let stage = try h.stage("""
              - drop: {duplicates: [title]}
              - sample: {from: pool, splits: {train: 0.5, valid: 0.5}}
            """)
        let input = [h.record("p", split: "pool", ["title": "a"]), h.record("t", split: "train", ["title": "a"])]
        let r = try stage.apply(input)
        XCTAssertEqual(r.records.compactMap { $0.fields["id"] }, ["t"])
        XCTAssertEqual(h.removed(r, "duplicate title of a train row (pool copy)"), 1)
    }

    func testDuplicatesInsideTheHeldOutSplitNameIt() throws {
        let r = try h.stage("  - drop: {duplicates: [title]}").apply([h.record("a", split: "test", ["title": "x"]), h.record("b", split: "test", ["title": "x"])])
        XCTAssertEqual(r.records.compactMap { $0.fields["id"] }, ["a"])
        XCTAssertEqual(r.removed.map(\.reason), ["duplicate title (test)"])
    }

    func testBadArgumentsAreSpecErrors() throws {
        XCTAssertThrowsError(try h.stage("  - drop: {required: [titel]}")) {
            let e = $0 as? SpecError
            XCTAssertEqual(e?.key, "stages[0].drop.required[0]")
            XCTAssertEqual(e?.message, "no record field 'titel'; did you mean 'title'? (fields: id, title, body, label, type, subtitle, keep, instruction, input, output)")
        }
        XCTAssertThrowsError(try h.stage("  - drop: {max_null_fraction: 1.5}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.hasPrefix("must be a fraction between 0 and 1") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try h.stage("  - drop: {}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.hasPrefix("say what to drop") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try h.stage("  - drop: {duplicate: [title]}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.contains("did you mean 'duplicates'?") ?? false, "\($0)")
        }
        // Instruction fields are allowed after `instruct`.
        XCTAssertNoThrow(try h.stage("  - drop: {required: [output]}"))
    }
}
