@testable import Scoring
import XCTest

/// The token bookkeeping, without a model: expected values are worked out by hand from the
/// rules (llama-perplexity's common prefix; one KV cell per token, cell ≡ position mod 8).
final class PlanTests: XCTestCase {
    func testCommonPrefixFollowsLlamaPerplexityWithACapForSingleAndNestedChoices() throws {
        // Two choices that differ at index 3: the prefix is 3 tokens, 2 and 1 tokens scored.
        let a = try TokenizedItem(id: "a", sequences: [[1, 2, 3, 4, 5], [1, 2, 3, 9]])
        XCTAssertEqual(a.commonPrefix, 3)
        XCTAssertEqual(a.scoredCounts, [2, 1])
        XCTAssertEqual(a.requiredTokens, 4) // the prefix, then [4] for the first choice; last tokens are not evaluated
        XCTAssertEqual(a.logitRows, 2) // the last prefix token's row scores 4 and 9; 4's row scores 5
        // A single choice: everything but its last token is the prefix.
        let single = try TokenizedItem(id: "s", sequences: [[1, 2, 3]])
        XCTAssertEqual(single.commonPrefix, 2)
        XCTAssertEqual(single.scoredCounts, [1])
        // One choice's tokens are a prefix of another's: capped so both score >= 1 token.
        let nested = try TokenizedItem(id: "n", sequences: [[1, 2, 3], [1, 2, 3, 4]])
        XCTAssertEqual(nested.commonPrefix, 2)
        XCTAssertEqual(nested.scoredCounts, [1, 2])
        XCTAssertThrowsError(try TokenizedItem(id: "e", sequences: [[7], [8]])) {
            XCTAssertEqual($0 as? ScoringError, .nothingToCondition(id: "e"))
        }
    }

    func testSharedPrefixLeavesEveryItemOneOwnPrefixToken() throws {
        let items = try [
            TokenizedItem(id: "1", sequences: [[1, 2, 3, 4, 10, 11], [1, 2, 3, 4, 10, 12]]),
            TokenizedItem(id: "2", sequences: [[1, 2, 3, 4, 20, 21], [1, 2, 3, 4, 20, 22]]),
        ]
        XCTAssertEqual(ScoringPlan.sharedPrefixLength(items), 4)
        let short = try TokenizedItem(id: "3", sequences: [[1, 2, 3, 5], [1, 2, 3, 6]]) // prefix [1, 2, 3]
        XCTAssertEqual(ScoringPlan.sharedPrefixLength(items + [short]), 2)
    }

    /// Every token lands in cell `shared + batch index`. Each run must start at a position and a
    /// cell that are multiples of 8, so that every sequence's positions 8k..<8k+8 fill one aligned
    /// group of 8 cells; choices come after their item's shared run, and every token a score needs is
    /// placed exactly once per choice (a choice's last token is not: it predicts nothing).
    func testLayoutKeepsEverySequenceInAlignedGroupsOfEightCells() throws {
        var items: [TokenizedItem] = []
        for n in 0..<7 {
            let prefix = Array(1...Int32(9 + n * 3))
            items.append(try TokenizedItem(id: "\(n)", sequences: [
                prefix + Array(repeating: 100, count: 1 + n), prefix + Array(repeating: 200, count: 4 + (n * 5) % 7),
            ]))
        }
        for shared in [0, 8] {
            let layout = BatchLayout(items: items, members: Array(items.indices), shared: shared, alignment: 8)
            var index = 0
            var prefixDone = Set<Int>()
            var covered: [String: Range<Int>] = [:]
            for (padding, run) in layout.entries {
                index += padding
                XCTAssertEqual((shared + index) % 8, 0, "run \(run) starts in the middle of a group of cells")
                XCTAssertEqual(run.start % 8, 0, "run \(run) starts in the middle of a group of positions")
                if run.choice == nil { prefixDone.insert(run.item) } else if items[run.item].commonPrefix / 8 * 8 > shared {
                    XCTAssertTrue(prefixDone.contains(run.item), "choice before its prefix: \(run)")
                }
                covered["\(run.item)/\(run.choice ?? -1)"] = run.start..<run.end
                index += run.length
            }
            XCTAssertEqual(index, layout.tokenCount)
            for (i, item) in items.enumerated() {
                let split = max(shared, item.commonPrefix / 8 * 8)
                XCTAssertEqual(covered["\(i)/-1"], split > shared ? shared..<split : nil)
                for c in item.sequences.indices { XCTAssertEqual(covered["\(i)/\(c)"], split..<item.sequences[c].count - 1) }
            }
        }
    }

    func testPackingRespectsBatchSequenceAndItemLimits() throws {
        let items = try (0..<10).map { n in
            try TokenizedItem(id: "\(n)", sequences: [Array(1...20) + [Int32(100 + n)], Array(1...20) + [Int32(200 + n)]])
        }
        let plan = try ScoringPlan(items: items, contextSize: 2048, batchSize: 64, sequenceLimit: 30,
                                   cacheSharedPrefix: true, minSharedPrefix: 2, maxItemsPerBatch: .max, alignment: 8)
        XCTAssertEqual(plan.sharedPrefix, Array(1...16)) // 19 shared tokens, rounded down to 8s
        XCTAssertEqual(plan.batches.flatMap(\.members), Array(0..<10))
        for batch in plan.batches { XCTAssertLessThanOrEqual(batch.layout.tokenCount, 64) }
        let bySequences = try ScoringPlan(items: items, contextSize: 2048, batchSize: 512, sequenceLimit: 4,
                                          cacheSharedPrefix: false, minSharedPrefix: 2, maxItemsPerBatch: .max, alignment: 8)
        XCTAssertEqual(bySequences.batches.map(\.members.count), [2, 2, 2, 2, 2])
        let oneByOne = try ScoringPlan(items: items, contextSize: 2048, batchSize: 512, sequenceLimit: 30,
                                       cacheSharedPrefix: false, minSharedPrefix: 2, maxItemsPerBatch: 1, alignment: 8)
        XCTAssertEqual(oneByOne.batches.map(\.members), (0..<10).map { [$0] })
    }

    /// The bytes of a one-task file, written out from `multiple_choice_task::deserialize`.
    func testTaskFileBytesFollowLlamaPerplexityLayout() throws {
        let task = PerplexityTask(item: ChoiceItem(id: "1", prompt: "Q", choices: [" a", " bc"]), gold: 1)
        let bytes = try PerplexityTaskFile.encode([task])
        let expected: [UInt8] = [1, 0, 0, 0, 8, 0, 0, 0] // one task, at byte 8
            + [1, 0, 0, 0, 0x51] // question "Q"
            + [2, 0, 0, 0] + [1, 0, 0, 0, 0x61] + [2, 0, 0, 0, 0x62, 0x63] // answers "a", "bc"
            + [0, 0, 0, 0, 1, 0, 0, 0] // labels 0, 1
            + [0, 0, 0, 0] // mc2: no answers
        XCTAssertEqual(bytes, expected)
        XCTAssertEqual(try PerplexityTaskFile.decode(bytes), [task])
    }
}
