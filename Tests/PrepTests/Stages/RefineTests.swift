import HarnessSpec
@testable import Prep
import JSON
import XCTest

/// The `refine` stage on whole records, including list fields (conversations).
final class RefineTests: XCTestCase {
    private let h = StageHarness.self

    func testEmptyInputGivesEmptyOutput() throws {
        let r = try h.stage("  - refine: {fields: [title], rules: [strip]}").apply([])
        XCTAssertEqual(r.records, [])
        XCTAssertTrue(r.removed.isEmpty)
    }

    func testOnlyTheNamedFieldsChangeAndCountsAreReported() throws {
        let stage = try h.stage("  - refine: {fields: [title, subtitle], rules: [unescape_quotes, collapse_spaces, strip, nulls]}")
        let input = [
            h.record("1", ["title": "  충격!  결국 \\\"이렇게\\\" ", "subtitle": "null", "body": "  본문  그대로 "]),
            h.record("2", ["title": "정상 제목", "subtitle": "부제"]),
            h.record("3", split: "test", [:]),     // every field null
        ]
        let r = try stage.apply(input)
        XCTAssertEqual(r.records.count, 3, "refine never removes rows")
        XCTAssertEqual(r.records[0].fields, ["id": "1", "title": "충격! 결국 \"이렇게\"", "body": "  본문  그대로 "],
                       "subtitle became null; body is not a refine field")
        XCTAssertEqual(r.records[1], input[1])
        XCTAssertEqual(r.records[2], input[2], "all-null rows pass unchanged")
        XCTAssertEqual(r.records[0].split, "train")
        XCTAssertEqual(r.records[0].archive, "a.zip")
        XCTAssertEqual(h.detail(r, "title_changed"), .number("1"))
        XCTAssertEqual(h.detail(r, "subtitle_changed"), .number("1"))
        XCTAssertEqual(h.detail(r, "subtitle_nulled"), .number("1"))
        XCTAssertEqual(h.detail(r, "title_nulled"), .number("0"))
    }

    func testAnUnknownFieldIsASpecErrorWithASuggestion() throws {
        XCTAssertThrowsError(try h.stage("  - refine: {fields: [title, bdy], rules: [strip]}")) {
            let e = $0 as? SpecError
            XCTAssertEqual(e?.key, "stages[0].refine.fields[1]")
            XCTAssertEqual(e?.message, "no record field 'bdy'; did you mean 'body'? (fields: id, title, body, label, type, subtitle, keep)")
        }
        XCTAssertThrowsError(try h.stage("  - refine: {fields: [title], drop_empty_items: true}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.contains("need `items:`") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try h.stage("  - refine: {rules: [strip]}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.hasPrefix("missing required key 'fields'") ?? false, "\($0)")
        }
    }

    private let convSpec = """
      id: id
      conversation: {json: conv}
      refs: {json: refs, optional: true}
    """

    private func conv(_ turns: [(Int, String, String)]) -> String {
        JSONWriter.serialize(.array(turns.map { .object([("speaker", .number(String($0.0))), ("utterance", .string($0.1)), ("utterance_id", .string($0.2))]) }))
    }

    private func turns(_ json: String?) throws -> [(Int, String, String)] {
        guard case let .array(items) = try JSONParser.parse(try XCTUnwrap(json)) else { XCTFail("not a list"); return [] }
        return items.map { (Int($0["speaker"]?.scalarText ?? "") ?? -1, $0["utterance"]?.scalarText ?? "<null>", $0["utterance_id"]?.scalarText ?? "") }
    }

    func testListItemsAreCleanedEmptyOnesDroppedAndOtherKeysKept() throws {
        let stage = try h.stage("  - refine: {fields: [conversation], items: utterance, rules: [{delete_chars: \"^\"}, strip], drop_empty_items: true}", record: convSpec)
        let input = h.record("c1", ["conversation": conv([(1, " 안녕 ", "u1"), (2, "^^", "u2"), (1, "좋아 ", "u3")])])
        let out = try stage.apply([input]).records[0]
        let t = try turns(out.fields["conversation"])
        XCTAssertEqual(t.map(\.1), ["안녕", "좋아"])
        XCTAssertEqual(t.map(\.2), ["u1", "u3"])
        XCTAssertEqual(t.map(\.0), [1, 1], "speakers stay numbers; no merge was asked for")
    }

    func testWithoutDropEmptyItemsEmptyTurnsStay() throws {
        let stage = try h.stage("  - refine: {fields: [conversation], items: utterance, rules: [{delete_chars: \"^\"}]}", record: convSpec)
        let out = try stage.apply([h.record("c1", ["conversation": conv([(1, "a", "u1"), (2, "^^", "u2")])])]).records[0]
        XCTAssertEqual(try turns(out.fields["conversation"]).map(\.1), ["a", ""])
    }

    func testSameSpeakerTurnsMergeUnlessReferenced() throws {
        let stage = try h.stage("""
          - refine:
              fields: [conversation]
              items: utterance
              rules: [strip]
              merge_same_speaker: {speaker: speaker, id: utterance_id, keep: refs}
        """, record: convSpec)
        // 1: a | 2: b, c, d (unreferenced run -> one turn) | 1: e | 1: f (referenced) | 1: g
        let c = conv([(1, "a", "u1"), (2, "b", "u2"), (2, "c", "u3"), (2, "d", "u4"), (1, "e", "u5"), (1, "f", "u6"), (1, "g", "u7")])
        let listRefs = try stage.apply([h.record("x", ["conversation": c, "refs": "[\"u6\"]"])]).records[0]
        let t = try turns(listRefs.fields["conversation"])
        XCTAssertEqual(t.map(\.1), ["a", "b c d", "e", "f", "g"])
        XCTAssertEqual(t.map(\.2), ["u1", "u2", "u5", "u6", "u7"], "a merged turn keeps the first turn's id")
        // keep as comma-separated text.
        // u3 protected: b | c | d stay apart (a protected turn merges with neither neighbour); e f merge; g protected.
        let commaRefs = try stage.apply([h.record("x", ["conversation": c, "refs": "u3,  u7"])]).records[0]
        XCTAssertEqual(try turns(commaRefs.fields["conversation"]).map(\.1), ["a", "b", "c", "d", "e f", "g"])
        // No refs at all: every run merges.
        let noRefs = try stage.apply([h.record("x", ["conversation": c])]).records[0]
        XCTAssertEqual(try turns(noRefs.fields["conversation"]).map(\.1), ["a", "b c d", "e f g"])
    }

    func testAListRuleOnTextThatIsNotAJSONListFailsTheStage() throws {
        let stage = try h.stage("  - refine: {fields: [title], items: utterance, rules: [strip]}")
        XCTAssertThrowsError(try stage.apply([h.record("7", ["title": "plain text"])])) {
            guard case let .stage(name, detail)? = $0 as? PrepError else { return XCTFail("\($0)") }
            XCTAssertEqual(name, "refine")
            XCTAssertTrue(detail.contains("field 'title' of record 7 is not a JSON list"), detail)
        }
    }
}
