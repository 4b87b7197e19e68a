import HarnessSpec
@testable import Prep
import Records
import Support
import XCTest

/// The `augment` stage: grows only the training split, with paraphrases and sentence ops.
final class AugmentTests: XCTestCase {
    private let h = StageHarness.self
    private let instructItem = "  - instruct: {instruction: \"원래 지시\", input: \"{title}|{body}\", output: \"{label}\"}\n"

    private func augment(_ args: String) throws -> Augment {
        try h.stage(instructItem + "  - augment: \(args)", at: 1, as: Augment.self)
    }

    /// Rows as they come out of `instruct`.
    private func input(train: Int = 5) throws -> [Record] {
        let instruct = try h.stage(instructItem)
        let rows = (0..<train).map { h.record("t\($0)", ["title": "제목\($0)", "body": "첫 문장이다. 둘째 문장이다. 셋째 문장이다. 넷째 문장이다.", "label": "normal", "keep": "1,3"]) }
            + [h.record("v0", split: "valid", ["title": "검증", "body": "하나. 둘.", "label": "normal"]),
               h.record("v1", split: "valid", ["title": "검증2", "body": "하나. 둘.", "label": "clickbait"]),
               h.record("x0", split: "test", ["title": "시험", "body": "하나. 둘.", "label": "normal"])]
        return try instruct.apply(rows).records
    }

    func testFactorTargetDoublesTrainOnlyWithTaggedIdsAndOrigins() throws {
        let records = try input()
        let r = try augment("{target: 2x, instructions: [\"바꾼 지시 A\", \"바꾼 지시 B\"], seed: 7}").apply(records)
        XCTAssertEqual(r.records.count, records.count + 5)
        XCTAssertEqual(Array(r.records.prefix(records.count)), records, "originals first and unchanged")
        XCTAssertEqual(r.records.filter { $0.split == "valid" }, records.filter { $0.split == "valid" })
        XCTAssertEqual(r.records.filter { $0.split == "test" }, records.filter { $0.split == "test" })
        let copies = Array(r.records.dropFirst(records.count))
        XCTAssertEqual(Set(copies.map(\.split)), ["train"])
        XCTAssertEqual(Set(copies.compactMap { $0.fields["id"] }), Set((0..<5).map { "t\($0)#aug1" }))
        for c in copies {
            let origin = try XCTUnwrap(c.origin)
            XCTAssertEqual(c.fields["id"], origin + "#aug1")
            let original = try XCTUnwrap(records.first { $0.fields["id"] == origin })
            XCTAssertEqual(c.fields["title"], original.fields["title"])
            XCTAssertEqual(c.fields["output"], original.fields["output"])
        }
        XCTAssertTrue(records.allSatisfy { $0.origin == nil })
        XCTAssertEqual(h.detail(r, "originals"), .number("5"))
        XCTAssertEqual(h.detail(r, "added"), .number("5"))
    }

    func testTotalTargetAddsRoundsUntilTheCountIsReached() throws {
        let records = try input()
        let r = try augment("{target: 12, instructions: [\"P\"]}").apply(records)
        let train = r.records.filter { $0.split == "train" }
        XCTAssertEqual(train.count, 12)
        let ids = train.compactMap { $0.fields["id"] }
        XCTAssertEqual(ids.filter { $0.hasSuffix("#aug1") }.count, 5, "round 1 copies every original once")
        XCTAssertEqual(ids.filter { $0.hasSuffix("#aug2") }.count, 2)
        XCTAssertEqual(Set(ids).count, ids.count, "no id twice")
        XCTAssertEqual(r.records.filter { $0.split != "train" }.count, 3)
    }

    func testParaphrasesRotateInCopyOrder() throws {
        let records = try input()
        let r = try augment("{target: 3x, instructions: [\"P1 {title}\", \"P2\", \"P3\"], seed: 1}").apply(records)
        let copies = Array(r.records.dropFirst(records.count))
        XCTAssertEqual(copies.count, 10)
        for (k, c) in copies.enumerated() {
            let expected = ["P1 " + (c.fields["title"] ?? ""), "P2", "P3"][k % 3]
            XCTAssertEqual(c.fields["instruction"], expected, "copy \(k)")
        }
    }

