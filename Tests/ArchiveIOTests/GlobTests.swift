import ArchiveIO
import Foundation
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

    /// `*literal` patterns take a suffix fast path; it must agree with the general matcher, including
    /// for names in NFD (zips made on macOS) and for alternatives.
    func testSuffixPatternsMatchLikeTheGeneralMatcher() {
        let nfd = "라벨_L.json".decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfd.unicodeScalars).count, Array("라벨_L.json".unicodeScalars).count)
        XCTAssertTrue(Glob("*벨_L.json").matches("dir/" + nfd), "canonically equal names match")
        XCTAssertTrue(Glob("*_L.json").matches("_L.json"), "* matches the empty string")
        XCTAssertTrue(Glob("*.{json,jsonl}").matches("a/b.jsonl"))
        XCTAssertFalse(Glob("*.{json,jsonl}").matches("a/b.csv"))
        XCTAssertFalse(Glob("*_L.json").matches("x_L.json/"), "the last component of a folder path is empty")
        // `**/` + pattern is anchored, so it goes through the general matcher.
        for (pattern, path) in [("*_L.json", "a/x_L.json"), ("*x", "x/y"), ("*.zip", "a.zip.part0"), ("*벨_L.json", "d/" + nfd), ("*.json", "b/.json")] {
            XCTAssertEqual(Glob(pattern).matches(path), Glob("**/" + pattern).matches(path), "\(pattern) on \(path)")
        }
    }
}
