import Foundation
import JSON
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

    /// Lines read back with columns: the reference is each key's value through `JSONValue` (the
    /// general parser), the last of a key given twice, fields in the columns' slots then the other
    /// keys in the line's order. Lines that keep the columns' order, that do not, that escape a key
    /// or spell it in another normalisation, that carry a field named like the metadata, extra
    /// keys, nulls, arrays and objects.
    func testLinesReadBackWithColumnsMatchTheGeneralParser() throws {
        let columns = ["id", "title", "body", "label", "_x"]
        let lines = [
            #"{"id":"1","title":"제목","body":"본문","label":"normal","_x":"x","_split":"train","_archive":"a.zip","_entry":"e.json"}"#,
            #"{"id":"2","title":null,"body":"","label":"clickbait","_x":null,"_split":"test","_archive":"","_entry":"","_origin":"1"}"#,
            #"{"label":"normal","id":"3","body":"순서가 다른 줄","title":"t"}"#,
            #"{"\u0069d":"4","ti\"tle":"escaped","title":"plain","extra":"더","extra2":[1,{"a":null}],"_split":"valid"}"#,
            #"{"id":"5","title":"first","title":"second","extra":"a","extra":null,"body":{"nested":["x"]}}"#,
            #"{"id":"6","cafe\u0301":"decomposed","caf\u00e9":"composed","_entry":"\ud55c.json","\u005fsplit":"train"}"#,
            #"{}"#,
        ]
        for line in lines {
            let read = try RecordCoding.record(fromJSON: Array(line.utf8), columns: columns)
            guard case let .object(members) = try JSONParser.parse(Array(line.utf8)) else { return XCTFail(line) }
            var last: [String: JSONValue] = [:]
            var order: [String] = []
            for (k, v) in members {
                if last[k] == nil { order.append(k) }
                last[k] = v
            }
            func text(_ v: JSONValue?) -> String? {
                switch v {
                case nil, .null?: return nil
                case let .array(a)?: return JSONWriter.serialize(.array(a))
                case let .object(o)?: return JSONWriter.serialize(.object(o))
                case let v?: return v.scalarText
                }
            }
            let meta = Set(Record.metaColumns.map { String($0) })
            XCTAssertEqual(read.split, text(last["_split"]), line)
            XCTAssertEqual(read.archive, text(last["_archive"]) ?? "", line)
            XCTAssertEqual(read.entry, text(last["_entry"]) ?? "", line)
            XCTAssertEqual(read.origin, text(last["_origin"]), line)
            let others = order.filter { !meta.contains($0) && !columns.contains($0) }
            XCTAssertEqual(Array(read.fields.names.prefix(columns.count)), columns, "the columns' slots first: \(line)")
            for name in columns + others {
                XCTAssertEqual(read.fields[name], text(last[name]), "\(line): \(name)")
            }
            XCTAssertEqual(read.fields.count, (columns + others).filter { text(last[$0]) != nil }.count, line)
        }
    }
}