    func testTheSameSeedGivesTheSameCopiesAndAnotherSeedOthers() throws {
        let records = try input(train: 8)
        let args = "{target: 12, instructions: [\"P\"], ops: [shuffle_sentences], seed: 3}"
        let a = try augment(args).apply(records).records
        XCTAssertEqual(a, try augment(args).apply(records).records)
        let b = try augment(args.replacingOccurrences(of: "seed: 3", with: "seed: 4")).apply(records).records
        XCTAssertNotEqual(a, b)
    }

    func testOpsRewriteTheBodyAndTheInputButKeepProtectedSentences() throws {
        let records = try input(train: 6)
        let sentences = ["첫 문장이다.", "둘째 문장이다.", "셋째 문장이다.", "넷째 문장이다."]
        for op in ["shuffle_sentences", "drop_sentence"] {
            let r = try augment("{target: 4x, ops: [\(op)], protect: keep, seed: 9}").apply(records)
            let copies = r.records.filter { $0.origin != nil }
            XCTAssertEqual(copies.count, 18, op)
            for c in copies {
                let body = try XCTUnwrap(c.fields["body"])
                let parts = SentenceSplitter.punctuation(body).map(String.init)
                // Sentences 1 and 3 are protected (`keep: "1,3"`): they stay, at their positions.
                if op == "shuffle_sentences" {
                    XCTAssertEqual(parts.count, 4, body)
                    XCTAssertEqual(Set(parts), Set(sentences), body)
                    XCTAssertEqual(parts[0], sentences[0], body)
                    XCTAssertEqual(parts[2], sentences[2], body)
                } else {
                    XCTAssertEqual(parts.count, 3, body)
                    XCTAssertTrue(parts.contains(sentences[0]) && parts.contains(sentences[2]), body)
                }
                XCTAssertEqual(c.fields["input"], (c.fields["title"] ?? "") + "|" + body, "the input is rendered again from the new body")
                XCTAssertEqual(c.fields["instruction"], "원래 지시", "no paraphrases: the instruct template stays")
            }
        }
    }

    /// `sentences: kiwi` cuts where punctuation cannot: endings without a full stop.
    func testKiwiCutsSentencesPunctuationMisses() throws {
        let body = "정부는 오늘 새 정책을 발표했다 시장은 즉시 반응했다 전문가들은 신중한 태도를 보였다"
        let rows = try h.stage(instructItem).apply((0..<4).map { h.record("k\($0)", ["title": "제목", "body": body, "label": "normal"]) }).records
        let byPunctuation = try augment("{target: 2x, ops: [shuffle_sentences], seed: 5}").apply(rows).records.filter { $0.origin != nil }
        XCTAssertEqual(Set(byPunctuation.compactMap { $0.fields["body"] }), [body], "one sentence by punctuation: nothing to shuffle")
        let kiwi = try augment("{target: 2x, ops: [shuffle_sentences], sentences: kiwi, seed: 5}")
        XCTAssertTrue(kiwi.readsBeyondItsEntry.hasPrefix("sentences: kiwi 0.24"), "Kiwi's version is in the cache key: \(kiwi.readsBeyondItsEntry)")
        let byKiwi = try kiwi.apply(rows).records.filter { $0.origin != nil }
        let sentences = ["정부는 오늘 새 정책을 발표했다", "시장은 즉시 반응했다", "전문가들은 신중한 태도를 보였다"]
        for c in byKiwi {
            let shuffled = try XCTUnwrap(c.fields["body"])
            XCTAssertEqual(Set(shuffled.components(separatedBy: "다 ").map { $0.hasSuffix("다") ? $0 : $0 + "다" }), Set(sentences), shuffled)
        }
        XCTAssertTrue(byKiwi.contains { $0.fields["body"] != body }, "some copy has its sentences in another order")
        XCTAssertThrowsError(try augment("{target: 2x, ops: [shuffle_sentences], sentences: kiwii}")) {
            XCTAssertTrue("\($0)".contains("did you mean 'kiwi'"), "\($0)")
        }
    }

