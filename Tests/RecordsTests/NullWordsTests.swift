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

    /// ASCII texts are compared with the ASCII words by their bytes; a word that is not ASCII may
    /// still be equivalent to an ASCII text, and is compared as a string.
    func testAsciiTextsMatchEveryKindOfWord() {
        let words: Set<String> = ["n/a", "-", "\u{212A}", "없음", "NaN"]
        let nulls = NullWords(words)
        for text in ["n/a", "N/A", "-", "--", "", "K", "k", "\u{212A}", "NaN", "nan", "NaN ", "없음", "n/a\u{301}", "id_000123"] {
            XCTAssertEqual(nulls.contains(text), words.contains(text), text)
        }
        XCTAssertTrue(nulls.contains("K"), "an ASCII text equivalent to a word that is not ASCII (KELVIN SIGN)")
        XCTAssertEqual(NullWords(["", "null"]), NullWords(["null", ""]))
        XCTAssertNotEqual(NullWords(["null"]), NullWords(["NULL"]))
    }
}
