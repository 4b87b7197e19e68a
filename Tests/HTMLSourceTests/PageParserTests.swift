import Foundation
import HTMLSource
import XCTest

/// The saved-page fixtures (fixtures/news, written by fixtures/news/make_pages.py): expected titles and
/// bodies are the texts that script put into each page, with `<br>`/`<p>` as line breaks.
final class PageParserTests: XCTestCase {
    static let pages = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/news/pages").path

    func parser() throws -> PageParser {
        PageParser(fields: [
            try XPathField(name: "title", xpaths: ["//meta[@property='og:title']/@content", "//h1[@class='headline']", "//title"]),
            try XPathField(name: "body", xpaths: ["//*[@id='dic_area']", "//div[@class='article-body']"]),
        ], fallbackCharset: "CP949")
    }

    func page(_ name: String) throws -> [String: String] {
        try parser().extract(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.pages)/\(name)"))), page: name)
    }

    func testPortalLayoutDropsScriptsStylesAndComments() throws {
        let v = try page("portal_001.html")
        XCTAssertEqual(v["title"], "\"충격\" 개미들 몰려간 이 종목, 결국…")
        XCTAssertEqual(v["body"], "코스피가 이틀 연속 하락했다.\n개인 투자자는 2조 원을 순매수했다 & 외국인은 팔았다.\n전문가들은 변동성에 주의하라고 말했다.")
    }

    func testPublisherLayoutFallsBackToTheHeadlineAndKeepsParagraphs() throws {
        let v = try page("publisher_002.html")
        XCTAssertEqual(v["title"], "한국은행, 기준금리 3.5% 동결")
        XCTAssertEqual(v["body"], "한국은행이 기준금리를 동결했다.\n물가 상승률이 둔화된 영향이다.\n시장은 하반기 인하를 예상한다.")
    }

    func testEUCKRPageIsDecoded() throws {
        let raw = try Data(contentsOf: URL(fileURLWithPath: "\(Self.pages)/euckr_003.html"))
        XCTAssertNil(String(data: raw, encoding: .utf8), "the fixture really is not UTF-8")
        let v = try page("euckr_003.html")
        XCTAssertEqual(v["title"], "지하철 요금 150원 인상 확정")
        XCTAssertEqual(v["body"], "서울시가 지하철 요금을 150원 올린다.\n인상은 다음 달부터 적용된다.\n\"불가피한 결정\"이라고 밝혔다.")
    }

    func testMissingBodyAndMalformedPages() throws {
        XCTAssertNil(try page("nobody_004.html")["body"])
        let v = try page("malformed_005.html")
        XCTAssertEqual(v["title"], "닫히지 않은 태그 & 엔티티\u{A0}처리".replacingOccurrences(of: "\u{A0}", with: " "))
        XCTAssertEqual(v["body"], "첫 문장이 있다\n둘째 문장은 굵게 기울여 쓴다")
    }

    func testBinaryFilesAndBadXPathsAreErrors() throws {
        XCTAssertThrowsError(try page("not_a_page.html")) {
            XCTAssertEqual($0 as? HTMLError, .notHTML(page: "not_a_page.html", reason: "binary data"))
        }
        XCTAssertThrowsError(try XPathField(name: "title", xpaths: ["//meta[@property='og:title'"])) {
            XCTAssertEqual($0 as? HTMLError, .badXPath(field: "title", xpath: "//meta[@property='og:title'"))
        }
    }
}
