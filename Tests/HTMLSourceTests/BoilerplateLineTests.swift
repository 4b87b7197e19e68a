@testable import HTMLSource
import XCTest

final class BoilerplateLineTests: XCTestCase {
    func testControlsBylinesDatelinesAndCopyrightsAreBoilerplate() {
        for line in ["URL 복사", "Copy URL", "공유하기", "▶ 관련기사", "홍길동 기자 gildong@example.co.kr", "홍길동·김철수 기자",
                     "(서울=연합뉴스) 홍길동 기자", "gildong@example.co.kr", "By Jane Smith", "입력 2024.05.03 10:00 수정 2024.05.03 11:20",
                     "2024-07-02 오후 3:12", "Updated 3:12 PM EDT", "ⓒ 한빛일보 무단전재 및 재배포금지",
                     "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", "Copyright © Daily Economy. All rights reserved.",
                     "[연합뉴스 자료사진]", "(끝)", "(END)", "【责任编辑:张樵苏 】", "—", "\u{FEFF}", "8"] {
            XCTAssertTrue(BoilerplateLine.matches(line), line)
        }
    }

    func testArticleSentencesAreNot() {
        for line in ["(서울=연합뉴스) 홍길동 기자 = 반도체 수출이 석 달 만에 증가세로 돌아섰다.", "기자회견은 2024년 5월 3일 오전 10시에 열렸다.",
                     "글로벌 시장이 흔들렸다", "By the end of the year, prices rose 3%.", "협력의 배경은", "2024", "공유경제 플랫폼이 성장했다.",
                     "[有料会員限定] この記事は会員限定です。", "(사진) 시민들이 줄을 서 있다."] {
            XCTAssertFalse(BoilerplateLine.matches(line), line)
        }
    }
}
