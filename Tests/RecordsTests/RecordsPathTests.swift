import JSON
import Records
import XCTest

/// `source.records`: which elements of a wrapped document are its records (README.md, "Specs").
final class RecordsPathTests: XCTestCase {
    let doc = try! JSONParser.parse("""
    {"info": {"doc_id": "RV_0001", "category": "가전", "tags": ["a", "b"]},
     "data": [{"id": "s1", "text": "하나"}, {"id": "s2", "text": "둘"}],
     "pages": [{"lines": [{"t": 1}, {"t": 2}]}, {"lines": []}, {"lines": [{"t": 3}]}]}
    """)

    func testEveryElementOfTheArrayIsARecordNamedByItsPath() throws {
        let elements = try RecordsPath("data[*]").elements(in: doc)
        XCTAssertEqual(elements.map(\.path), ["data[0]", "data[1]"])
        XCTAssertEqual(elements.map { $0.value["id"] }, [.string("s1"), .string("s2")])
    }

    func testNestedArraysAreFlattenedAndEmptyOnesGiveNothing() throws {
        let elements = try RecordsPath("pages[*].lines[*]").elements(in: doc)
        XCTAssertEqual(elements.map(\.path), ["pages[0].lines[0]", "pages[0].lines[1]", "pages[2].lines[0]"])
        XCTAssertEqual(try RecordsPath("data[*]").elements(in: JSONParser.parse(#"{"data": []}"#)).count, 0)
    }

    func testATopLevelArrayIsNamedFromTheDocument() throws {
        let array = try JSONParser.parse(#"[{"data": [1, 2]}, {"data": [3]}]"#)
        XCTAssertEqual(try RecordsPath("[*].data[*]").elements(in: array).map(\.path), ["[0].data[0]", "[0].data[1]", "[1].data[0]"])
    }

    func testAnObjectWhereAnArrayIsExpectedNamesThePathAndSuggestsAnArrayInside() {
        XCTAssertThrowsError(try RecordsPath("info[*]").elements(in: doc)) {
            XCTAssertEqual($0 as? RecordError, .recordsWrongKind(path: "info[*]", at: "info", expected: "an array", found: "an object", suggestion: "info.tags[*]"))
            XCTAssertEqual("\($0)", "`source.records` path 'info[*]': 'info' is an object, not an array; did you mean 'info.tags[*]'?"
                           + " Point `records` at the array whose elements are the records, e.g. `records: \"data[*]\"`.")
        }
        XCTAssertThrowsError(try RecordsPath("info.doc_id[*]").elements(in: doc)) {
            XCTAssertEqual("\($0)", "`source.records` path 'info.doc_id[*]': 'info.doc_id' is a string, not an array."
                           + " Point `records` at the array whose elements are the records, e.g. `records: \"data[*]\"`.")
        }
    }

    func testAKeyOnAnArrayIsTheWrongKind() throws {
        let array = try JSONParser.parse(#"[{"data": [1]}]"#)
        XCTAssertThrowsError(try RecordsPath("data[*]").elements(in: array)) {
            XCTAssertEqual($0 as? RecordError, .recordsWrongKind(path: "data[*]", at: "", expected: "an object", found: "an array", suggestion: nil))
            XCTAssertTrue("\($0)".hasPrefix("`source.records` path 'data[*]': the document is an array, not an object."), "\($0)")
        }
    }

    func testAMissingKeyGetsADidYouMean() {
        XCTAssertThrowsError(try RecordsPath("dta[*]").elements(in: doc)) {
            XCTAssertEqual($0 as? RecordError, .recordsMatchedNothing(path: "dta[*]", nearest: "", suggestion: "data[*]"))
            XCTAssertEqual("\($0)", "`source.records` path 'dta[*]' matches nothing; did you mean 'data[*]'?"
                           + " Point `records` at the array whose elements are the records, e.g. `records: \"data[*]\"`.")
        }
        XCTAssertThrowsError(try RecordsPath("info.tag[*]").elements(in: doc)) {
            XCTAssertEqual($0 as? RecordError, .recordsMatchedNothing(path: "info.tag[*]", nearest: "info", suggestion: "info.tags[*]"))
        }
    }

    func testThePathMustNameElementsAndCannotBeAnchored() {
        XCTAssertThrowsError(try RecordsPath("data")) {
            XCTAssertEqual("\($0)", "invalid field path 'data': name the elements with [*]: write 'data[*]' for every element of the array at 'data'")
        }
        XCTAssertThrowsError(try RecordsPath("$root.data[*]")) {
            XCTAssertEqual("\($0)", "invalid field path '$root.data[*]': `records` is always read from the whole document; drop '$root.'")
        }
    }
}
