/// A contiguous run of one item's tokens: its own common prefix (shared by all of its choices)
/// or the scored tokens of one choice.
struct TokenRun: Equatable {
    /// Index of the item in the scored list.
    let item: Int
    /// The choice, or nil for the item's common prefix after the shared cache.
    let choice: Int?
    /// Positions `start..<end` of the item's sequences.
    let start: Int
    let end: Int

    var length: Int { end - start }
}

/// The order of a batch's runs and the padding before each, such that every token lands in a KV
/// cell whose index is congruent to its position modulo `alignment`.
///
/// Why: llama.cpp's CPU attention gives slightly different results for the same tokens stored at
/// other cell offsets modulo 8 (on SmolLM2-135M with an F32 cache, up to ~0.15 nats per token).
/// Storing position `p` in a cell `≡ p` makes every choice's numbers those of its sequence
/// evaluated alone from cell 0, whatever shares the batch, and so independent of packing and
/// caching. The batch starts at cell `shared` (the cached prefix fills cells `0..<shared`), and
/// is stored contiguously (the scorer frees every item cell between batches).
///
/// Runs are placed greedily: next comes the run needing the least padding; an item's prefix must
/// precede its choices (llama.cpp requires non-decreasing positions per sequence), and on ties a
/// prefix goes first, as it makes its choices available.
struct BatchLayout {
    /// Runs in batch order, each with the padding tokens placed before it.
    let entries: [(padding: Int, run: TokenRun)]
    /// Tokens in the batch, padding included.
    let tokenCount: Int
    let paddingCount: Int

    init(items: [TokenizedItem], members: [Int], shared: Int, alignment: Int) {
        var prefixes = members.map { TokenRun(item: $0, choice: nil, start: shared, end: items[$0].commonPrefix) }
        var choices: [TokenRun] = []
        var entries: [(padding: Int, run: TokenRun)] = []
        var count = 0, padding = 0
        func gap(_ run: TokenRun) -> Int {
            let d = (run.start - shared - count) % alignment
            return d < 0 ? d + alignment : d
        }
        while !prefixes.isEmpty || !choices.isEmpty {
            // Least padding first; on ties prefixes before choices, then list order.
            var best: (gap: Int, isPrefix: Bool, index: Int)?
            for (i, run) in prefixes.enumerated() where best == nil || gap(run) < best!.gap {
                best = (gap(run), true, i)
            }
            for (i, run) in choices.enumerated() where best == nil || gap(run) < best!.gap {
                best = (gap(run), false, i)
            }
            guard let pick = best else { break }
            let run = pick.isPrefix ? prefixes.remove(at: pick.index) : choices.remove(at: pick.index)
            entries.append((pick.gap, run))
            padding += pick.gap
            count += pick.gap + run.length
            if pick.isPrefix {
                let item = items[run.item]
                choices += item.sequences.indices.map {
                    TokenRun(item: run.item, choice: $0, start: item.commonPrefix, end: item.sequences[$0].count)
                }
            }
        }
        self.entries = entries
        tokenCount = count
        paddingCount = padding
    }
}
