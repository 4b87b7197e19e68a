import Foundation
import HTMLSource
import XCTest

/// `LineBreaks.paragraphs` against the default `.everyBreak`, by XPath and by `auto`, on
/// fixtures/news/sentences/wrapped_201.html (fixtures/news/make_pages.py): a `<p>` with two
/// sentences, `<br>`s inside paragraphs, a subheading and `<br><br>` between paragraphs.
final class LineBreaksTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/news").path

    /// The fixture's body as XPath and as `auto`, with `breaks` for both.
    private func bodies(_ breaks: LineBreaks?) throws -> (xpath: String?, auto: String?) {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/sentences/wrapped_201.html")))
        let lineBreaks = breaks.map { ["body": $0, "auto_body": $0] } ?? [:]
        let parser = PageParser(fields: [.xpaths(try XPathField(name: "body", xpaths: ["//div[@id='articleBody']"])), .auto(name: "auto_body", .body)],
                                lineBreaks: lineBreaks)
        let v = try parser.extract(bytes, page: "wrapped_201.html")
        return (v["body"], v["auto_body"])
    }

    func testEveryBreakIsALineAsBefore() throws {
        let expected = """
        정부가 3분기 전기요금을 동결하기로 했다. 물가 부담을 고려한 결정이다.
        산업통상자원부는 21일 연료비 조정단가를 현재 수준인 kWh당 5원으로
        유지한다고 밝혔다.
        한전 재무 악화 우려
        한국전력의 누적 적자는 40조 원을 넘어섰다
        요금 인상이 미뤄지면서 재무 구조 개선도 늦어질 전망이다
        업계 관계자는 "하반기에는 인상이 불가피하다"고 말했다.
        정부는 4분기 요금을 9월에 다시 논의한다.
        """
        let unset = try bodies(nil), every = try bodies(.everyBreak)
        XCTAssertEqual(unset.xpath, expected)
        XCTAssertEqual(unset.auto, expected, "auto finds the same text, without byline and copyright")
        XCTAssertEqual(every.xpath, expected)
        XCTAssertEqual(every.auto, expected)
    }

    func testParagraphsJoinALoneBrAndKeepBlocksAndBlankLines() throws {
        let expected = """
        정부가 3분기 전기요금을 동결하기로 했다. 물가 부담을 고려한 결정이다.
        산업통상자원부는 21일 연료비 조정단가를 현재 수준인 kWh당 5원으로 유지한다고 밝혔다.
        한전 재무 악화 우려
        한국전력의 누적 적자는 40조 원을 넘어섰다 요금 인상이 미뤄지면서 재무 구조 개선도 늦어질 전망이다
        업계 관계자는 "하반기에는 인상이 불가피하다"고 말했다.
        정부는 4분기 요금을 9월에 다시 논의한다.
        """
        let b = try bodies(.paragraphs)
        XCTAssertEqual(b.xpath, expected)
        XCTAssertEqual(b.auto, expected)
    }

    func testParagraphsTreatNewlinesInTheSourceAsSpacesAndSeveralNodesAsParagraphs() throws {
        let html = """
        <html><head><meta charset="utf-8"></head><body>
        <div class="a">정부가 전기요금을
          동결하기로 했다.<br> <br>물가 부담을 고려했다.</div>
        <div class="a">둘째 <b>노드</b>이다.</div>
        </body></html>
        """
        let field = try XPathField(name: "body", xpaths: ["//div[@class='a']"])
        let every = try PageParser(fields: [field]).extract(Array(html.utf8), page: "inline.html")
        XCTAssertEqual(every["body"], "정부가 전기요금을\n동결하기로 했다.\n물가 부담을 고려했다.\n둘째 노드이다.", "as before: a source newline is a line too")
        let paragraphs = try PageParser(fields: [.xpaths(field)], lineBreaks: ["body": .paragraphs]).extract(Array(html.utf8), page: "inline.html")
        XCTAssertEqual(paragraphs["body"], "정부가 전기요금을 동결하기로 했다.\n물가 부담을 고려했다.\n둘째 노드이다.",
                       "a source newline is a space; <br> <br> is a blank line; each node its own paragraph")
    }

    func testAutoParagraphsDoNotJoinAcrossALineLeftOut() throws {
        let html = """
        <html><head><meta charset="utf-8"><meta property="og:title" content="제목"></head><body>
        <div class="article_view">
        <p>밤사이 내린 폭우로 한강 수위가 오르면서 잠수교 보행자와 차량 통행이 모두 통제됐다.<br>무단전재 및 재배포 금지<br>서울시는 출근길 교통 혼잡이 예상된다며 대중교통 이용을 당부했다.</p>
        <p>기상청은 이번 주말까지 중부지방에 많은 비가 내릴 것으로 내다봤다<br>하천 주변 산책로 이용을 자제해 달라고 당부했다.</p>
        </div></body></html>
        """
        let v = try PageParser(fields: [.auto(name: "body", .body)], lineBreaks: ["body": .paragraphs]).extract(Array(html.utf8), page: "inline.html")
        XCTAssertEqual(v["body"], """
        밤사이 내린 폭우로 한강 수위가 오르면서 잠수교 보행자와 차량 통행이 모두 통제됐다.
        서울시는 출근길 교통 혼잡이 예상된다며 대중교통 이용을 당부했다.
        기상청은 이번 주말까지 중부지방에 많은 비가 내릴 것으로 내다봤다 하천 주변 산책로 이용을 자제해 달라고 당부했다.
        """, "the copyright line between two <br>s is left out, and the lines around it stay apart")
    }

    func testTheAutoFixturesKeepTheirLines() throws {
        // Their paragraphs are <p>s, <h3>s and <br><br>: the same lines either way.
        for name in ["auto/portal_101.html", "auto/publisher_102.html", "auto/euckr_103.html"] {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/\(name)")))
            let every = try PageParser(fields: [.auto(name: "body", .body)], fallbackCharset: "CP949").extract(bytes, page: name)
            let paragraphs = try PageParser(fields: [.auto(name: "body", .body)], fallbackCharset: "CP949", lineBreaks: ["body": .paragraphs])
                .extract(bytes, page: name)
            XCTAssertEqual(paragraphs["body"], every["body"], name)
        }
    }
}
