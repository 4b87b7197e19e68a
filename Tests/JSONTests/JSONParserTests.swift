import JSON
import XCTest

final class JSONParserTests: XCTestCase {
    func testParsesNestedDocumentKeepingKeyOrderAndNumberText() throws {
        let doc = try JSONParser.parse(#"{"b": 1, "a": [true, null, 1.50, "x\"y\\z\u00e9\ud83d\ude00"], "c": {}}"#)
        guard case let .object(members) = doc else { return XCTFail("not an object") }
        XCTAssertEqual(members.map(\.key), ["b", "a", "c"])
        XCTAssertEqual(doc["b"], .number("1"))
        XCTAssertEqual(doc["a"], .array([.bool(true), .null, .number("1.50"), .string("x\"y\\zé😀")]))
    }

    func testReportsLineAndColumnOfErrors() {
        XCTAssertThrowsError(try JSONParser.parse("{\n  \"a\": 1,\n  \"b\" 2\n}")) { error in
            let f = error as? JSONParser.Failure
            XCTAssertEqual(f?.line, 3)
            XCTAssertEqual(f?.column, 7)
            XCTAssertEqual(f?.message, "expected ':' after key \"b\"")
        }
        XCTAssertThrowsError(try JSONParser.parse("[1, 2")) { XCTAssertEqual(($0 as? JSONParser.Failure)?.message, "unterminated array") }
        XCTAssertThrowsError(try JSONParser.parse("01"))
        XCTAssertThrowsError(try JSONParser.parse("{} x"))
        XCTAssertThrowsError(try JSONParser.parse("\"\u{01}\""))
    }

    func testAcceptsByteOrderMark() throws {
        XCTAssertEqual(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)), .array([.number("1")]))
    }

    func testWriterRoundTrips() throws {
        let text = #"{"k":"줄\n바꿈 \"인용\" \\ tab\t","n":[1,-2.5e3,null,false]}"#
        XCTAssertEqual(JSONWriter.serialize(try JSONParser.parse(text)), text)
    }
}
