import Evaluation
import XCTest

/// `mode: generate`: a greedy answer is mapped back to a label by the spec's verbalisations
/// (`Prediction.label(forAnswer:labels:texts:)`), as specs/clickbait.yaml sets them.
final class AnswerMappingTests: XCTestCase {
    let labels = ["clickbait", "normal"]
    let texts = [" 낚시성 기사", " 정상 기사"]

    func map(_ answer: String) -> String { Prediction.label(forAnswer: answer, labels: labels, texts: texts) }

    func testTheExactLabelText() {
        XCTAssertEqual(map(" 낚시성 기사"), "clickbait", "the verbalisation itself, with the spec's leading space")
        XCTAssertEqual(map("낚시성 기사"), "clickbait")
        XCTAssertEqual(map("정상 기사"), "normal")
        XCTAssertEqual(map("normal"), "normal", "the label's name counts too")
        XCTAssertEqual(map("clickbait"), "clickbait")
    }

    func testTheLabelAsAPrefixOfALongerAnswer() {
        XCTAssertEqual(map(" 낚시성 기사\n제목이 과장되어"), "clickbait")
        XCTAssertEqual(map("정상 기사. 제목과 본문이 일치"), "normal")
        XCTAssertEqual(map("normal. The title matches"), "normal")
    }

    func testTheVerbaliserInsideASentence() {
        XCTAssertEqual(map("이 기사는 낚시성 기사로 보입니다"), "clickbait")
        XCTAssertEqual(map("답: 정상 기사"), "normal")
        XCTAssertEqual(map("I think it is normal."), "normal")
    }

    func testKoreanEndingsAndParticlesAfterTheLabel() {
        XCTAssertEqual(map("낚시성 기사입니다"), "clickbait")
        XCTAssertEqual(map("정상 기사예요."), "normal")
        XCTAssertEqual(map("정상 기사이며"), "normal")
        XCTAssertEqual(map("낚시성 기사가 맞습니다"), "clickbait")
        XCTAssertEqual(map("normal입니다"), "normal", "a Hangul ending may follow a label name as well")
    }

    /// Rule: the label named first wins (leftmost match). A greedy answer states its verdict
    /// first; what follows is explanation, often naming the other label to deny it.
    func testTwoLabelsInOneAnswerTheFirstNamedWins() {
        XCTAssertEqual(map("낚시성 기사입니다. 정상 기사가 아닙니다."), "clickbait")
        XCTAssertEqual(map("정상 기사입니다. 낚시성 기사가 아닙니다."), "normal")
        XCTAssertEqual(map("정상 기사 또는 낚시성 기사"), "normal")
        XCTAssertEqual(map("clickbait, not normal"), "clickbait", "by name")
        XCTAssertEqual(map("normal 낚시성 기사"), "normal", "a name and a verbalisation compete by position too")
        // Spec order does not matter, only position in the answer.
        XCTAssertEqual(Prediction.label(forAnswer: "낚시성 기사입니다. 정상 기사가 아닙니다.", labels: ["normal", "clickbait"],
                                        texts: [" 정상 기사", " 낚시성 기사"]), "clickbait")
    }

    func testLeadingAndTrailingWhitespaceAndQuotes() {
        XCTAssertEqual(map("   낚시성 기사   \n"), "clickbait")
        XCTAssertEqual(map("\"정상 기사\""), "normal")
        XCTAssertEqual(map("'낚시성 기사'"), "clickbait")
        XCTAssertEqual(map("“정상 기사”입니다"), "normal")
        XCTAssertEqual(map("「낚시성 기사」"), "clickbait")
        XCTAssertEqual(map("낚시성  기사"), "clickbait", "runs of whitespace read as one space")
        XCTAssertEqual(map("낚시성\n기사"), "clickbait")
        XCTAssertEqual(map("낚시성\u{00A0}기사"), "clickbait", "a no-break space is a space")
    }

