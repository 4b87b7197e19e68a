/// A contiguous run of one item's tokens: the part of its common prefix that all of its choices
/// share in the KV cache, or one choice's own tokens.
struct TokenRun: Equatable {
    /// Index of the item in the scored list.
    let item: Int
    /// The choice, or nil for the shared part of the item's prefix.
    let choice: Int?
    /// Positions `start..<end` of the item's sequences.
    let start: Int
    let end: Int

    var length: Int { end - start }
}

/// Where a batch's tokens go in the KV cache, chosen so that every choice gets bit-for-bit the
/// numbers it gets when its sequence is evaluated alone from cell 0.
///
/// Why: llama.cpp's CPU attention sums over KV cells in aligned groups of 8 (the SIMD width of
/// its F32 kernels), and this model turns the last-bit differences of another grouping into
/// log-prob changes of up to ~0.2 nats. So each sequence's positions `8k..<8k+8` must fill one
/// aligned group of 8 cells, as they do when the sequence is alone. Hence:
/// - the shared cache prefix (cells `0..<shared`) is a multiple of `alignment` long;
/// - an item's shared run covers positions `shared..<split`, where `split` is its common prefix
///   rounded down to a multiple of `alignment`;
/// - each choice's run covers `split..<count - 1` (its last token is never evaluated: it predicts
///   nothing), i.e. it repeats the at most `alignment - 1` prefix tokens after `split` (costing
///   a few duplicate tokens instead of a broken group); an empty run is left out;
/// - every run starts at a batch offset that is a multiple of `alignment` (padding before it).
/// Other sequences' cells in a group are masked out and add exact zeros.
///
/// With `alignment` 1 (llama.cpp's default numerics, where packing moves log-probs anyway) there
/// is no padding and no repeated token: every run is placed right after the previous one.
struct BatchLayout {
    /// Runs in batch order, each with the padding tokens placed before it.
    let entries: [(padding: Int, run: TokenRun)]
    /// Tokens in the batch, padding and repeated prefix tokens included.
    let tokenCount: Int
    let paddingCount: Int

    /// Where the item's choices stop sharing cells: its common prefix rounded down to `alignment`
    /// (never below the cached prefix).
    static func split(_ item: TokenizedItem, shared: Int, alignment: Int) -> Int {
        max(shared, item.commonPrefix / alignment * alignment)
    }

    init(items: [TokenizedItem], members: [Int], shared: Int, alignment: Int) {
        var entries: [(padding: Int, run: TokenRun)] = []
        var count = 0, padding = 0
        func place(_ run: TokenRun) {
            let gap = (alignment - count % alignment) % alignment
            entries.append((gap, run))
            padding += gap
            count += gap + run.length
        }
        for index in members {
            let item = items[index]
            let split = Self.split(item, shared: shared, alignment: alignment)
            if split > shared { place(TokenRun(item: index, choice: nil, start: shared, end: split)) }
            for (choice, tokens) in item.sequences.enumerated() where tokens.count - 1 > split {
                place(TokenRun(item: index, choice: choice, start: split, end: tokens.count - 1))
            }
        }
        self.entries = entries
        tokenCount = count
        paddingCount = padding
    }
}
