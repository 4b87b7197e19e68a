import HTMLSource
import XCTest

final class SiteSuffixTests: XCTestCase {
    func testSiteNamesAfterSeparatorsGo() {
        XCTAssertEqual(SiteSuffix.strip("North Korea fires missiles | Yonhap"), "North Korea fires missiles")
        XCTAssertEqual(SiteSuffix.strip("북한, 미사일 발사 - 연합뉴스"), "북한, 미사일 발사")
        XCTAssertEqual(SiteSuffix.strip("코스피 하락 : 네이버 뉴스"), "코스피 하락")
        XCTAssertEqual(SiteSuffix.strip("지하철 요금 인상 :: 한빛일보"), "지하철 요금 인상")
        XCTAssertEqual(SiteSuffix.strip("短缺药品保供稳价 全力保障临床用药需求-新华网"), "短缺药品保供稳价 全力保障临床用药需求")
        XCTAssertEqual(SiteSuffix.strip("After storm, smooth sailing - CNN.com"), "After storm, smooth sailing")
        XCTAssertEqual(SiteSuffix.strip("Anticorrupción decidirá » Local » Noticias"), "Anticorrupción decidirá")
    }

    func testTheSiteNameThePageGivesGoesAfterAnySeparator() {
        XCTAssertEqual(SiteSuffix.strip("Storm hits coast - Reuters", sites: ["Reuters"]), "Storm hits coast")
        XCTAssertEqual(SiteSuffix.strip("Storm hits coast - Reuters"), "Storm hits coast - Reuters", "without the site name, ' - Reuters' could be a headline's")
    }

    func testHeadlinesThatContainSeparatorsStay() {
        XCTAssertEqual(SiteSuffix.strip("삼성전자 - LG전자, 차세대 배터리 공동 개발"), "삼성전자 - LG전자, 차세대 배터리 공동 개발")
        XCTAssertEqual(SiteSuffix.strip("삼성전자 - LG전자, 배터리 동맹 - 데일리경제"), "삼성전자 - LG전자, 배터리 동맹")
        XCTAssertEqual(SiteSuffix.strip("Biden - Trump debate: what to watch"), "Biden - Trump debate: what to watch")
        XCTAssertEqual(SiteSuffix.strip("정부 - 경제 살리기 총력"), "정부 - 경제 살리기 총력", "'경제' inside a headline is no publisher")
        XCTAssertEqual(SiteSuffix.strip("| Yonhap"), "| Yonhap")
    }
}
