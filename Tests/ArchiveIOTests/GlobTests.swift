import ArchiveIO
import XCTest

final class GlobTests: XCTestCase {
    func testStarsClassesAndBraces() {
        XCTAssertTrue(Glob("*_L.json").matches("a/b/EC_M01_000001_L.json"), "a pattern without / matches the last component")
        XCTAssertFalse(Glob("*_L.json").matches("EC_M01_000001_S.json"))
        XCTAssertTrue(Glob("**/02.라벨링데이터/*.zip").matches("146.낚시성 기사/01-1.정식개방데이터/Training/02.라벨링데이터/TL_Part1_Clickbait_Auto_EC.zip"))
        XCTAssertTrue(Glob("**/02.라벨링데이터/*.zip").matches("02.라벨링데이터/TL.zip"), "** matches zero folders")
        XCTAssertFalse(Glob("**/02.라벨링데이터/*.zip").matches("Training/01.원천데이터/TS.zip"))
        XCTAssertFalse(Glob("Training/*.zip").matches("Training/sub/x.zip"), "* does not cross /")
        XCTAssertTrue(Glob("T[LS]_Part?_*.{zip,tar}").matches("TS_Part2_x.tar"))
        XCTAssertFalse(Glob("T[!L]_*").matches("TL_x"))
    }
}