    /// Answers and verbalisations are compared after NFKC: decomposed Hangul (NFD, as some
    /// tokenizers and macOS file names produce), full-width letters and the ideographic space.
    func testNFDAndFullWidthVariants() {
        let nfd = "낚시성 기사입니다".decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfd.unicodeScalars), Array("낚시성 기사입니다".unicodeScalars))
        XCTAssertEqual(map(nfd), "clickbait")
        XCTAssertEqual(Prediction.label(forAnswer: "정상 기사", labels: labels, texts: texts.map(\.decomposedStringWithCanonicalMapping)), "normal",
                       "an NFD verbalisation in the spec matches an NFC answer")
        XCTAssertEqual(map("낚시성\u{3000}기사"), "clickbait", "ideographic space")
        XCTAssertEqual(map("ｎｏｒｍａｌ"), "normal", "full-width letters")
        XCTAssertEqual(map("Normal"), "(other)", "case matters: labels are identifiers")
    }

    func testAnAnswerNamingNoLabelIsOther() {
        XCTAssertEqual(map(""), "(other)")
        XCTAssertEqual(map("   "), "(other)")
        XCTAssertEqual(map("잘 모르겠습니다"), "(other)")
        XCTAssertEqual(map("낚시성"), "(other)", "part of a verbalisation is not enough")
        XCTAssertEqual(map("기사"), "(other)")
        XCTAssertEqual(map("낚시성기사"), "(other)", "the space is part of the verbalisation")
        XCTAssertEqual(Prediction.other, "(other)")
    }

    /// A match must start at a word boundary: a prefix such as 비- ("non-") makes another word.
    func testAMatchStartsAWord() {
        XCTAssertEqual(map("비정상 기사입니다"), "(other)", "'abnormal article' is not 정상 기사")
        XCTAssertEqual(map("abnormal"), "(other)")
        XCTAssertEqual(map("normality"), "(other)", "a label name ends at a boundary too")
        XCTAssertEqual(map("(정상 기사)"), "normal", "punctuation is a boundary")
        XCTAssertEqual(map("1.정상 기사"), "normal")
        XCTAssertEqual(map("비정상 기사가 아니라 정상 기사"), "normal", "the later, well-bounded match counts")
    }

    /// Rule: of matches starting at the same place the longest wins, so a verbalisation that
    /// extends another is found whole whatever the spec's order.
    func testALongerVerbalisationBeatsItsPrefix() {
        for (labels, texts) in [(["ok", "not_ok"], ["정상", "정상 아님"]), (["not_ok", "ok"], ["정상 아님", "정상"])] {
            func map(_ a: String) -> String { Prediction.label(forAnswer: a, labels: labels, texts: texts) }
            XCTAssertEqual(map("정상 아님"), "not_ok", "\(labels)")
            XCTAssertEqual(map("정상 아님입니다"), "not_ok", "\(labels)")
            XCTAssertEqual(map("답: 정상 아님."), "not_ok", "\(labels)")
            XCTAssertEqual(map("정상"), "ok", "\(labels)")
            XCTAssertEqual(map("정상입니다"), "ok", "\(labels)")
            XCTAssertEqual(map("정상 기사"), "ok", "\(labels)")
            XCTAssertEqual(map("정상 아닌 듯"), "ok", "'정상 아닌' is not '정상 아님'")
        }
        // Names too: a label `not_normal` beside `normal`.
        XCTAssertEqual(Prediction.label(forAnswer: "not_normal", labels: ["normal", "not_normal"], texts: ["", ""]), "not_normal")
    }

    /// `choices: {fields: [...]}` items: each label's text is the item's own choice text.
    func testChoiceTextsFromFields() {
        let labels = ["answer_a", "answer_b"], texts = [" 서울", " 서울특별시"]
        XCTAssertEqual(Prediction.label(forAnswer: " 서울특별시입니다", labels: labels, texts: texts), "answer_b")
        XCTAssertEqual(Prediction.label(forAnswer: " 서울입니다", labels: labels, texts: texts), "answer_a")
        XCTAssertEqual(Prediction.label(forAnswer: " 부산", labels: labels, texts: texts), "(other)")
    }

    /// With the spec's real prompt the tiny test model names no label (its answers to the 3 items
    /// of CLITests' `testGenerationModeMapsAnswersToLabels` were " 난대", " 시중", " 제목": all
    /// "(other)"), so that end-to-end check is made with a prompt the model only has to continue.
    /// Here the same guard at the unit level: answers shaped like a fine-tuned model's must not all
    /// be "(other)".
    func testTheMappingIsNotConstantlyOther() {
        let answers = [" 낚시성 기사입니다", " 정상 기사예요.", " 잘 모르겠어요"]
        XCTAssertEqual(answers.map(map), ["clickbait", "normal", "(other)"])
    }
}
