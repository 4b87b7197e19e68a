import Foundation
import Records
import XCTest

final class RecordCodingTests: XCTestCase {
    func testCSVQuotesPerRFC4180() {
        XCTAssertEqual(RecordCoding.csvField("plain"), "plain")
        XCTAssertEqual(RecordCoding.csvField("a,b"), "\"a,b\"")
        XCTAssertEqual(RecordCoding.csvField("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(RecordCoding.csvField("two\nlines"), "\"two\nlines\"")
        // Quotes at either end, side by side, and past the first eight bytes of a long field.
        XCTAssertEqual(RecordCoding.csvField("\"a\""), "\"\"\"a\"\"\"")
        XCTAssertEqual(RecordCoding.csvField("\"\""), "\"\"\"\"\"\"")
        let long = "긴 본문입니다, 그리고 \"인용\" 뒤에도 글이 이어집니다\""
        XCTAssertEqual(RecordCoding.csvField(long), "\"" + long.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
        let r = Record(fields: ["id": "1", "title": "제목, 쉼표"], split: "train", archive: "a.zip", entry: "x.json")
        XCTAssertEqual(RecordCoding.csvRow(r, columns: ["id", "title", "body"]), "1,\"제목, 쉼표\",,train,a.zip,x.json,\r\n")
    }

    func testJSONLineRoundTrips() throws {
        let r = Record(fields: ["id": "1", "title": "따옴표 \\\" 그대로"], split: "valid", archive: "a.zip", entry: "x.json", origin: "0")
        let line = RecordCoding.jsonLine(r, columns: ["id", "title", "body"])
        XCTAssertEqual(line, #"{"id":"1","title":"따옴표 \\\" 그대로","body":null,"_split":"valid","_archive":"a.zip","_entry":"x.json","_origin":"0"}"#)
        XCTAssertEqual(try RecordCoding.record(fromJSONLine: line[...]), r)
    }
}
