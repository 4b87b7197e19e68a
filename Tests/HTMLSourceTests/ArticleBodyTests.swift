import Foundation
import HTMLSource
import XCTest

/// `title: auto` and `body: auto` on the Korean pages of fixtures/news/auto (written by
/// fixtures/news/make_pages.py, whose AUTO_* constants hold the texts below): a portal page, a
/// publisher page full of furniture and an EUC-KR page with a table layout. No XPath of the
/// XPath specs matches their ids; `auto` must give exactly their headlines and paragraphs.
final class ArticleBodyTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/news").path

    func page(_ name: String) throws -> [String: String] {
        let parser = PageParser(fields: [.auto(name: "title", .title), .auto(name: "body", .body)], fallbackCharset: "CP949")
        return try parser.extract(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/\(name)"))), page: name)
    }

    func testPortalPageWithoutItsUsualIds() throws {
        let v = try page("auto/portal_101.html")
        XCTAssertEqual(v["title"], "반도체 수출 석 달 만에 반등…\"하반기 회복세 뚜렷\"", "og:title, and no ' : 네이버 뉴스'")
        XCTAssertEqual(v["body"], """
        (서울=연합뉴스) 홍길동 기자 = 반도체 수출이 석 달 만에 증가세로 돌아섰다.
        산업통상자원부는 지난달 반도체 수출액이 작년 같은 달보다 12.5% 늘어난 98억 달러로 집계됐다고 1일 밝혔다.
        메모리 가격이 오르고 인공지능 서버용 고대역폭 메모리 수요가 늘어난 영향이 컸다.
        정부는 하반기에도 회복세가 이어질 것으로 보고, 수출 금융 지원을 확대하기로 했다.
        다만 중국 경기 둔화와 환율 변동은 여전히 부담 요인으로 꼽힌다.
        """, "no photo caption, byline, copyright, share or like buttons, comments or ranking")
    }

    func testPublisherPageWithNavigationRelatedListsAndCaptions() throws {
        let v = try page("auto/publisher_102.html")
        XCTAssertEqual(v["title"], "삼성전자 - LG전자, 차세대 배터리 공동 개발 나선다", "the h1 that <title> confirms; its own ' - ' stays")
        XCTAssertEqual(v["body"], """
        삼성전자와 LG전자가 차세대 전고체 배터리를 함께 개발하기로 했다.
        두 회사는 3일 서울 서초구에서 업무협약을 맺고, 앞으로 5년간 연구 인력과 설비를 공동으로 투입한다고 밝혔다.
        협력의 배경은
        업계에서는 중국 업체들의 추격이 거세지면서 국내 대기업 간 협력이 불가피해졌다는 분석이 나온다.
        한 업계 관계자는 "경쟁사끼리 손을 잡는 것은 이례적"이라며 "그만큼 위기감이 크다는 뜻"이라고 말했다.
        """)
    }

    func testEUCKRTablePage() throws {
        let raw = try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/auto/euckr_103.html"))
        XCTAssertNil(String(data: raw, encoding: .utf8), "the fixture really is not UTF-8")
        let v = try page("auto/euckr_103.html")
        XCTAssertEqual(v["title"], "시내버스 요금 300원 인상…다음 달부터 적용", "<title> without ' :: 한빛일보'")
        XCTAssertEqual(v["body"], """
        시가 시내버스 기본요금을 1,250원에서 1,550원으로 300원 올린다고 2일 밝혔다.
        요금 인상은 2015년 이후 9년 만으로, 연료비와 인건비 상승으로 적자가 커진 데 따른 것이다.
        시는 청소년과 어린이 요금은 동결하고, 환승 할인도 그대로 유지하기로 했다.
        시 관계자는 "시민 부담을 줄이기 위해 인상 폭을 최소화했다"고 설명했다.
        """, "no menu, dateline, photo caption, byline or copyright")
    }

    func testTheXPathFixturesToo() throws {
        XCTAssertEqual(try page("pages/portal_001.html")["body"], "코스피가 이틀 연속 하락했다.\n개인 투자자는 2조 원을 순매수했다 & 외국인은 팔았다.\n전문가들은 변동성에 주의하라고 말했다.")
        XCTAssertEqual(try page("pages/portal_001.html")["title"], "\"충격\" 개미들 몰려간 이 종목, 결국…")
        XCTAssertEqual(try page("pages/publisher_002.html")["title"], "한국은행, 기준금리 3.5% 동결")
        XCTAssertNil(try page("pages/nobody_004.html")["body"], "a page with no paragraph has no body")
    }

    func testSectionsOfParagraphsWithFiguresAndLinkLines() throws {
        let html = """
        <html><head><meta charset="utf-8"><meta property="og:title" content="[속보] 한강 수위 상승, 잠수교 통제 - 서울신문"></head><body>
        <div class="news_view"><div class="article_view"><section>
        <p>입력 2024.07.10. 오전 8:03</p>
        <p>밤사이 내린 폭우로 한강 수위가 오르면서 잠수교 보행자와 차량 통행이 통제됐다.</p>
        <figure class="figure_frm"><img src="a.jpg"><figcaption class="txt_caption">잠수교가 물에 잠겨 있다. 뉴스1</figcaption></figure>
        <h2 class="subheader">출근길 혼잡 예상</h2>
        <p>서울시는 출근길 교통 혼잡이 예상된다며 대중교통 이용을 당부했다.</p>
        <p><a href="/n/1">▶ 관련기사 바로가기</a></p>
        <p>(끝)</p>
        </section></div></div>
        <div class="related_list"><a href="/n/2">어제 많이 본 뉴스: 장마 시작</a></div>
        </body></html>
        """
        let parser = PageParser(fields: [.auto(name: "title", .title), .auto(name: "body", .body)])
        let v = try parser.extract(Array(html.utf8), page: "inline.html")
        XCTAssertEqual(v["title"], "[속보] 한강 수위 상승, 잠수교 통제")
        XCTAssertEqual(v["body"], "밤사이 내린 폭우로 한강 수위가 오르면서 잠수교 보행자와 차량 통행이 통제됐다.\n출근길 혼잡 예상\n서울시는 출근길 교통 혼잡이 예상된다며 대중교통 이용을 당부했다.")
    }

    func testAutoAndXPathFieldsTogether() throws {
        let parser = PageParser(fields: [.auto(name: "body", .body), .xpaths(try XPathField(name: "press", xpaths: ["//span[@class='press_name']"]))])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/auto/portal_101.html")))
        let v = try parser.extract(bytes, page: "portal_101.html")
        XCTAssertEqual(v["press"], "연합뉴스")
        XCTAssertEqual(v["body"]?.split(separator: "\n").count, 5)
    }
}
