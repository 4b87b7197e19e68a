import Support
import XCTest
@testable import Prep

/// `GroupNumbers` must number texts as a `[String: Int]` numbering them in order does (`String`
/// equality: canonical equivalence), which is the reference here.
final class GroupNumbersTests: XCTestCase {
    private func reference(_ texts: [String]) -> [Int] {
        var seen: [String: Int] = [:]
        return texts.map { t in
            if let n = seen[t] { return n }
            seen[t] = seen.count
            return seen.count - 1
        }
    }

    private func numbered(_ texts: [String]) -> [Int] {
        var numbers = GroupNumbers()
        let out = texts.map { numbers.number($0) }
        XCTAssertEqual(numbers.count, Set(texts).count)
        return out
    }

    func testIdsAndEquivalentSpellings() {
        let texts = ["\u{1F}EC_M01_000003", "\u{1F}EC_M01_000022", "\u{1F}EC_M01_000003", "", "",
                     "K", "\u{212A}", "a;b", "a\u{037E}b", "`", "\u{1FEF}", "k",
                     "café", "cafe\u{301}", "경제", "경제".decomposedStringWithCanonicalMapping, "\u{212A}경제", "K경제"]
        XCTAssertEqual(numbered(texts), reference(texts))
        XCTAssertEqual(numbered(["K", "\u{212A}"]), [0, 0], "KELVIN SIGN is K")
        XCTAssertEqual(numbered(["cafe\u{301}", "café"]), [0, 0])
    }

    /// Many random texts over an alphabet of ASCII, Hangul, jamo, combining marks and the three
    /// scalars that decompose to ASCII, past several growths of the table.
    func testRandomTextsAsTheDictionaryDoes() {
        let alphabet: [String] = ["a", "b", "K", ";", "`", "_", "\u{1F}", "\u{212A}", "\u{037E}", "\u{1FEF}", "가", "\u{1100}", "\u{1161}", "\u{301}", "é", "e"]
        var rng = SeededRandom(seed: 5)
        let texts = (0..<30_000).map { _ in (0..<rng.below(5)).map { _ in alphabet[rng.below(alphabet.count)] }.joined() }
        XCTAssertEqual(numbered(texts), reference(texts))
        let ids = (0..<20_000).map { _ in "\u{1F}ID_\(rng.below(15_000))" }
        XCTAssertEqual(numbered(ids), reference(ids))
    }
}
