import JSON
import Records
import XCTest

/// `$root.` paths and `$location` in field rules: a record of `source.records` reads its element,
/// the whole document around it, and where it was read.
final class FieldScopeTests: XCTestCase {
    let document = try! JSONParser.parse("""
    {"info": {"doc_id": "RV_0001", "category": "가전"},
     "data": [{"sentence_id": "RV_0001_S01", "text": "배송이 빨라요", "polarity": 1}, {"text": "포장이 별로예요", "polarity": -1}]}
    """)

    private func scope(_ i: Int) throws -> RecordScope {
        guard case let .array(items)? = document["data"] else { throw XCTSkip("fixture") }
        return RecordScope(item: items[i], root: document, location: "TL_reviews.zip!RV_0001.json#data[\(i)]")
    }

    func testRootPathsReadTheWholeDocumentAndOthersTheElement() throws {
        let extractor = FieldExtractor(fields: [
            FieldSpec(name: "id", rule: .path(try FieldPath("sentence_id"))),
            FieldSpec(name: "text", rule: .path(try FieldPath("text"))),
            FieldSpec(name: "category", rule: .path(try FieldPath("$root.info.category"))),
            FieldSpec(name: "doc", rule: .first([.path(try FieldPath("doc_id")), .path(try FieldPath("$root.info.doc_id"))])),
        ])
        XCTAssertEqual(try extractor.extract(from: scope(0)), ["RV_0001_S01", "배송이 빨라요", "가전", "RV_0001"])
    }

    func testLocationIsAnIdForElementsWithoutOne() throws {
        let extractor = FieldExtractor(fields: [FieldSpec(name: "id", rule: .first([.path(try FieldPath("sentence_id")), .location]))])
        XCTAssertEqual(try extractor.extract(from: scope(0)), ["RV_0001_S01"])
        XCTAssertEqual(try extractor.extract(from: scope(1)), ["TL_reviews.zip!RV_0001.json#data[1]"])
        XCTAssertEqual(try FieldExtractor(fields: [FieldSpec(name: "id", rule: .location)]).extract(from: scope(1)),
                       ["TL_reviews.zip!RV_0001.json#data[1]"])
    }

    func testAMissingRootPathIsReportedAsWritten() throws {
        let extractor = FieldExtractor(fields: [FieldSpec(name: "category", rule: .path(try FieldPath("$root.info.categry")))])
        XCTAssertThrowsError(try extractor.extract(from: scope(0))) {
            XCTAssertEqual($0 as? RecordError, .pathMatchedNothing(field: "category", path: "$root.info.categry", nearest: "$root.info",
                                                                  suggestion: "$root.info.category"))
        }
    }

    func testWithoutAScopeTheDocumentIsItsOwnRoot() throws {
        let extractor = FieldExtractor(fields: [FieldSpec(name: "id", rule: .path(try FieldPath("$root.info.doc_id")))])
        XCTAssertEqual(try extractor.extract(from: document), ["RV_0001"])
    }

    func testRootPathsParse() throws {
        let p = try FieldPath("$root.info.category")
        XCTAssertTrue(p.fromRoot)
        XCTAssertEqual(p.steps, [.key("info"), .key("category")])
        XCTAssertEqual(p.description, "$root.info.category")
        XCTAssertEqual(p.relative, "info.category")
        XCTAssertEqual(try FieldPath("$root[0].a").steps, [.element(0), .key("a")])
        XCTAssertFalse(try FieldPath("info.category").fromRoot)
        // A key that merely starts with "$root", and is no likely typo of it, is a key.
        XCTAssertEqual(try FieldPath("$rootCause.a").steps, [.key("$rootCause"), .key("a")])
        XCTAssertFalse(try FieldPath("$rootCause.a").fromRoot)
    }

    func testBadAnchorsAreRejectedWithTheFix() {
        for text in ["$root", "$root."] {
            XCTAssertThrowsError(try FieldPath(text), text) {
                XCTAssertEqual("\($0)", "invalid field path '\(text)': '$root' needs a path after it, e.g. '$root.info.category'")
            }
        }
        XCTAssertThrowsError(try FieldPath("$rot.info.category")) {
            XCTAssertEqual("\($0)", "invalid field path '$rot.info.category': '$rot' is not a known anchor; did you mean '$root.info.category'?")
        }
        XCTAssertThrowsError(try FieldPath("$location")) {
            XCTAssertTrue("\($0)".contains("'$location' is a field rule of its own, not a path"), "\($0)")
        }
    }
}
