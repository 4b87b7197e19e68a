import Foundation
import XCTest

/// specs/news-pages-auto.yaml through `prep run`: `title: auto` and `body: auto` on the Korean
/// pages of fixtures/news/auto, next to an XPath field.
final class PrepRunAutoPagesTests: XCTestCase {
    func testAutoFieldsThroughPrepRun() throws {
        let w = try Workspace("auto-pages")
        let r = try w.prep(["run", "specs/news-pages-auto.yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try Workspace.jsonl(w.dir + "/out/news-pages-auto/test.jsonl")
        let byPage = Dictionary(uniqueKeysWithValues: rows.map { (($0["id"] as? String ?? "").split(separator: "/").last.map(String.init) ?? "", $0) })
        XCTAssertEqual(byPage.keys.sorted(), ["euckr_103.html", "portal_101.html", "publisher_102.html"])
        XCTAssertEqual(byPage["portal_101.html"]?["title"] as? String, "반도체 수출 석 달 만에 반등…\"하반기 회복세 뚜렷\"")
        XCTAssertEqual(byPage["portal_101.html"]?["press"] as? String, "네이버 뉴스")
        XCTAssertEqual(byPage["euckr_103.html"]?["title"] as? String, "시내버스 요금 300원 인상…다음 달부터 적용")
        XCTAssertEqual(byPage["publisher_102.html"]?["body"] as? String, """
        삼성전자와 LG전자가 차세대 전고체 배터리를 함께 개발하기로 했다.
        두 회사는 3일 서울 서초구에서 업무협약을 맺고, 앞으로 5년간 연구 인력과 설비를 공동으로 투입한다고 밝혔다.
        협력의 배경은
        업계에서는 중국 업체들의 추격이 거세지면서 국내 대기업 간 협력이 불가피해졌다는 분석이 나온다.
        한 업계 관계자는 "경쟁사끼리 손을 잡는 것은 이례적"이라며 "그만큼 위기감이 크다는 뜻"이라고 말했다.
        """)
    }

    func testAutoOnAnotherFieldFailsTheSpecCheck() throws {
        let w = try Workspace("auto-pages-bad")
        try w.editSpec("news-pages-auto.yaml", replacing: "    press: [", with: "    press: auto\n    x: [")
        let r = try Binaries.run("prep", ["check", "specs/news-pages-auto.yaml"], cwd: w.dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("error: specs/news-pages-auto.yaml:17:12: source.fields.press: `auto` finds a page's title or body only"), r.stderr)
    }
}
