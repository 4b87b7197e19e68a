import Korean
import XCTest

/// Kiwi with the model `make setup` installs in .deps/kiwi/model. Without it these tests fail (with
/// KiwiError.modelNotInstalled saying to run `make setup`), they are not skipped.
final class KiwiTests: XCTestCase {
    nonisolated(unsafe) private static var loaded: Kiwi?

    /// One analyser for the whole class: loading the model takes a few seconds.
    private func kiwi() throws -> Kiwi {
        if let k = Self.loaded { return k }
        let k = try Kiwi()
        Self.loaded = k
        return k
    }

    func testTokenize_givesFormsTagsAndUTF16Offsets() throws {
        let text = "정부는 새 정책을 발표했다."
        let tokens = try kiwi().tokenize(text)
        XCTAssertEqual(tokens.map { "\($0.form)/\($0.tag)" }.joined(separator: " "),
                       "정부/NNG 는/JX 새/MM 정책/NNG 을/JKO 발표/NNG 하/XSV 었/EP 다/EF ./SF")
        XCTAssertEqual(tokens[0], Kiwi.Token(form: "정부", tag: "NNG", start: 0, length: 2, sentence: 0))
        XCTAssertEqual(tokens[2].start, 4, "새 follows 정부는 and a space")
        let utf16 = Array(text.utf16)
        for t in tokens where ["NNG", "MM", "SF"].contains(t.tag) {
            XCTAssertEqual(String(decoding: utf16[t.start..<t.start + t.length], as: UTF16.self), t.form, "offsets of \(t.form)")
        }
    }

    func testWordKeys_countTheNounOnceWhateverParticleFollows() throws {
        let (keys, morphemes) = try kiwi().wordKeys("정부는 예산을 늘렸다. 정부가 발표했다. 시민들은 정부를 믿는다.")
        XCTAssertEqual(keys.filter { $0 == "정부/NNG" }.count, 3, "\(keys)")
        XCTAssertFalse(keys.contains { $0.hasPrefix("정부") && $0 != "정부/NNG" }, "\(keys)")
        XCTAssertTrue(keys.contains("예산/NNG") && keys.contains("시민/NNG"), "\(keys)")
        XCTAssertGreaterThan(morphemes, keys.count, "particles and endings are morphemes too")
    }

    func testLemmas_ofVerbsAndAdjectivesEndInDa() throws {
        let lemmas = try kiwi().lemmas("전문가들은 영향이 당분간 이어질 것으로 내다봤다. 날씨가 춥다.", tags: Kiwi.predicateTags)
        let words = lemmas.map(\.lemma)
        XCTAssertTrue(words.contains("내다보다"), "\(lemmas)")
        XCTAssertTrue(words.contains("춥다"), "\(lemmas)")
        XCTAssertEqual(Set(lemmas.map(\.tag)).subtracting(["VV", "VA"]), [], "tags without Kiwi's -R/-I suffix")
        XCTAssertEqual(try kiwi().nouns("정부는 새 정책을 발표했다."), ["정부", "정책", "발표"])
    }

    func testSentences_splitOnEndingsAndPunctuation() throws {
        let text = "첫 문장이다. 둘째 문장은 여기 있다! 셋째는 질문인가?"
        XCTAssertEqual(try kiwi().sentences(text), ["첫 문장이다.", "둘째 문장은 여기 있다!", "셋째는 질문인가?"])
        let sentences = try kiwi().sentences("오늘 회의가 열렸다 참석자들은 결과를 지켜봐 달라고 말했다")
        XCTAssertEqual(sentences.count, 2, "an ending without a full stop still ends a sentence: \(sentences)")
        XCTAssertEqual(try kiwi().sentences(""), [])
        let tokens = try kiwi().tokenize(text)
        XCTAssertEqual(tokens.last?.sentence, 2)
    }

    func testMissingModel_failsWithAClearError() throws {
        XCTAssertThrowsError(try Kiwi.installedModel(environment: [Kiwi.modelEnvironmentKey: "/nonexistent/kiwi"])) { error in
            XCTAssertEqual(error as? KiwiError, .modelNotInstalled(searched: ["/nonexistent/kiwi"]))
            XCTAssertTrue("\(error)".contains("run `make setup`"), "\(error)")
        }
        XCTAssertThrowsError(try Kiwi(modelPath: "/nonexistent/kiwi")) { error in
            guard case .loadFailed(path: "/nonexistent/kiwi", _)? = error as? KiwiError else { return XCTFail("\(error)") }
        }
    }
}
