import Records
import XCTest

/// `CSVReader` against RFC 4180 cases, and against what `RecordCoding.csvRow` writes.
final class CSVReaderTests: XCTestCase {
    private func rows(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [[String]] {
        var r = CSVReader(Array(text.utf8), delimiter: delimiter)
        var out: [[String]] = []
        while let row = try r.next() { out.append(row) }
        return out
    }

    func testQuotedFieldsWithCommasQuotesAndNewlines() throws {
        XCTAssertEqual(try rows("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",3\r\n"),
                       [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", "3"]])
    }

    func testBOMLFAndEmptyFields() throws {
        XCTAssertEqual(try rows("\u{FEFF}id,text\n1,\n2,\"\"\n,x"), [["id", "text"], ["1", ""], ["2", ""], ["", "x"]])
    }

    func testTabsAndLineNumbersCountNewlinesInsideQuotes() throws {
        var r = CSVReader(Array("a\tb\n\"x\ny\"\t1\nz\t2\n".utf8), delimiter: UInt8(ascii: "\t"))
        XCTAssertEqual(try r.next(), ["a", "b"])
        XCTAssertEqual(try r.next(), ["x\ny", "1"])
        XCTAssertEqual(r.line, 2)
        XCTAssertEqual(try r.next(), ["z", "2"])
        XCTAssertEqual(r.line, 4, "the quoted newline of row 2 counts")
        XCTAssertNil(try r.next())
    }

    func testMalformedQuotingNamesTheLine() throws {
        XCTAssertThrowsError(try rows("a\n\"open\n")) { XCTAssertEqual(($0 as? CSVReader.Failure)?.line, 2) }
        XCTAssertThrowsError(try rows("a\n\"x\"y,1\n")) { XCTAssertEqual(($0 as? CSVReader.Failure)?.message, "text after the closing quote of a field") }
    }

    func testReadsBackWhatTheWriterWrites() throws {
        let texts = ["plain", "comma, inside", "quote \" inside", "new\nline", "crlf\r\nline", "", "낚시성 기사, \"따옴표\""]
        let columns = ["id", "text"]
        var csv = RecordCoding.csvHeader(columns: columns)
        for (i, t) in texts.enumerated() { csv += RecordCoding.csvRow(Record(fields: ["id": String(i), "text": t], split: "train"), columns: columns) }
        let read = try rows(csv)
        XCTAssertEqual(read.first, columns + Record.metaColumns)
        XCTAssertEqual(read.dropFirst().map { $0[1] }, texts)
        XCTAssertEqual(read.dropFirst().map { $0[2] }, Array(repeating: "train", count: texts.count))
    }
}
