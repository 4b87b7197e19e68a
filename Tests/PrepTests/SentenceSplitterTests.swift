import Foundation
import XCTest
@testable import Prep
import Support

/// `SentenceSplitter.punctuation` scans scalars instead of running a regex; the regex it replaced,
/// `(?<=[.!?。])\s+` in ICU (NSRegularExpression), is the reference here.
final class SentenceSplitterTests: XCTestCase {
    private func byRegex(_ text: String) -> [String] {
        let re = try! NSRegularExpression(pattern: "(?<=[.!?。])\\s+")
        let ns = text as NSString
        var parts: [String] = []
        var start = 0
        for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            parts.append(ns.substring(with: NSRange(location: start, length: m.range.location - start)))
            start = m.range.location + m.range.length
        }
        parts.append(ns.substring(from: start))
        return parts.filter { !$0.isEmpty }
    }

    func testKoreanSentences() {
        XCTAssertEqual(SentenceSplitter.punctuation("정부는 발표했다. 시장은 반응했다!  왜?\n그렇다。 끝"),
                       ["정부는 발표했다.", "시장은 반응했다!", "왜?", "그렇다。", "끝"])
        XCTAssertEqual(SentenceSplitter.punctuation(""), [])
        XCTAssertEqual(SentenceSplitter.punctuation(" . "), [" ."])
        XCTAssertEqual(SentenceSplitter.punctuation("3.5%가 올랐다. 끝."), ["3.5%가 올랐다.", "끝."], "a point inside a number does not end a sentence")
    }

    /// Every white space the regex knows, and characters near it that are not white space, in
    /// random texts: the scan cuts exactly where the regex does.
    func testAgreesWithTheRegexItReplaced() {
        let spaces: [Unicode.Scalar] = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2007}",
                                        "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}"]
        let others: [Unicode.Scalar] = ["\u{200B}", "\u{180E}", "\u{FEFF}", "\u{1C}", "\u{1F}", "a", "가", "힣", ".", "!", "?", "\u{3002}", "\u{FF0E}", "…", "\u{301}"]
        let alphabet = spaces + others
        var rng = SeededRandom(seed: 11)
        for _ in 0..<3000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<rng.below(15) { text.append(alphabet[rng.below(alphabet.count)]) }
            let s = String(text)
            XCTAssertEqual(SentenceSplitter.punctuation(s).map(String.init), byRegex(s), "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
