import Foundation
import Scoring
import XCTest

/// In `.exact` numerics the fast paths (items packed into one batch, the all-items prefix
/// evaluated once and shared with `llama_memory_seq_cp`, kept across calls) must not change any
/// log-prob. The reference is the naive path of
/// the same scorer: one item per batch, no shared cache — how llama-perplexity evaluates a task
/// alone; the expected values therefore come from that run, not from constants. The items share
/// an instruction and differ in length and number of choices (1, 2 and 3), so that packing
/// places their tokens at many different offsets.
final class BatchingEquivalenceTests: XCTestCase {
    func testPackedAndCachedScoresEqualNaiveScores() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact)
        let items = Fixtures.instructed

        scorer.options = LlamaScorer.Options(cacheSharedPrefix: false, maxItemsPerBatch: 1)
        let naive = try scorer.score(items)
        let naiveStats = scorer.lastStatistics
        XCTAssertEqual(naiveStats.batches, items.count)
        XCTAssertEqual(naiveStats.sharedPrefixTokens, 0)

        scorer.options = LlamaScorer.Options(cacheSharedPrefix: false)
        let packed = try scorer.score(items)
        XCTAssertEqual(scorer.lastStatistics.batches, 1)

        scorer.options = LlamaScorer.Options(cacheSharedPrefix: true, maxItemsPerBatch: 1)
        let cachedOneByOne = try scorer.score(items)

        scorer.options = LlamaScorer.Options()
        var progress: [(Int, Int)] = []
        let fast = try scorer.score(items) { progress.append(($0, $1)) }
        let fastStats = scorer.lastStatistics
        XCTAssertGreaterThan(fastStats.sharedPrefixTokens, 20, "the instruction should be cached")
        XCTAssertEqual(fastStats.batches, 1)
        XCTAssertLessThan(fastStats.tokensEvaluated, naiveStats.tokensEvaluated)
        // Progress comes in increments: items finished and tokens evaluated per batch (the shared
        // prefix counts with the first batch).
        XCTAssertEqual(progress.map(\.0).reduce(0, +), items.count)
        XCTAssertEqual(progress.map(\.1).reduce(0, +), fastStats.tokensEvaluated)

        let reference = naive.flatMap(\.logprob)
        for (name, run) in [("packed", packed), ("cached one by one", cachedOneByOne), ("packed+cached", fast)] {
            let diff = Fixtures.maxAbsDiff(run.flatMap(\.logprob), reference)
            print("max |log-prob \(name) - naive| = \(diff)")
            XCTAssertLessThan(diff, 1e-4, name)
            XCTAssertEqual(run.map(\.tokens), naive.map(\.tokens), name)
        }
        print("naive: \(naiveStats.tokensEvaluated) tokens in \(naiveStats.seconds) s; packed+cached: "
            + "\(fastStats.tokensEvaluated) tokens (\(fastStats.paddingTokens) padding, \(fastStats.sharedPrefixTokens) shared) "
            + "in \(fastStats.seconds) s")
    }

    /// The short mixed items (Korean and English, no shared prefix) packed together and alone.
    func testMixedItemsPackedEqualAlone() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact)
        let packed = try scorer.score(Fixtures.items)
        XCTAssertLessThan(scorer.lastStatistics.batches, Fixtures.items.count)
        scorer.options = LlamaScorer.Options(maxItemsPerBatch: 1)
        let alone = try scorer.score(Fixtures.items)
        let diff = Fixtures.maxAbsDiff(packed.flatMap(\.logprob), alone.flatMap(\.logprob))
        print("max |log-prob packed - alone| on the mixed items = \(diff)")
        XCTAssertLessThan(diff, 1e-4)
    }

    /// Pseudo-random items (fixed seed): an instruction, prompts of 1 to 12 words, 1 to 4 choices
    /// of 1 to 6 words; packed+cached must equal item by item without cache, bit for bit.
    func testRandomItemsPackedAndCachedEqualNaive() throws {
        try Fixtures.requireModel()
        var state: UInt64 = 42
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % n }
        let words = ["the", "cat", "sat", "on", "a", "mat", "기사", "제목", "충격", "정부", "rain", "is", "cold", "42", "다음", "뉴스"]
        func phrase(_ count: Int) -> String { (0..<count).map { _ in words[next(words.count)] }.joined(separator: " ") }
        let items = (0..<10).map { i in
            ChoiceItem(id: "r\(i)", prompt: "You are a careful assistant. Answer each question briefly and truthfully.\n" + phrase(1 + next(12)) + ":",
                       choices: (0..<(1 + next(4))).map { _ in " " + phrase(1 + next(6)) })
        }
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact)
        let fast = try scorer.score(items)
        let stats = scorer.lastStatistics
        scorer.options = LlamaScorer.Options(cacheSharedPrefix: false, maxItemsPerBatch: 1)
        let naive = try scorer.score(items)
        let diff = Fixtures.maxAbsDiff(fast.flatMap(\.logprob), naive.flatMap(\.logprob))
        print("random items: \(stats.batches) batches, \(stats.sharedPrefixTokens) shared; max |packed+cached - naive| = \(diff)")
        XCTAssertLessThan(diff, 1e-4)
    }

    /// A run scored in chunks (as `eval score` does) computes the shared instruction once: later
    /// calls find it in the cache, and their scores equal those of a fresh scorer bit for bit.
    func testSharedPrefixStaysCachedAcrossCalls() throws {
        try Fixtures.requireModel()
        let items = Fixtures.instructed
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact)
        let first = try scorer.score(Array(items[0..<2]))
        let shared = scorer.lastStatistics.sharedPrefixTokens
        XCTAssertGreaterThan(shared, 8)
        XCTAssertEqual(scorer.lastStatistics.sharedPrefixReused, 0)
        let second = try scorer.score(Array(items[2...]))
        let stats = scorer.lastStatistics
        XCTAssertEqual(stats.sharedPrefixReused, min(shared, stats.sharedPrefixTokens), "the instruction should come from the cache")
        XCTAssertGreaterThanOrEqual(stats.sharedPrefixReused, 8)
        _ = try scorer.generate(prompt: "Q: Ice is", maxTokens: 2, stop: [])
        let afterGeneration = try scorer.score(Array(items[2...]))
        XCTAssertEqual(scorer.lastStatistics.sharedPrefixReused, 0, "generation clears the cache")
        let fresh = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact)
        fresh.options = LlamaScorer.Options(cacheSharedPrefix: false, maxItemsPerBatch: 1)
        let reference = try fresh.score(items)
        XCTAssertEqual((first + second).flatMap(\.logprob), reference.flatMap(\.logprob))
        XCTAssertEqual(afterGeneration.flatMap(\.logprob), Array(reference[2...]).flatMap(\.logprob))
    }

    /// llama.cpp's default numerics (F16 cache, flash attention; the default) are not
    /// packing-invariant: attention sums in tiles of 64 KV cells whose boundaries depend on where
    /// a sequence's cells lie, and this model turns last-bit differences into log-prob changes.
    /// Packed and cached scores stay close to item-by-item ones and to `.exact`'s (measured: up to
    /// 0.23 nats on the mean log-prob of a choice, on the one-token choice of t3; alone, items
    /// this short also take flash attention's F16-accumulating row kernel), and the predictions
    /// on these clear-cut items do not change.
    func testStandardNumericsCloseToAloneAndToExact() throws {
        try Fixtures.requireModel()
        let items = Fixtures.instructed + Fixtures.items
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        XCTAssertEqual(scorer.numerics, .standard)
        let packed = try scorer.score(items)
        XCTAssertEqual(scorer.lastStatistics.paddingTokens, 0)
        scorer.options = LlamaScorer.Options(cacheSharedPrefix: false, maxItemsPerBatch: 1)
        let alone = try scorer.score(items)
        let exact = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: .exact).score(items)
        let packing = Fixtures.maxAbsDiff(packed.flatMap(\.meanLogprob), alone.flatMap(\.meanLogprob))
        let modes = Fixtures.maxAbsDiff(packed.flatMap(\.meanLogprob), exact.flatMap(\.meanLogprob))
        print("default numerics: max |mean log-prob packed - alone| = \(packing), max |default - exact| = \(modes)")
        XCTAssertLessThan(packing, 0.35)
        XCTAssertLessThan(modes, 0.35)
        XCTAssertEqual(packed.map(\.predicted), alone.map(\.predicted))
        XCTAssertEqual(packed.map(\.predicted), exact.map(\.predicted))
        XCTAssertEqual(packed.map(\.tokens), exact.map(\.tokens))
    }

    func testEmptyInputScoresNothing() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        XCTAssertEqual(try scorer.score([]), [])
        XCTAssertEqual(scorer.lastStatistics.tokensEvaluated, 0)
    }
}
