import HarnessSpec
@testable import Prep
import XCTest

/// Each `refine` rule on its own (TextRule.swift); expected texts are worked out by hand from the
/// rule descriptions in TextRule.swift's header.
final class TextRuleTests: XCTestCase {
    private func refine(_ rules: String) throws -> Refine {
        try StageHarness.stage("  - refine: {fields: [title], rules: \(rules)}", as: Refine.self)
    }

    private func clean(_ rules: String, _ text: String) throws -> String? { try refine(rules).clean(text) }

    func testReplaceUsesRegexGroups() throws {
        XCTAssertEqual(try clean(#"[{replace: "name([12])", with: "화자$1"}]"#, "name1 응 name2 name3"), "화자1 응 화자2 name3")
        XCTAssertEqual(try clean(#"[{replace: "(\\d+)-(\\d+)", with: "$2/$1"}]"#, "call 12-34 now"), "call 34/12 now")
        XCTAssertEqual(try clean(#"[{replace: "안녕\\S*"}]"#, "안녕하세요 반가워"), " 반가워", "no `with` deletes the match")
    }

    func testDeleteCharsRemovesEveryListedCharacter() throws {
        XCTAssertEqual(try clean(#"[{delete_chars: "~!@^"}]"#, "와~ 대박!! @철수 ^^ 끝"), "와 대박 철수  끝")
        XCTAssertEqual(try clean(#"[{delete_chars: "ᆢ"}]"#, "앗 미안ᆢ 입 다물게"), "앗 미안 입 다물게")
    }

    /// `ᆢ` (U+11A2, a medial-vowel jamo used as an ellipsis) after an open syllable such as 래 or 서
    /// forms one grapheme cluster with it (Unicode rule GB7: LV x V), so filtering by Swift
    /// `Character` never sees a lone `ᆢ`. The rule promises to delete the character wherever it is.
    func testDeleteCharsRemovesAJamoThatFollowsAnOpenSyllable() throws {
        XCTAssertEqual(try clean(#"[{delete_chars: "ᆢ"}]"#, "그래ᆢ 알았어"), "그래 알았어")
        XCTAssertEqual(try clean(#"[{delete_chars: "ᆢ"}]"#, "그래서ᆢ"), "그래서")
    }

    func testSqueezeCutsRunsToMax() throws {
        XCTAssertEqual(try clean(#"[{squeeze: "ㅋ!", max: 2}]"#, "ㅋㅋㅋㅋㅋ 와!!!! 헐???"), "ㅋㅋ 와!! 헐???", "`?` is not listed")
        XCTAssertEqual(try clean(#"[{squeeze: "!"}]"#, "와!!! 좋다! 진짜!!"), "와! 좋다! 진짜!", "max defaults to 1")
        XCTAssertEqual(try clean(#"[{squeeze: "a", max: 2}]"#, "aaabaaa"), "aabaa", "each run is cut separately")
        XCTAssertThrowsError(try refine(#"[{squeeze: "!", max: 0}]"#)) {
            let e = $0 as? SpecError
            XCTAssertEqual(e?.message, "must be at least 1")
            XCTAssertEqual(e?.key, "stages[0].refine.rules[0].max")
        }
    }

    func testNullUnlessNullsValuesWithoutThePattern() throws {
        let rules = #"[{null_unless: "[가-힣]"}]"#
        XCTAssertNil(try clean(rules, "abc 123"))
        XCTAssertEqual(try clean(rules, "abc 가"), "abc 가")
    }

    func testUnescapeQuotes() throws {
        XCTAssertEqual(try clean("[unescape_quotes]", #"관계자는 \"좋다\"라고 말했다. It\'s"#), #"관계자는 "좋다"라고 말했다. It's"#)
        XCTAssertEqual(try clean("[unescape_quotes]", #"a "b" c"#), #"a "b" c"#, "plain quotes stay")
    }

    func testCollapseSpacesFoldsRunsOfBlanksButNotSingleOnes() throws {
        XCTAssertEqual(try clean("[collapse_spaces]", "a  b\t\tc\u{3000}\u{3000}d \u{00A0}e"), "a b c d e")
        XCTAssertEqual(try clean("[collapse_spaces]", "a\tb c"), "a\tb c")
    }

    func testStripAndNewlines() throws {
        XCTAssertEqual(try clean("[strip]", " \n 제목 본문 \t\n"), "제목 본문")
        XCTAssertEqual(try clean("[newlines_to_spaces]", "a\r\nb\nc\rd"), "a b c d")
    }

    func testNullsUseTheSpecsNullWordsAndStopLaterRules() throws {
        XCTAssertNil(try clean("[nulls]", "null"))
        XCTAssertNil(try clean("[nulls]", "None"))
        XCTAssertNil(try clean("[nulls]", ""))
        XCTAssertEqual(try clean("[nulls]", "none"), "none", "exact words only")
        // Order matters: strip first turns "  null " into a null word; the other way it stays text.
        XCTAssertNil(try clean("[strip, nulls]", "  null "))
        XCTAssertEqual(try clean("[nulls, strip]", "  null "), "null")
        // A spec with its own null words.
        let s = try StageHarness.spec(stages: "  - refine: {fields: [title], rules: [nulls]}", nulls: "[\"-\"]")
        let r = try XCTUnwrap(try StageRegistry.make(s.stages[0], spec: s) as? Refine)  // parses: no throw expected
        XCTAssertNil(r.clean("-"))
        XCTAssertEqual(r.clean("null"), "null")
    }

    func testRulesRunInOrder() throws {
        // newlines first, then collapse, then strip: "  a\n\nb  " -> "  a  b  " -> " a b " -> "a b".
        XCTAssertEqual(try clean("[newlines_to_spaces, collapse_spaces, strip]", "  a\n\nb  "), "a b")
        // collapse before newlines leaves the double space the newlines made.
        XCTAssertEqual(try clean("[collapse_spaces, newlines_to_spaces, strip]", "a\n\nb"), "a  b")
    }

    func testBadRulesAreSpecErrors() throws {
        XCTAssertThrowsError(try refine("[stirp]")) {
            let e = $0 as? SpecError
            XCTAssertEqual(e?.key, "stages[0].refine.rules[0]")
            XCTAssertTrue(e?.message.contains("did you mean 'strip'?") ?? false, e?.message ?? "")
        }
        XCTAssertThrowsError(try refine(#"[{replace: "(unclosed"}]"#)) {
            XCTAssertEqual(($0 as? SpecError)?.message, "'(unclosed' is not a valid regular expression (ICU syntax)")
        }
        XCTAssertThrowsError(try refine("[{with: x}]")) {
            XCTAssertTrue(($0 as? SpecError)?.message.hasPrefix("a rule is one of strip, collapse_spaces") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try refine("[{replce: x}]")) {
            XCTAssertTrue(($0 as? SpecError)?.message.contains("did you mean 'replace'?") ?? false, "\($0)")
        }
    }
}
