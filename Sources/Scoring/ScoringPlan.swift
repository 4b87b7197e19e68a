/// One item after tokenization, with llama-perplexity's shared-prefix bookkeeping.
struct TokenizedItem {
    let id: String
    /// `tokenize(prompt + choice)` for each choice, BOS included when the model adds one.
    let sequences: [[Int32]]
    /// Tokens shared by all choices and evaluated once; the scored tokens of choice `c` are
    /// `sequences[c][commonPrefix...]`.
    let commonPrefix: Int

    /// Applies llama-perplexity's rule (`multiple_choice_prepare_one_task`): the common prefix is
    /// the longest token prefix shared by all choices, here capped at the shortest sequence's length
    /// minus one so that every choice keeps at least one scored token. That cap only matters
    /// for a single choice (its last token is scored) or when one choice's tokens are a prefix of
    /// another's, where llama-perplexity would read past the end of the shorter sequence.
    init(id: String, sequences: [[Int32]]) throws {
        guard let first = sequences.first else { throw ScoringError.noChoices(id: id) }
        let minLength = sequences.map(\.count).min() ?? 0
        var prefix = 0
        while prefix < minLength, sequences.allSatisfy({ $0[prefix] == first[prefix] }) { prefix += 1 }
        prefix = min(prefix, minLength - 1)
        guard prefix >= 1 else { throw ScoringError.nothingToCondition(id: id) }
        self.id = id
        self.sequences = sequences
        commonPrefix = prefix
    }

    /// Tokens (and KV cells) needed to score the item without any cache: the common prefix once
    /// plus every choice's own tokens but its last. A choice's last token is only ever a target
    /// (nothing is predicted from it), so it is never evaluated — llama-perplexity evaluates it.
    var requiredTokens: Int { commonPrefix + sequences.reduce(0) { $0 + $1.count - 1 - commonPrefix } }

    /// Rows of logits the scores need: the last prefix token's, and one per choice token that
    /// predicts another choice token.
    var logitRows: Int { 1 + sequences.reduce(0) { $0 + $1.count - 1 - commonPrefix } }

    /// Number of scored tokens of each choice.
    var scoredCounts: [Int] { sequences.map { $0.count - commonPrefix } }
}

/// How a list of items is evaluated: an optional prefix common to all items that is evaluated
/// once into the cache sequence, and the items packed into batches laid out for the KV cache.
struct ScoringPlan {
    /// Tokens shared by every item (positions `0..<count`), evaluated once into sequence 0;
    /// empty when the cache is off or not worth it.
    let sharedPrefix: [Int32]
    /// Item indices of each batch, in order, and the batch's layout.
    let batches: [(members: [Int], layout: BatchLayout)]

    /// - Parameters:
    ///   - sequenceLimit: sequences available to items in one batch.
    ///   - minSharedPrefix: the cache is used only when the shared prefix has at least this many tokens.
    ///   - alignment: see `BatchLayout`; the shared prefix is rounded down to a multiple of it, and
    ///     the layout's padding and repeated tokens count against `batchSize` and `contextSize`.
    init(items: [TokenizedItem], contextSize: Int, batchSize: Int, sequenceLimit: Int,
         cacheSharedPrefix: Bool, minSharedPrefix: Int, maxItemsPerBatch: Int, alignment: Int) throws {
        for item in items {
            if item.sequences.count > sequenceLimit {
                throw ScoringError.tooManyChoices(id: item.id, count: item.sequences.count, limit: sequenceLimit)
            }
            if item.requiredTokens > contextSize {
                throw ScoringError.promptTooLong(id: item.id, tokens: item.requiredTokens, contextSize: contextSize)
            }
        }
        // Rounded down to whole groups of `alignment` cells (see BatchLayout).
        let shared = cacheSharedPrefix ? Self.sharedPrefixLength(items) / max(alignment, 1) * max(alignment, 1) : 0
        sharedPrefix = shared >= max(minSharedPrefix, 1) ? Array(items[0].sequences[0][0..<shared]) : []
        let cached = sharedPrefix.count

        var batches: [(members: [Int], layout: BatchLayout)] = []
        var current: [Int] = []
        var layout: BatchLayout?
        var sequences = 0
        for (index, item) in items.enumerated() {
            if let open = layout {
                if sequences + item.sequences.count <= sequenceLimit, current.count < maxItemsPerBatch {
                    let grown = BatchLayout(items: items, members: current + [index], shared: cached, alignment: alignment)
                    if grown.tokenCount <= batchSize, cached + grown.tokenCount <= contextSize {
                        current.append(index)
                        layout = grown
                        sequences += item.sequences.count
                        continue
                    }
                }
                batches.append((current, open))
            }
            // A new batch; a lone item always fits (it may exceed batchSize: it is decoded in chunks).
            current = [index]
            sequences = item.sequences.count
            var alone = BatchLayout(items: items, members: current, shared: cached, alignment: alignment)
            if cached + alone.tokenCount > contextSize {
                alone = BatchLayout(items: items, members: current, shared: cached, alignment: 1)
            }
            layout = alone
        }
        if let open = layout { batches.append((current, open)) }
        self.batches = batches
    }

    /// The longest token prefix common to all items, leaving every item at least one token of its
    /// own common prefix: the logits of an item's last prefix token score its first choice tokens,
    /// so that token is always evaluated in the item's batch.
    static func sharedPrefixLength(_ items: [TokenizedItem]) -> Int {
        guard let first = items.first?.sequences.first else { return 0 }
        var length = items.map { $0.commonPrefix - 1 }.min() ?? 0
        for item in items.dropFirst() {
            let other = item.sequences[0]
            var k = 0
            while k < length, other[k] == first[k] { k += 1 }
            length = k
            if length == 0 { break }
        }
        return length
    }
}
