import Foundation
import XCTest

final class PrepReportTests: XCTestCase {
    /// The data report of the clickbait demo run: class counts per stage, lengths, frequent words.
    func testDataReportShowsEveryStageAndClass() throws {
        let w = try Workspace("prep-report")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let r = try w.prep(["report", "latest", "--by", "type", "--text", "title"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "wrote reports/run-1-data.html\n")
        let html = try String(contentsOfFile: w.dir + "/reports/run-1-data.html", encoding: .utf8)
        for stage in ["ingest", "refine", "drop", "sample", "instruct", "augment", "write"] {
            XCTAssertTrue(html.contains("<td>\(stage)</td>"), "stage \(stage) missing")
        }
        for code in ["00", "99", "11", "16", "21", "23", "24"] { XCTAssertTrue(html.contains("<th>\(code)</th>"), "type \(code) missing") }
        XCTAssertTrue(html.contains("Most frequent words per type"))
        XCTAssertTrue(html.contains("<b>588</b>"), "the ingest reads all 588 labeled entries")
        XCTAssertNil(html.range(of: #"(src|href)\s*="#, options: .regularExpression))
        let typo = try w.prep(["report", "run-1", "--by", "tpye"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.hasPrefix("error: run-1's records have no field 'tpye'; did you mean 'type'?"), typo.stderr)
    }
}
