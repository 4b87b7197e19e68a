import JSON
import Records
import XCTest

final class FieldExtractorTests: XCTestCase {
    // A label file shaped as in shared/AIHUB.md section 1.
    let doc = try! JSONParser.parse("""
    {"sourceDataInfo": {"newsID": "EC_M02_000001", "newsTitle": "원래 제목", "newsSubTitle": "null", "partNum": "P1",
       "sentenceInfo": [{"sentenceNo": 1, "sentenceContent": "문장1"}, {"sentenceNo": 2, "sentenceContent": "문장2"}]},
     "labeledDataInfo": {"newTitle": "충격! 제목", "clickbaitClass": 0}}
    """)

    func extract(_ fields: [FieldSpec]) throws -> [String?] {
        try FieldExtractor(fields: fields, nulls: ["", "null"]).extract(from: doc)
    }

    func testPathsJoinsFirstAndMaps() throws {
        let values = try extract([
            FieldSpec(name: "id", rule: .path(try FieldPath("sourceDataInfo.newsID"))),
            FieldSpec(name: "title", rule: .first([.path(try FieldPath("labeledDataInfo.missing")), .path(try FieldPath("labeledDataInfo.newTitle"))])),
            FieldSpec(name: "body", rule: .join(try FieldPath("labeledDataInfo.processSentenceInfo[*].sentenceContent"), separator: " ",
                                                or: .join(try FieldPath("sourceDataInfo.sentenceInfo[*].sentenceContent"), separator: " ", or: nil))),
            FieldSpec(name: "label", rule: .map(.path(try FieldPath("labeledDataInfo.clickbaitClass")), table: ["0": "clickbait", "1": "normal"], fallback: nil)),
            FieldSpec(name: "subtitle", rule: .path(try FieldPath("sourceDataInfo.newsSubTitle"))),
            FieldSpec(name: "second", rule: .path(try FieldPath("sourceDataInfo.sentenceInfo[1].sentenceContent"))),
        ])
        XCTAssertEqual(values, ["EC_M02_000001", "충격! 제목", "문장1 문장2", "clickbait", nil, "문장2"])
    }

    func testPathThatMatchesNothingNamesFieldAndSuggestsAKey() {
        XCTAssertThrowsError(try extract([FieldSpec(name: "id", rule: .path(try! FieldPath("sourceDataInfo.newsId")))])) { error in
            XCTAssertEqual(error as? RecordError, .pathMatchedNothing(field: "id", path: "sourceDataInfo.newsId", nearest: "sourceDataInfo",
                                                                     suggestion: "sourceDataInfo.newsID"))
        }
        XCTAssertEqual(try extract([FieldSpec(name: "x", rule: .path(try! FieldPath("nope")), optional: true)]), [nil])
    }

    func testUnmappedValueIsAnError() {
        XCTAssertThrowsError(try extract([FieldSpec(name: "label", rule: .map(.path(try! FieldPath("labeledDataInfo.clickbaitClass")), table: ["1": "normal"], fallback: nil))])) {
            XCTAssertEqual($0 as? RecordError, .unmappedValue(field: "label", path: "labeledDataInfo.clickbaitClass", value: "0", known: ["1"]))
        }
    }

    func testBadPathsAreRejected() {
        XCTAssertThrowsError(try FieldPath("a[x].b"))
        XCTAssertThrowsError(try FieldPath(""))
        XCTAssertThrowsError(try FieldPath("a[0"))
    }
}
