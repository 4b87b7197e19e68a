import HarnessSpec
import Records
import XCTest

/// `record:` field rules as parsed by the loader (README.md, "Field rules").
final class RecordSectionTests: XCTestCase {
    private func fields(_ record: String) throws -> [FieldSpec] {
        try SpecLoader.parse("name: r\nsource: {}\nrecord:\n\(record)\n", file: "t.yaml").fields
    }

    func testEveryRuleFormIsParsed() throws {
        let f = try fields("""
          id: sourceDataInfo.newsID
          title: {first: [labeledDataInfo.newTitle, sourceDataInfo.newsTitle]}
          body: {join: "a[*].text", with: " | ", or: {join: "b[*].text"}}
          plain: {join: "c[*]"}
          label: {from: labeledDataInfo.clickbaitClass, map: {0: clickbait, 1: normal}, default: other}
          strict: {from: x, map: {a: b}}
          source: {const: aihub}
          conversation: {json: input.conversation}
          subtitle: {path: sourceDataInfo.newsSubTitle, optional: true}
          second: "items[1].name"
        """)
        XCTAssertEqual(f.map(\.name), ["id", "title", "body", "plain", "label", "strict", "source", "conversation", "subtitle", "second"])
        XCTAssertEqual(f[0].rule, .path(try FieldPath("sourceDataInfo.newsID")))
        XCTAssertEqual(f[1].rule, .first([.path(try FieldPath("labeledDataInfo.newTitle")), .path(try FieldPath("sourceDataInfo.newsTitle"))]))
        XCTAssertEqual(f[2].rule, .join(try FieldPath("a[*].text"), separator: " | ", or: .join(try FieldPath("b[*].text"), separator: " ", or: nil)))
        XCTAssertEqual(f[3].rule, .join(try FieldPath("c[*]"), separator: " ", or: nil), "`with` defaults to one space")
        XCTAssertEqual(f[4].rule, .map(.path(try FieldPath("labeledDataInfo.clickbaitClass")), table: ["0": "clickbait", "1": "normal"], fallback: "other"))
        XCTAssertEqual(f[5].rule, .map(.path(try FieldPath("x")), table: ["a": "b"], fallback: nil))
        XCTAssertEqual(f[6].rule, .constant("aihub"))
        XCTAssertEqual(f[7].rule, .json(try FieldPath("input.conversation")))
        XCTAssertEqual(f[8].rule, .path(try FieldPath("sourceDataInfo.newsSubTitle")))
        XCTAssertEqual(f[9].rule, .path(try FieldPath("items[1].name")))
        XCTAssertEqual(f.map(\.optional), [false, false, false, false, false, false, false, false, true, false])
    }

    func testParsedPathsHaveTheDocumentedSteps() throws {
        let f = try fields("  id: \"a[*].b[0].c\"")
        guard case let .path(p) = f[0].rule else { return XCTFail("not a path: \(f[0].rule)") }
        XCTAssertEqual(p.steps, [.key("a"), .everyElement, .key("b"), .element(0), .key("c")])
        XCTAssertTrue(p.isMultiValued)
    }

    func testOptionalMustBeABoolean() throws {
        XCTAssertThrowsError(try fields("  id: a\n  x: {path: b, optional: sometimes}")) {
            XCTAssertEqual(($0 as? SpecError)?.key, "record.x.optional")
        }
    }

    func testMapValuesMustBeText() throws {
        XCTAssertThrowsError(try fields("  id: a\n  x: {from: b, map: {0: [a]}}")) {
            let e = $0 as? SpecError
            XCTAssertEqual(e?.key, "record.x.map.0")
            XCTAssertEqual(e?.message, "expected a text value, found a list")
        }
    }

    func testAFieldNameGivenTwiceIsRefused() throws {
        // YAML keeps `1` and `"1"` apart; as record fields both are the column 1.
        XCTAssertThrowsError(try fields("  id: a\n  1: b.c\n  \"1\": d.e")) {
            let e = $0 as? SpecError
            XCTAssertEqual(e?.line, 6, "\($0)")
            XCTAssertEqual(e?.message, "the field '1' is named twice in `record:`; give each field its own name")
        }
    }
}
