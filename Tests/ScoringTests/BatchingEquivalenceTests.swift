import Foundation
import Scoring
import XCTest

/// The fast paths (items packed into one batch, the all-items prefix evaluated once and shared
/// with `llama_memory_seq_cp`) must not change any log-prob. The reference is the naive path of
/// the same scorer: one item per batch, no shared cache, i.e. llama-perplexity's evaluation of an
/// item; the expected values therefore come from that run, not from constants.
final class BatchingEquivalenceTests: XCTestCase {
    func testPackedAndCachedScoresEqualNaiveScores() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let items = Fixtures.instructed

        scorer.options = LlamaScorer.Options(cacheSharedPrefix: false, maxItemsPerBatch: 1)
        let naive = try scorer.score(items)
        let naiveStats = scorer.lastStatistics
        XCTAssertEqual(naiveStats.batches, items.count)
        XCTAssertEqual(naiveStats.sharedPrefixTokens, 0)

        scorer.options = LlamaScorer.Options(cacheSharedPrefix: false)
        let packed = try scorer.score(items)
        XCTAssertLessThan(scorer.lastStatistics.batches, items.count)

        scorer.options = LlamaScorer.Options(cacheSharedPrefix: true, maxItemsPerBatch: 1)
        let cachedOneByOne = try scorer.score(items)

        scorer.options = LlamaScorer.Options()
        let fast = try scorer.score(items)
        let fastStats = scorer.lastStatistics
        XCTAssertGreaterThan(fastStats.sharedPrefixTokens, 20, "the instruction should be cached")
        XCTAssertLessThan(fastStats.batches, items.count)
        XCTAssertLessThan(fastStats.tokensEvaluated, naiveStats.tokensEvaluated)

        let reference = naive.flatMap(\.logprob)
        for (name, run) in [("packed", packed), ("cached one by one", cachedOneByOne), ("packed+cached", fast)] {
            let diff = Fixtures.maxAbsDiff(run.flatMap(\.logprob), reference)
            print("max |log-prob \(name) - naive| = \(diff)")
            XCTAssertLessThan(diff, 1e-4, name)
            XCTAssertEqual(run.map(\.tokens), naive.map(\.tokens), name)
        }
        print("naive: \(naiveStats.tokensEvaluated) tokens in \(naiveStats.seconds) s; packed+cached: \(fastStats.tokensEvaluated) tokens in \(fastStats.seconds) s")
    }

    /// Scores do not depend on which other items share the batch (the short test items).
    func testScoresDoNotDependOnBatchNeighbours() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let together = try scorer.score(Fixtures.items)
        var alone: [ChoiceScore] = []
        for item in Fixtures.items { alone += try scorer.score([item]) }
        let diff = Fixtures.maxAbsDiff(together.flatMap(\.logprob), alone.flatMap(\.logprob))
        print("max |log-prob together - alone| = \(diff); together: \(together.map(\.meanLogprob)); alone: \(alone.map(\.meanLogprob))")
        XCTAssertLessThan(diff, 1e-4)
    }
}
