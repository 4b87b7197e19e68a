import Scoring
import XCTest

/// Many generations sharing decodes (`generate(_:maxTokens:stop:parallel:finished:)`) and seeded
/// sampling. References are LlamaScorer's own one-at-a-time `generate`, which `GenerationTests`
/// ties to llama.cpp's greedy continuation and `RemoteScorerTests` to llama-server's.
final class GenerateManyTests: XCTestCase {
    private let prompts = [
        "Q: The capital of France is",
        "<|im_start|>user\nName three colours.<|im_end|>\n<|im_start|>assistant\n",
        "다음 뉴스 제목을 바꿔 쓰세요: 정부, 새 부동산 대책 발표\n답:",
        "Once upon a time",
        "1, 2, 3, 4,",
    ]

    private func many(_ scorer: LlamaScorer, _ requests: [LlamaScorer.GenerationRequest], maxTokens: Int = 12, stop: [String] = ["\n"],
                      parallel: Int) throws -> [String] {
        var texts = Array(repeating: "<missing>", count: requests.count)
        var calls = 0
        try scorer.generate(requests, maxTokens: maxTokens, stop: stop, parallel: parallel) { i, text in
            texts[i] = text
            calls += 1
        }
        XCTAssertEqual(calls, requests.count, "one report per request")
        return texts
    }

    func testOneAtATimeItEqualsGenerateGreedyAndSampled() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let greedy = prompts.map { LlamaScorer.GenerationRequest(prompt: $0, sampling: nil) }
        let single = try prompts.map { try scorer.generate(prompt: $0, maxTokens: 12, stop: ["\n"]) }
        XCTAssertEqual(try many(scorer, greedy, parallel: 1), single)
        XCTAssertTrue(single[0].hasPrefix(" Paris"), single[0])

        let sampled = prompts.enumerated().map { LlamaScorer.GenerationRequest(prompt: $1, sampling: Sampling(temperature: 0.9, seed: UInt64($0 + 1))) }
        let one = try sampled.map { try scorer.generate(prompt: $0.prompt, maxTokens: 12, stop: ["\n"], sampling: $0.sampling) }
        XCTAssertEqual(try many(scorer, sampled, parallel: 1), one)
    }

    func testSharedDecodesAreDeterministicAndEndLikeGenerate() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let requests = (0..<12).map { i in
            LlamaScorer.GenerationRequest(prompt: prompts[i % prompts.count], sampling: i < 5 ? nil : Sampling(temperature: 0.8, seed: UInt64(i)))
        }
        let first = try many(scorer, requests, parallel: 4)
        XCTAssertEqual(try many(scorer, requests, parallel: 4), first, "the same requests in the same order give the same texts")
        for t in first {
            XCTAssertFalse(t.contains("\n"), "a stop string ends the text: \(t.debugDescription)")
            XCTAssertFalse(t.contains("\u{FFFD}"), t)
            XCTAssertLessThanOrEqual(scorer.tokenize(t).count, 12 + 2, "about max_tokens tokens at most: \(t.debugDescription)")
        }
        // Greedy texts in a shared batch agree with lone decodes on this model (the logits differ
        // at most in the last bits); the first prompt's is the known " Paris" continuation.
        XCTAssertTrue(first[0].hasPrefix(" Paris"), first[0])
        XCTAssertEqual(try many(scorer, requests, maxTokens: 0, parallel: 4), Array(repeating: "", count: requests.count))
        // max_tokens 1 gives exactly one token's text, the same as the lone decode's first token.
        let oneToken = try many(scorer, Array(requests.prefix(5)), maxTokens: 1, stop: [], parallel: 5)
        XCTAssertEqual(oneToken, try prompts.map { try scorer.generate(prompt: $0, maxTokens: 1, stop: []) })
    }

    func testSeedsChangeSampledTextsAndTemperatureZeroIsGreedy() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let prompt = "<|im_start|>user\nWrite a short sentence about the sea.<|im_end|>\n<|im_start|>assistant\n"
        let texts = try (1...6).map { try scorer.generate(prompt: prompt, maxTokens: 16, stop: ["\n"], sampling: Sampling(temperature: 1.0, seed: UInt64($0))) }
        XCTAssertGreaterThan(Set(texts).count, 1, "six seeds at temperature 1 do not all give one text: \(texts)")
        XCTAssertEqual(try scorer.generate(prompt: prompt, maxTokens: 16, stop: ["\n"], sampling: Sampling(temperature: 1.0, seed: 3)), texts[2])
        XCTAssertEqual(try scorer.generate(prompt: prompt, maxTokens: 16, stop: ["\n"], sampling: Sampling(temperature: 0, seed: 3)),
                       try scorer.generate(prompt: prompt, maxTokens: 16, stop: ["\n"]))
        // top_k 1 is greedy whatever the temperature.
        XCTAssertEqual(try scorer.generate(prompt: prompt, maxTokens: 16, stop: ["\n"], sampling: Sampling(temperature: 1.5, topK: 1, seed: 9)),
                       try scorer.generate(prompt: prompt, maxTokens: 16, stop: ["\n"]))
    }

    func testAPromptThatCannotFitWithItsTokensIsRefused() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, contextSize: 256)
        XCTAssertThrowsError(try many(scorer, [.init(prompt: String(repeating: "word ", count: 240), sampling: nil)], maxTokens: 40, parallel: 2)) {
            XCTAssertTrue("\($0)".contains("prompt"), "\($0)")
        }
    }
}
