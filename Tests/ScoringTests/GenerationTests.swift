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
