import Korean
import Records
import Reporting
import XCTest

/// The data report's frequent words and lengths (issue 14, section 1): by lemma and part of speech
/// with Kiwi, or split on spaces. Needs Kiwi's model from `make setup`; fails (not skipped) without it.
final class DatasetReportWordsTests: XCTestCase {
    nonisolated(unsafe) private static var loaded: Kiwi?

    private func lemmaCounter(tags: Set<String> = Kiwi.nounTags) throws -> WordCounter {
        let kiwi = try Self.loaded ?? Kiwi()
        Self.loaded = kiwi
        return WordCounter(description: "lemmas") { text in
            let (keys, morphemes) = try kiwi.wordKeys(text, tags: tags)
            return .init(words: keys, morphemes: morphemes)
        }
    }

    private let records = [
        Record(fields: ["label": "news", "body": "정부는 새 정책을 발표했다."], split: "train"),
        Record(fields: ["label": "news", "body": "정부가 예산을 늘렸다."], split: "train"),
        Record(fields: ["label": "news", "body": "시민들은 정부를 믿는다."], split: "valid"),
        // An augmented copy: measured, but its words are not counted again.
        Record(fields: ["label": "news", "body": "정부는 새 정책을 발표했다."], split: "train", origin: "1"),
        Record(fields: ["label": "ad", "body": "지금 바로 할인 쿠폰을 받으세요!"], split: "train"),
    ]

    func testMeasure_byLemma_countsTheNounOnceWhateverParticleFollows() throws {
        let m = try DatasetReport.measure(records, classField: "label", textField: "body", counter: lemmaCounter(), topWords: 10)
        let news = try XCTUnwrap(m.words["news"])
        XCTAssertEqual(news.first?.0, "정부/NNG")
        XCTAssertEqual(news.first?.1, 3, "정부는, 정부가, 정부를: one lemma; the augmented copy is not counted")
        XCTAssertFalse(news.contains { ["정부는", "정부가", "정부를"].contains($0.0) })
        XCTAssertEqual(m.words["ad"]?.map(\.0).contains("쿠폰/NNG"), true)
        XCTAssertEqual(m.lengths["train"]?["news"], [15, 12, 15])
        XCTAssertEqual(m.morphemes["train"]?["news"]?.count, 3, "lengths in morphemes beside characters, augmented rows included")
        XCTAssertEqual(m.morphemes["train"]?["news"]?.first, 10, "정부/NNG 는/JX 새/MM 정책/NNG 을/JKO 발표/NNG 하/XSV 었/EP 다/EF ./SF")
    }

    func testMeasure_withVerbsAndAdjectives_addsTheirLemmaWithDa() throws {
        let m = try DatasetReport.measure(records, classField: "label", textField: "body",
                                          counter: lemmaCounter(tags: Kiwi.nounTags.union(Kiwi.predicateTags)), topWords: 20)
        let words = Set(m.words["news"]?.map(\.0) ?? [])
        XCTAssertTrue(words.isSuperset(of: ["정부/NNG", "늘리다/VV", "믿다/VV"]), "\(words)")
    }

    func testMeasure_bySpaces_keepsParticlesAndHasNoMorphemes() throws {
        let m = try DatasetReport.measure(records, classField: "label", textField: "body", counter: .spaces, topWords: 10)
        let news = Dictionary(uniqueKeysWithValues: m.words["news"] ?? [])
        XCTAssertEqual(news["정부는"], 1)
        XCTAssertEqual(news["정부가"], 1)
        XCTAssertEqual(news["정부를"], 1)
        XCTAssertNil(news["정부"])
        XCTAssertTrue(m.morphemes.isEmpty)
    }
}
