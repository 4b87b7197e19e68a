import Foundation
@testable import Scoring
import XCTest

/// LoRA adapters through llama.cpp's adapter API, with the real model and the adapters that
/// fixtures/lora/make_adapter.py writes (random low-rank weights on attn_q and attn_v of layers 0-3).
/// Expected values come from the base model (scale 0 must give its scores bit for bit) and from
/// llama.cpp's own llama-perplexity run with the same adapter.
final class LoraAdapterTests: XCTestCase {
    static let a = Fixtures.root + "/fixtures/lora/smollm2-a.gguf"
    static let b = Fixtures.root + "/fixtures/lora/smollm2-b.gguf"
    static let wrongArch = Fixtures.root + "/fixtures/lora/wrong-arch.gguf"

    private func scores(_ scorer: LlamaScorer, _ items: [ChoiceItem]) throws -> [[Double]] {
        try scorer.score(items).map(\.logprob)
    }

    /// llama.cpp leaves an adapter of scale 0 out of the graph, so the scores are the base model's,
    /// bit for bit (`.exact`: the same whatever else happened in the context before).
    func testScaleZeroGivesExactlyTheBaseModelsScores() throws {
        try Fixtures.requireModel()
        let items = Fixtures.items + Fixtures.instructed
        let base = try scores(LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact), items)
        let zero = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact, adapters: [LoraAdapter(path: Self.a, scale: 0)])
        XCTAssertEqual(try scores(zero, items), base)
        XCTAssertEqual(zero.adapters, [LoraAdapter(path: Self.a, scale: 0)])
        XCTAssertTrue(zero.modelDescription.hasSuffix("LoRA \(Self.a) ×0.0"), zero.modelDescription)
    }

    /// A non-zero scale changes every item's scores, more with a larger scale, and another adapter
    /// changes them otherwise.
    func testNonZeroScaleChangesScores() throws {
        try Fixtures.requireModel()
        let items = Fixtures.items
        let base = try scores(LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact), items).flatMap { $0 }
        let full = try scores(LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact, adapters: [LoraAdapter(path: Self.a)]), items).flatMap { $0 }
        let half = try scores(LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact,
                                          adapters: [LoraAdapter(path: Self.a, scale: 0.5)]), items).flatMap { $0 }
        let other = try scores(LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact, adapters: [LoraAdapter(path: Self.b)]), items).flatMap { $0 }
        let moved = zip(base, full).map { abs($0 - $1) }
        print("LoRA a ×1 moves summed log-probs by \(moved.min()!)...\(moved.max()!) nats")
        XCTAssertGreaterThan(moved.min()!, 1e-4, "every choice is scored through the adapted layers")
        XCTAssertGreaterThan(Fixtures.maxAbsDiff(base, full), 1e-2)
        XCTAssertLessThan(Fixtures.maxAbsDiff(base, half), Fixtures.maxAbsDiff(base, full), "half the scale, a smaller change")
        XCTAssertGreaterThan(Fixtures.maxAbsDiff(base, half), 1e-3)
        XCTAssertGreaterThan(Fixtures.maxAbsDiff(full, other), 1e-2, "another checkpoint, other scores")
    }

    /// One model, adapters switched between calls (as `eval score --each` does): each set scores as
    /// a fresh scorer with that set does, bit for bit. The shared instruction is cached across calls
    /// (`sharedPrefixReused`), so this fails if the cache survives a change of adapters.
    func testSwitchingAdaptersScoresAsAFreshScorer() throws {
        try Fixtures.requireModel()
        let items = Fixtures.instructed
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact)
        let base = try scores(scorer, items)
        XCTAssertEqual(try scores(scorer, items), base)
        XCTAssertGreaterThan(scorer.lastStatistics.sharedPrefixReused, 0, "the instruction is kept between calls")
        for set in [[LoraAdapter(path: Self.a)], [LoraAdapter(path: Self.b, scale: 0.5)], [LoraAdapter(path: Self.a), LoraAdapter(path: Self.b)]] {
            try scorer.useAdapters(set)
            let switched = try scores(scorer, items)
            XCTAssertEqual(scorer.lastStatistics.sharedPrefixReused, 0, "cells computed under other adapters are not reused")
            let fresh = try scores(LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact, adapters: set), items)
            XCTAssertEqual(switched, fresh, "\(set)")
            XCTAssertNotEqual(switched, base, "\(set)")
        }
        try scorer.useAdapters([])
        XCTAssertEqual(try scores(scorer, items), base, "back to the base model")
    }

    /// Agreement with llama.cpp's own tool run with the same adapter (`--lora`, `--lora-scaled`):
    /// every choice's mean log-prob within 1e-3 under the same numerics (see
    /// PerplexityAgreementTests for how the Winogrande rows carry them), and the scores are not
    /// the base model's, so an adapter ignored on either side fails.
    func testExactMeanLogprobsAgreeWithLlamaPerplexityLora() throws {
        let withAdapter = try PerplexityAgreementTests.meanLogprobsAgree(.exact, lora: [LoraAdapter(path: Self.a)])
        let base = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact).score(Fixtures.items)
        XCTAssertGreaterThan(Fixtures.maxAbsDiff(withAdapter.flatMap(\.meanLogprob), base.flatMap(\.meanLogprob)), 1e-2)
    }

    func testDefaultMeanLogprobsAgreeWithLlamaPerplexityLoraScaled() throws {
        try PerplexityAgreementTests.meanLogprobsAgree(.standard, lora: [LoraAdapter(path: Self.b, scale: 0.5)])
    }

    func testPredictionsAgreeWithLlamaPerplexityMultipleChoiceLora() throws {
        let ours = try PerplexityAgreementTests.predictionsAgree(.exact, lora: [LoraAdapter(path: Self.a)])
        let base = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact).score(Fixtures.items).map(\.predicted)
        print("predictions: base \(base), LoRA a \(ours)")
    }

    func testMissingAdapterFile() throws {
        try Fixtures.requireModel()
        let path = "/nonexistent/adapter.gguf"
        XCTAssertThrowsError(try LlamaScorer(modelPath: Fixtures.model, adapters: [LoraAdapter(path: path)])) { error in
            XCTAssertEqual(error as? ScoringError, .adapterNotFound(path: path))
            XCTAssertTrue("\(error)".contains(path) && "\(error)".contains("convert_lora_to_gguf.py"), "\(error)")
        }
    }

    func testNonGGUFAdapterIsRejectedBeforeLlamaCpp() throws {
        try Fixtures.requireModel()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/adapter_model.safetensors"
        try Data("{\"__metadata__\"".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try LlamaScorer(modelPath: Fixtures.model, adapters: [LoraAdapter(path: path)])) { error in
            XCTAssertEqual(error as? ScoringError, .adapterNotGGUF(path: path, firstBytes: "\"{\"__\""))
        }
    }

    /// An adapter for another architecture: llama.cpp returns NULL and logs why; the error says so.
    func testAdapterForAnotherArchitectureIsRefusedWithLlamaCppsReason() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact)
        let base = try scores(scorer, Fixtures.items)
        try scorer.useAdapters([LoraAdapter(path: Self.a)])
        let adapted = try scores(scorer, Fixtures.items)
        XCTAssertThrowsError(try scorer.useAdapters([LoraAdapter(path: Self.wrongArch)])) { error in
            guard case let .adapterLoadFailed(path, model, reason)? = error as? ScoringError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, Self.wrongArch)
            XCTAssertEqual(model, Fixtures.model)
            XCTAssertTrue(reason.hasPrefix("model arch and LoRA arch mismatch"), reason)
            XCTAssertTrue(reason.contains("another architecture than the model's, llama"), reason)
        }
        XCTAssertEqual(scorer.adapters, [LoraAdapter(path: Self.a)], "a refused adapter changes nothing")
        XCTAssertEqual(try scores(scorer, Fixtures.items), adapted)
        XCTAssertNotEqual(adapted, base)
    }

    /// The fixtures `make setup` generated are what the committed script writes again (deterministic bytes) (numpy and gguf-py from the
    /// llama.cpp source in .deps; skipped where they are missing).
    func testFixturesAreWhatTheGeneratorWrites() throws {
        let script = Fixtures.root + "/fixtures/lora/make_adapter.py"
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let probe = try Fixtures.run("/usr/bin/env", ["python3", "-c", "import numpy"])
        guard probe.status == 0 else { throw XCTSkip("python3 with numpy is needed to run \(script)") }
        for (name, seed) in [("smollm2-a.gguf", 1), ("smollm2-b.gguf", 2)] {
            let out = dir + "/" + name
            let r = try Fixtures.run("/usr/bin/env", ["python3", script, "--out", out, "--seed", String(seed)])
            if r.output.contains("gguf-py not found") { throw XCTSkip(r.output) }
            XCTAssertEqual(r.status, 0, r.output)
            XCTAssertEqual(FileManager.default.contents(atPath: out), FileManager.default.contents(atPath: Fixtures.root + "/fixtures/lora/" + name), name)
        }
    }
}