    func testSentenceOpsDirectly() {
        var rng = SeededRandom(seed: 1)
        XCTAssertEqual(SentenceSplitter.punctuation("가. 나! 다? 라"), ["가.", "나!", "다?", "라"])
        for _ in 0..<20 {
            let shuffled = Augment.apply(.shuffleSentences, to: "A. B. C. D. E.", sentences: SentenceSplitter.punctuation("A. B. C. D. E."), protected: [0, 4], rng: &rng)
            XCTAssertTrue(shuffled.hasPrefix("A. ") && shuffled.hasSuffix(" E."), shuffled)
            let dropped = Augment.apply(.dropSentence, to: "A. B. C.", sentences: SentenceSplitter.punctuation("A. B. C."), protected: [1], rng: &rng)
            XCTAssertTrue(dropped == "B. C." || dropped == "A. B.", dropped)
        }
        XCTAssertEqual(Augment.apply(.dropSentence, to: "하나뿐.", sentences: ["하나뿐."], protected: [], rng: &rng), "하나뿐.", "never drops the only sentence")
        XCTAssertEqual(Augment.apply(.dropSentence, to: "A. B.", sentences: ["A.", "B."], protected: [0, 1], rng: &rng), "A. B.", "all protected: unchanged")
        XCTAssertEqual(Augment.apply(.shuffleSentences, to: "A. B. C.", sentences: ["A.", "B.", "C."], protected: [0, 2], rng: &rng), "A. B. C.", "one free sentence cannot move")
    }

    func testNoTrainRowsGivesAWarningAndNoCopies() throws {
        let records = try input(train: 0)
        let r = try augment("{target: 2x, instructions: [P]}").apply(records)
        XCTAssertEqual(r.records, records)
        XCTAssertEqual(r.warnings, ["augment: no rows in split 'train' to augment"])
        XCTAssertEqual(try augment("{target: 2x, instructions: [P]}").apply([]).records, [])
    }

    func testAlreadyAugmentedRowsAreNotCopiedAgain() throws {
        let once = try augment("{target: 2x, instructions: [P]}").apply(try input()).records
        let twice = try augment("{target: 2x, instructions: [P]}").apply(once).records
        XCTAssertEqual(twice.count, once.count + 5, "only the 5 originals count")
    }

    func testBadArgumentsAreSpecErrors() throws {
        XCTAssertThrowsError(try h.stage("  - augment: {target: 2x, instructions: [P]}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.contains("put an `instruct` stage before it") ?? false, "\($0)")
        }
        for bad in ["0.5x", "abc", "0", "-3"] {
            XCTAssertThrowsError(try augment("{target: \"\(bad)\", instructions: [P]}"), bad) {
                XCTAssertEqual(($0 as? SpecError)?.message, "'\(bad)' is neither a factor like 3x nor a row count like 5000")
            }
        }
        XCTAssertThrowsError(try augment("{target: 2x}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.hasPrefix("give `instructions`") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try augment("{target: 2x, ops: [shufle_sentences]}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.contains("did you mean 'shuffle_sentences'?") ?? false, "\($0)")
        }
    }

    /// `instruct` rejects a placeholder that is not a record field; the paraphrases of `augment` are
    /// the same kind of template and end up in the same `instruction` column, so a typo there must be
    /// caught the same way instead of rendering as empty text in every copy.
    func testAParaphrasePlaceholderThatIsNotAFieldIsASpecError() throws {
        XCTAssertThrowsError(try augment("{target: 2x, instructions: [\"{titel}을 판단하세요.\"]}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.contains("placeholder {titel} is not a record field") ?? false, "\($0)")
        }
    }

    func testANegativeSeedIsABitPatternNotACrash() throws {
        // Before the fix `UInt64(-7)` trapped ("Negative value is not representable"), even in `prep check`.
        let negative = try augment("{target: 2x, ops: [shuffle_sentences], seed: -7}")
        XCTAssertEqual(negative.seed, UInt64(bitPattern: -7))
        let rows = try input()
        let a = try negative.apply(rows), b = try negative.apply(rows)
        XCTAssertEqual(a.records, b.records, "deterministic")
        XCTAssertNotEqual(a.records.count, rows.count)
        let instruct = try h.stage("  - instruct: {instruction: [\"a {title}\", \"b {title}\"], input: \"{body}\", output: \"{label}\", seed: -3}", as: Instruct.self)
        XCTAssertEqual(instruct.seed, UInt64(bitPattern: -3))
    }
}
