import Foundation
@testable import EvalRun
import XCTest

/// Reading a grade sheet as a spreadsheet program saves it: UTF-8 with a BOM, CP949 (made here by
/// the system's `iconv -f UTF-8 -t CP949`, not by the harness), CRLF; bad cells and ids name the row.
final class GradeSheetReaderTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "gradesheet-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    let reader = GradeSheetReader(criteria: ["accuracy", "detail"], scale: [0, 1, 2], known: ["EC_1", "EC_2", "EC_3", "00123"], defaultGrader: nil)

    /// A sheet as `eval grade-sheet` writes it (a prompt with a line break, Hangul), filled in.
    let filled = [
        "id,type,prompt,output,predicted,gold,accuracy,detail,grader",
        "EC_1,13,\"제목: 충격\n답:\",\" 낚시성 기사\",clickbait,clickbait,2,1,김",
        "EC_2,00,\"제목: 평범\n답:\",\" 정상 기사\",normal,clickbait,0,,김",
        "EC_3,13,제목,\" 정상\",normal,normal,,,",
    ]

    func write(_ name: String, _ text: String, bom: Bool = false, crlf: Bool = false) throws -> String {
        let path = dir + "/" + name
        var bytes = Array((crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text).utf8)
        if bom { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func expected(grader: String = "김") -> [GradeSheetReader.Row] {
        [GradeSheetReader.Row(row: 2, id: "EC_1", grader: grader, grades: [("accuracy", 2), ("detail", 1)]),
         GradeSheetReader.Row(row: 3, id: "EC_2", grader: grader, grades: [("accuracy", 0)])]
    }

    func testUTF8WithBOMAndCRLF() throws {
        let path = try write("s.csv", filled.joined(separator: "\n") + "\n", bom: true, crlf: true)
        let (rows, charset) = try reader.read(path)
        XCTAssertEqual(charset, "UTF-8")
        XCTAssertEqual(rows, expected(), "the ungraded row without a grader is left out")
    }

    func testCP949MadeByIconv() throws {
        let utf8 = try write("u.csv", filled.joined(separator: "\r\n") + "\r\n")
        let path = dir + "/cp949.csv"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sh", "-c", "iconv -f UTF-8 -t CP949 \"$0\" > \"$1\"", utf8, path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertNil(String(data: bytes, encoding: .utf8), "the file really is not UTF-8")
        let (rows, charset) = try reader.read(path)
        XCTAssertEqual(charset, "CP949")
        XCTAssertEqual(rows, expected())
    }

    func testRowsAreSpreadsheetRowsNotLines() throws {
        // Row 3 starts on line 4 (the prompt of row 2 holds a line break): the error says row 3.
        var lines = filled
        lines[2] = lines[2].replacingOccurrences(of: ",0,,김", with: ",x,,김")
        let path = try write("bad.csv", lines.joined(separator: "\n"))
        XCTAssertThrowsError(try reader.read(path, name: "sheet.csv")) { e in
            XCTAssertEqual(e as? GradingError, .row(file: "sheet.csv", row: 3, detail: "grade 'x' for 'accuracy' is not one of 0, 1, 2 (column G; leave the cell empty for ungraded)"))
            XCTAssertEqual("\(e)", "sheet.csv row 3: grade 'x' for 'accuracy' is not one of 0, 1, 2 (column G; leave the cell empty for ungraded)")
        }
    }

    func testGradeOffTheScaleAndUnknownIDsAreErrors() throws {
        var lines = filled
        lines[1] = lines[1].replacingOccurrences(of: ",2,1,김", with: ",2,3,김")
        XCTAssertThrowsError(try reader.read(try write("a.csv", lines.joined(separator: "\n")), name: "s.csv")) { e in
            XCTAssertTrue("\(e)".hasPrefix("s.csv row 2: grade '3' for 'detail' is not one of 0, 1, 2 (column H"), "\(e)")
        }
        lines = filled + ["EC_9,,,,,,1,1,김"]
        XCTAssertThrowsError(try reader.read(try write("b.csv", lines.joined(separator: "\n")), name: "s.csv")) { e in
            XCTAssertTrue("\(e)".hasPrefix("s.csv row 5: no item 'EC_9' in the run; "), "\(e)")
        }
        lines = filled + ["123,,,,,,1,1,김"]
        XCTAssertThrowsError(try reader.read(try write("c.csv", lines.joined(separator: "\n")), name: "s.csv")) { e in
            XCTAssertTrue("\(e)".contains("no item '123' in the run (the run has '00123': a spreadsheet dropped its leading zeros"), "\(e)")
        }
    }

    func testGraderComesFromTheColumnOrTheOption() throws {
        let noNames = filled.map { $0.replacingOccurrences(of: ",김", with: ",") }
        let path = try write("n.csv", noNames.joined(separator: "\n"))
        XCTAssertThrowsError(try reader.read(path, name: "s.csv")) { e in
            XCTAssertEqual("\(e)", "s.csv row 2: who graded it? fill the `grader` column or pass --grader NAME")
        }
        let withOption = GradeSheetReader(criteria: ["accuracy", "detail"], scale: [0, 1, 2], known: ["EC_1", "EC_2", "EC_3"], defaultGrader: "lee")
        let (rows, _) = try withOption.read(path)
        XCTAssertEqual(rows.map(\.grader), ["lee", "lee", "lee"], "the ungraded row counts for lee too (its earlier grades are replaced)")
        XCTAssertThrowsError(try withOption.read(try write("k.csv", filled.joined(separator: "\n")), name: "s.csv")) { e in
            XCTAssertEqual("\(e)", "s.csv row 2: the grader column says '김' but --grader says 'lee'; empty the column or drop --grader")
        }
    }

    func testColumnsByNameBlankRowsFullWidthDigitsAndSemicolons() throws {
        // Reordered columns, extra columns, a blank row, `２` and `1.0`, semicolons (a European Excel).
        let text = "grader;note;Detail;id;accuracy\nkim;ok;1.0;EC_2;２\n;;;;\nkim;;;EC_1;0\n"
        let (rows, _) = try reader.read(try write("r.csv", text))
        XCTAssertEqual(rows, [GradeSheetReader.Row(row: 2, id: "EC_2", grader: "kim", grades: [("accuracy", 2), ("detail", 1)]),
                              GradeSheetReader.Row(row: 4, id: "EC_1", grader: "kim", grades: [("accuracy", 0)])])
    }

    func testHeaderAndFileProblems() throws {
        XCTAssertThrowsError(try reader.read(try write("h.csv", "id,acuracy,detail,grader\nEC_1,1,1,kim\n"), name: "s.csv")) { e in
            XCTAssertTrue("\(e)".hasPrefix("s.csv row 1: no column 'accuracy' in the header; did you mean 'acuracy'?"), "\(e)")
        }
        XCTAssertThrowsError(try reader.read(try write("d.csv", "id,accuracy,detail,grader\nEC_1,1,1,kim\nEC_1,2,2,kim\n"), name: "s.csv")) { e in
            XCTAssertEqual("\(e)", "s.csv row 3: item 'EC_1' is already graded by 'kim' in row 2")
        }
        let utf16 = dir + "/u16.csv"
        try Data([0xFF, 0xFE] + Array("id".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: URL(fileURLWithPath: utf16))
        XCTAssertThrowsError(try reader.read(utf16, name: "s.csv")) { e in
            XCTAssertTrue("\(e)".contains("UTF-16"), "\(e)")
        }
        let latin = dir + "/bad.csv"
        try Data([0x69, 0x64, 0x0A, 0xFF, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: latin))
        XCTAssertThrowsError(try reader.read(latin, name: "s.csv")) { e in
            XCTAssertEqual("\(e)", "s.csv: the text is neither UTF-8 nor CP949 (EUC-KR); save it as \"CSV UTF-8 (Comma delimited)\"")
        }
    }

    func testDecomposedHangulNamesAreTheSameGrader() throws {
        let nfd = "김".decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfd.utf8), Array("김".utf8))
        let (rows, _) = try reader.read(try write("nfd.csv", "id,accuracy,detail,grader\nEC_1,1,1,\(nfd)\n"))
        XCTAssertEqual(rows.map(\.grader), ["김"])
    }

    func testExportedTextCellsCannotRunAsFormulas() {
        XCTAssertEqual(GradeSheetExport.inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")")
        XCTAssertEqual(GradeSheetExport.inert("-1 기사"), "'-1 기사")
        XCTAssertEqual(GradeSheetExport.inert(" 정상 기사"), " 정상 기사")
        XCTAssertEqual(GradeSheetExport.inert(""), "")
    }

    func testColumnLetters() {
        XCTAssertEqual([0, 6, 25, 26, 27, 701, 702].map(GradeSheetReader.letter), ["A", "G", "Z", "AA", "AB", "ZZ", "AAA"])
    }
}
