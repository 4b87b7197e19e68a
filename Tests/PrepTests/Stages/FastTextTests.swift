import Foundation
@testable import Prep
import Support
import XCTest

/// The byte-level text rules against the Foundation/Unicode versions they replace, on hand-picked
/// cases and on random text drawn from the characters that make them differ (Hangul, conjoining
/// jamo, combining marks, fullwidth and Latin-1 capitals, odd spaces, CR/LF, backslashes, quotes).
final class FastTextTests: XCTestCase {
    // The reference implementations: what refine and drop used before the byte-level versions.
    private func refStrip(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
    private func refCollapse(_ s: String) -> String {
        let re = try! NSRegularExpression(pattern: "[ \\t\\u00A0\\u3000]{2,}")
        return re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: " ")
    }
    // Literal (code-point) replacement, as Python's str.replace does. Foundation's default search
    // is grapheme-aware, so it left `\"` or a CR alone when a combining mark followed them: the
    // byte-level rules replace those too, on purpose.
    private func refUnescape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\\"", with: "\"", options: .literal).replacingOccurrences(of: "\\'", with: "'", options: .literal)
    }
    private func refNewlines(_ s: String) -> String {
        s.replacingOccurrences(of: "\r\n", with: " ", options: .literal).replacingOccurrences(of: "\n", with: " ", options: .literal)
            .replacingOccurrences(of: "\r", with: " ", options: .literal)
    }
    private func refKey(_ s: String) -> String {
        s.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private let pool: [String] = [
        "a", "Z", "가", "힣", "정부", " ", "  ", "\t", "\u{A0}", "\u{3000}", "\u{2002}", "\n", "\r", "\r\n", "\\", "\"", "'",
        "\\\"", "\\'", "ㅋ", "\u{1100}", "\u{1161}", "\u{11A8}", "\u{301}", "É", "ß", "Ａ", "ｚ", "…", "“", "”", "中", "\u{200D}",
        "\u{2028}", "\u{85}", "x\u{302A}", "\u{2000}", ".", "!", "0",
    ]

    private func randomTexts(_ n: Int) -> [String] {
        var rng = SeededRandom(seed: 11)
        return (0..<n).map { _ in (0..<rng.below(12)).map { _ in pool[rng.below(pool.count)] }.joined() }
    }

    func testHandPickedCases() {
        XCTAssertEqual(FastText.unescapeQuotes(#"그는 \"안녕\" 했다 \'x\' \\"#), #"그는 "안녕" 했다 'x' \\"#)
        XCTAssertEqual(FastText.newlinesToSpaces("a\r\nb\nc\rd"), "a b c d")
        XCTAssertEqual(FastText.collapseSpaces("a  b\u{3000}\u{3000}c d\t\u{A0}e"), "a b c d e")
        XCTAssertEqual(FastText.strip("\u{3000} 정부 \n"), "정부")
        XCTAssertEqual(FastText.duplicateKey("  Hello\u{3000}\u{3000}정부는  "), "hello 정부는")
        let text = "그대로"
        XCTAssertEqual(FastText.strip(text), text)
    }

    func testEveryRuleAgreesWithItsReferenceOnRandomText() {
        for s in randomTexts(20_000) {
            XCTAssertEqual(FastText.unescapeQuotes(s), refUnescape(s), "unescape \(Array(s.unicodeScalars))")
            XCTAssertEqual(FastText.newlinesToSpaces(s), refNewlines(s), "newlines \(Array(s.unicodeScalars))")
            XCTAssertEqual(FastText.collapseSpaces(s), refCollapse(s), "collapse \(Array(s.unicodeScalars))")
            XCTAssertEqual(FastText.strip(s), refStrip(s), "strip \(Array(s.unicodeScalars))")
            XCTAssertEqual(FastText.duplicateKey(s), refKey(s), "key \(Array(s.unicodeScalars))")
        }
    }

    func testTheRulesAreByteExactNotJustCanonicallyEqual() {
        // String == compares canonical equivalence; outputs must also keep their bytes.
        for s in randomTexts(5_000) {
            XCTAssertEqual(Array(FastText.strip(s).utf8), Array(refStrip(s).utf8), "strip \(Array(s.unicodeScalars))")
            XCTAssertEqual(Array(FastText.duplicateKey(s).utf8), Array(refKey(s).utf8), "key \(Array(s.unicodeScalars))")
        }
    }

    /// The byte-level white space check agrees with Unicode's White_Space property
    /// (`Unicode.Scalar.Properties.isWhitespace`) on every scalar of the first three planes, in text.
    func testWhitespaceLengthIsUnicodeWhiteSpace() {
        for value in UInt32(0)..<0x30000 {
            guard let u = Unicode.Scalar(value) else { continue }
            let bytes = Array(("a" + String(u) + "b").utf8)
            let n = String(u).utf8.count
            bytes.withUnsafeBufferPointer { b in
                XCTAssertEqual(FastText.whitespaceLength(b, 1), u.properties.isWhitespace ? n : 0, String(value, radix: 16))
            }
        }
    }
}
