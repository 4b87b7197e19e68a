import Scoring
import XCTest

/// Greedy generation with LlamaScorer. Expected texts: " Paris." is what this model greedily
/// continues "Q: The capital of France is" with — RemoteScorerTests checks that llama-server's
/// greedy completion of the same prompt is identical; here the limits and stops are checked
/// against that continuation.
final class GenerationTests: XCTestCase {
    func testGreedyGenerationStopsAtLimitsAndStopStrings() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let prompt = "Q: The capital of France is"
        let full = try scorer.generate(prompt: prompt, maxTokens: 12, stop: ["\n"])
        XCTAssertTrue(full.hasPrefix(" Paris"), full)
        XCTAssertFalse(full.contains("\n"))
        XCTAssertEqual(try scorer.generate(prompt: prompt, maxTokens: 1, stop: []), " Paris")
        XCTAssertEqual(try scorer.generate(prompt: prompt, maxTokens: 12, stop: [".", "\n"]), " Paris")
        XCTAssertEqual(try scorer.generate(prompt: prompt, maxTokens: 0, stop: []), "")
        // Deterministic, and scoring afterwards is unaffected by the generation's cache use.
        XCTAssertEqual(try scorer.generate(prompt: prompt, maxTokens: 12, stop: ["\n"]), full)
        let fresh = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        XCTAssertEqual(try scorer.score([Fixtures.items[5]]), try fresh.score([Fixtures.items[5]]))
        XCTAssertTrue(scorer.modelDescription.contains("SmolLM2-135M-Instruct.Q4_1.gguf"), scorer.modelDescription)
    }
}

/// Korean generation cut by max_tokens: SmolLM2 spends about two tokens per Hangul syllable, so most
/// limits end inside a character.
final class KoreanGenerationTests: XCTestCase {
    func testAnswersCutByMaxTokensAreWholeCharacters() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let prompt = "다음 영화 리뷰를 읽고 한 문장으로 답하세요.\n\n리뷰: 배우들의 연기가 어색하고 줄거리가 지루했다.\n답:"
        let full = try scorer.generate(prompt: prompt, maxTokens: 16, stop: [])
        XCTAssertFalse(full.contains("\u{FFFD}"), full)
        XCTAssertTrue(full.unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) }, "the model answers in Hangul: \(full)")
        for n in 1..<16 {
            let cut = try scorer.generate(prompt: prompt, maxTokens: n, stop: [])
            XCTAssertFalse(cut.contains("\u{FFFD}"), "max_tokens \(n): \(cut.debugDescription)")
            XCTAssertTrue(full.hasPrefix(cut), "max_tokens \(n): \(cut.debugDescription) is a prefix of \(full.debugDescription)")
        }
    }
}
