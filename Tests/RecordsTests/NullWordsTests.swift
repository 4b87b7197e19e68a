import Foundation
import Records
import XCTest

/// `NullWords` must answer as `Set<String>.contains` does, which it only speeds up.
final class NullWordsTests: XCTestCase {
    func testMatchesAsTheSetDoes() {
        let words: Set<String> = ["", "null", "None", "없음", "KEY"]
        let nulls = NullWords(words)
        let decomposed = "없음".decomposedStringWithCanonicalMapping   // 6 jamo, 18 bytes
        XCTAssertNotEqual(Array(decomposed.utf8), Array("없음".utf8))
        for text in ["", "null", "None", "없음", decomposed, "NULL", "none", "없음 ", "null\u{301}", "K\u{212A}", "\u{212A}EY", String(repeating: "없", count: 400), String(repeating: "가", count: 16), String(repeating: "가", count: 17)] {
            XCTAssertEqual(nulls.contains(text), words.contains(text), text)
        }
        XCTAssertTrue(nulls.contains(decomposed), "canonically equivalent text is a null word")
        XCTAssertTrue(nulls.contains("\u{212A}EY"), "KELVIN SIGN decomposes to K")
        XCTAssertFalse(NullWords([]).contains(""), "no words, nothing is null")
    }
}
