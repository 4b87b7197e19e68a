import CLlama
import Support

/// Scores multiple-choice items and generates text in-process with llama.cpp (CPU).
///
/// Scoring follows llama-perplexity's `--multiple-choice` convention, so results agree with it:
/// each choice is tokenized as `prompt + choice` (BOS added as the model asks), the tokens shared
/// by all of an item's choices are its common prefix, and a choice's score is the summed
/// log-softmax of each token after that prefix given everything before it.
///
/// Speed: every token that a score depends on is evaluated once and nothing else is. An item's
/// common prefix is evaluated once with its choices as parallel sequences of the same batch; a
/// choice's last token is never evaluated (it predicts nothing); items fill batches of up to
/// `batchSize` tokens and their cells are freed and reused by the next batch; logits are
/// computed only for the last prefix token and the choice tokens that predict another one; and
/// a prefix common to *all* items (an instruction, few-shot examples) is evaluated once into a
/// cache sequence that stays alive across `score` calls (only the part that changed is
/// recomputed) and is shared with every item's sequences through `llama_memory_seq_cp`.
///
/// Numerics (`Numerics`): by default llama.cpp's own (F16 KV cache, flash attention), where a
/// choice's log-probs move slightly with the batch it is packed in. `.exact` keeps them
/// bit-identical whatever the batching and caching (F32, no flash attention, KV cells in
/// aligned groups of 8, see `BatchLayout`), bought with some padding (`Statistics.paddingTokens`)
/// and up to 7 repeated prefix tokens per choice.
///
/// Edge cases: an item with a single choice scores that choice's last token; when one choice's
/// tokens are a prefix of another's, the common prefix is shortened by one so that every choice
/// has at least one scored token (llama-perplexity would read past the shorter sequence there).
/// Nothing divides by zero: `tokens` is always at least 1 and choices may not be empty.
///
///     let scorer = try LlamaScorer(modelPath: "models/SmolLM2-135M-Instruct.Q4_1.gguf")
///     let scores = try scorer.score(items) { done, tokens in ... }
///     let best = scores[0].predicted
public final class LlamaScorer: ChoiceScoring, Generating {
    /// Tuning knobs; the defaults are the fast path.
    public struct Options: Sendable, Equatable {
        /// Evaluate the prefix common to all items once and share it (default on).
        public var cacheSharedPrefix = true
        /// The shared prefix is cached only when it has at least this many tokens.
        public var minSharedPrefix = 2
        /// At most this many items per batch (1 = llama-perplexity-like naive evaluation, item by item).
        public var maxItemsPerBatch = Int.max

        public init(cacheSharedPrefix: Bool = true, minSharedPrefix: Int = 2, maxItemsPerBatch: Int = .max) {
            self.cacheSharedPrefix = cacheSharedPrefix
            self.minSharedPrefix = minSharedPrefix
            self.maxItemsPerBatch = maxItemsPerBatch
        }
    }

    /// Numerics of attention and the KV cache.
    public enum Numerics: String, Sendable {
        /// llama.cpp's defaults (the default): F16 KV cache, flash attention. Which attention
        /// kernel runs (micro-batches of 64 tokens or more take the tiled one) and how its sums
        /// are split (tiles of 64 KV cells) depend on the batch and on where a sequence's cells
        /// lie, and this small model turns such last-bit differences into log-prob changes
        /// (SmolLM2-135M: up to ~0.2 nats on a one-token choice, usually a few hundredths), so
        /// packing moves scores a little. Compare with `llama-perplexity` at its defaults.
        case standard = "default"
        /// F32 KV cache, no flash attention, cells in aligned groups of 8: a choice's log-probs
        /// equal those of its sequence evaluated alone from KV cell 0, bit for bit, whatever the
        /// batching and caching. Compare with `llama-perplexity -fa off -ctk f32 -ctv f32`.
        case exact
    }

    /// What the last `score` call did.
    public struct Statistics: Sendable, Equatable {
        /// Items scored.
        public var items = 0
        /// Batches decoded (the shared prefix not counted).
        public var batches = 0
        /// Tokens the scores need, each counted once: the shared-prefix tokens this call computed
        /// plus every item's own prefix and its choices' tokens but the last.
        public var uniqueTokens = 0
        /// Tokens run through the model: `uniqueTokens` plus padding and, in `.exact` mode,
        /// prefix tokens repeated per choice.
        public var tokensEvaluated = 0
        /// Rows of logits computed.
        public var logitRows = 0
        /// Length of the prefix common to all items, held in the cache (0 when not cached).
        public var sharedPrefixTokens = 0
        /// Tokens of that prefix found in the cache from an earlier call (not recomputed).
        public var sharedPrefixReused = 0
        /// Padding tokens evaluated to align items in the KV cache (included in `tokensEvaluated`).
        public var paddingTokens = 0
        /// Wall time of the call, tokenization included.
        public var seconds = 0.0
    }

    let model: LlamaModel
    let context: LlamaContext
    private let batch: LlamaBatch
    public var options = Options()
    /// The KV cache and attention numerics chosen at init.
    public let numerics: Numerics
    public private(set) var lastStatistics = Statistics()
    /// The tokens held by the cache sequence, valid while `context.clearCount == cacheClearCount`.
    private var cachedPrefix: [Int32] = []
    private var cacheClearCount = -1

    /// Adapter files loaded so far, by path (a sweep switches between them without reloading).
    var loadedAdapters: [String: LlamaAdapter] = [:]
    /// The LoRA adapters applied to every score and generation (empty: the base model alone).
    public internal(set) var adapters: [LoraAdapter] = []

    /// Sequence 0 holds the shared prefix; items use 1..<paddingSequence.
    static let cacheSequence: Int32 = 0
    /// `n_seq_max`: up to 126 choice sequences per batch (llama-perplexity allows 128); fewer when
    /// `batchSize` is smaller (llama.cpp needs an output row per sequence in one batch).
    public static let maxSequences = 128
    /// Holds the padding tokens that align tokens in the KV cache (`.exact` only): the last sequence.
    private var paddingSequence: Int32 { Int32(context.maxSequences - 1) }
    /// In `.exact` mode each sequence's positions `8k..<8k+8` fill one aligned group of 8 KV cells
    /// (see `BatchLayout`): llama.cpp's CPU attention sums over cells in such groups, and on
    /// SmolLM2-135M another grouping moves log-probs by up to ~0.2 nats, so without it a choice's
    /// score would depend on its neighbours in the batch.
    static let exactAlignment = 8

    /// Loads the model and creates a context.
    /// - Parameters:
    ///   - contextSize: KV cells shared by the cached prefix and the sequences of a batch; an
    ///     item's prompt plus all of its choices must fit. Attention spans only the cells in use.
    ///   - batchSize: tokens per `llama_decode` call (items are packed up to it).
    ///   - microBatchSize: tokens per graph run (`n_ubatch`).
    ///   - numerics: `.standard` (llama.cpp's defaults) or `.exact` (bit-identical whatever the batching).
    ///   - adapters: LoRA adapters applied on top of the model (see `useAdapters`).
    /// - Throws: `ScoringError.modelNotFound`, `.notGGUF`, `.modelTooLarge`, `.modelLoadFailed`, `.contextFailed`,
    ///   `.adapterNotFound`, `.adapterNotGGUF`, `.adapterLoadFailed`.
    public init(modelPath: String, threads: Int = 2, contextSize: Int = 2048, batchSize: Int = 512,
                microBatchSize: Int = 512, numerics: Numerics = .standard, adapters: [LoraAdapter] = []) throws {
        model = try LlamaModel(path: modelPath)
        context = try LlamaContext(model: model, threads: max(1, threads), contextSize: max(contextSize, 8),
                                   batchSize: max(1, min(batchSize, contextSize)), microBatchSize: max(1, microBatchSize),
                                   maxSequences: min(Self.maxSequences, max(2, min(batchSize, contextSize))), numerics: numerics)
        self.numerics = numerics
        batch = LlamaBatch(capacity: context.contextSize, maxSequencesPerToken: context.maxSequences)
        if !adapters.isEmpty { try useAdapters(adapters) }
    }

    /// The model file, its architecture, size and the context settings.
    public var modelDescription: String {
        "\(model.description), ctx \(context.contextSize), batch \(context.batchSize), numerics \(numerics.rawValue)"
            + adapters.map { ", LoRA \($0)" }.joined()
    }

    /// Context size in tokens.
    public var contextSize: Int { context.contextSize }

    private var alignment: Int { numerics == .exact ? Self.exactAlignment : 1 }

    /// Tokens of `text` as the scorer sees it (BOS as the model asks, special tokens as plain text).
    public func tokenize(_ text: String) -> [Int32] {
        model.tokenize(text, addSpecial: true, parseSpecial: false) ?? []
    }

    public func score(_ items: [ChoiceItem], progress: (_ done: Int, _ tokens: Int) -> Void) throws -> [ChoiceScore] {
        let start = Clock.now()
        let tokenized = try items.map(tokenize(item:))
        let plan = try ScoringPlan(
            items: tokenized, contextSize: context.contextSize, batchSize: context.batchSize,
            sequenceLimit: context.maxSequences - 2, cacheSharedPrefix: options.cacheSharedPrefix,
            minSharedPrefix: options.minSharedPrefix, maxItemsPerBatch: max(1, options.maxItemsPerBatch),
            alignment: alignment)
        var stats = Statistics(items: items.count, batches: plan.batches.count, sharedPrefixTokens: plan.sharedPrefix.count)
        clearItemSequences(context.maxSequences - 2)
        try holdPrefix(plan.sharedPrefix, stats: &stats)
        stats.uniqueTokens = stats.tokensEvaluated + tokenized.reduce(0) { $0 + $1.requiredTokens - plan.sharedPrefix.count }

        var sums = tokenized.map { [Double](repeating: 0, count: $0.sequences.count) }
        var reported = 0
        for (members, layout) in plan.batches {
            let outputs = fill(members: members, layout: layout, items: tokenized)
            stats.paddingTokens += layout.paddingCount
            stats.logitRows += outputs.count
            let usedSequences = members.reduce(0) { $0 + tokenized[$1].sequences.count }
            if !plan.sharedPrefix.isEmpty {
                for s in 0..<usedSequences { context.copySequence(Self.cacheSequence, to: Int32(s + 1)) }
            }
            var next = 0
            try context.decode(batch) { chunkStart, length in
                while next < outputs.count, outputs[next].batchIndex < chunkStart + length {
                    let output = outputs[next]
                    let row = context.logits(at: output.batchIndex - chunkStart)
                    let softmax = LogSoftmax(row, count: model.vocabSize)
                    for target in output.targets {
                        sums[target.item][target.choice] += softmax.logprob(row, target.token)
                    }
                    next += 1
                }
            }
            clearItemSequences(usedSequences)
            stats.tokensEvaluated += batch.count
            progress(members.count, stats.tokensEvaluated - reported)
            reported = stats.tokensEvaluated
        }

        stats.seconds = Clock.now() - start
        lastStatistics = stats
        return zip(items, tokenized).enumerated().map { index, pair in
            ChoiceScore(logprob: sums[index], tokens: pair.1.scoredCounts, bytes: pair.0.choices.map { $0.utf8.count })
        }
    }

    /// Makes the cache sequence hold exactly `prefix` (positions `0..<count`), keeping what it
    /// already holds of it from an earlier call (rounded down to the alignment) and evaluating
    /// only the rest: a run scored in chunks computes its instruction once.
    private func holdPrefix(_ prefix: [Int32], stats: inout Statistics) throws {
        if cacheClearCount != context.clearCount {
            context.clearMemory()
            cachedPrefix = []
            cacheClearCount = context.clearCount
        }
        var keep = zip(cachedPrefix, prefix).prefix { $0 == $1 }.count
        keep = keep / alignment * alignment
        if keep < cachedPrefix.count {
            context.truncateSequence(Self.cacheSequence, from: keep)
            cachedPrefix.removeLast(cachedPrefix.count - keep)
        }
        stats.sharedPrefixReused = keep
        guard prefix.count > keep else { return }
        batch.clear()
        for pos in keep..<prefix.count {
            batch.add(prefix[pos], position: pos, sequences: [Self.cacheSequence], output: false)
        }
        do {
            try context.decode(batch) { _, _ in }
        } catch {
            context.removeSequence(Self.cacheSequence)
            cachedPrefix = []
            throw error
        }
        cachedPrefix = prefix
        stats.tokensEvaluated += batch.count
    }

    /// Frees the cells of the item sequences 1...count and of the padding sequence, so that the
    /// next batch is stored contiguously right after the shared prefix.
    private func clearItemSequences(_ count: Int) {
        for s in 0..<count { context.removeSequence(Int32(s + 1)) }
        context.removeSequence(paddingSequence)
    }

    private func tokenize(item: ChoiceItem) throws -> TokenizedItem {
        guard !item.choices.isEmpty else { throw ScoringError.noChoices(id: item.id) }
        let sequences = try item.choices.enumerated().map { index, choice -> [Int32] in
            guard !choice.isEmpty else { throw ScoringError.emptyChoice(id: item.id, index: index) }
            guard let tokens = model.tokenize(item.prompt + choice, addSpecial: true, parseSpecial: false) else {
                throw ScoringError.tokenizeFailed(id: item.id)
            }
            return tokens
        }
        return try TokenizedItem(id: item.id, sequences: sequences)
    }

    /// A batch token whose logits score one or more choice tokens.
    private struct Output {
        let batchIndex: Int
        let targets: [(item: Int, choice: Int, token: Int32)]
    }

    /// Fills `batch` as `layout` says: padding tokens (on the padding sequence), each item's
    /// shared prefix run tagged with all of its sequences, and each choice's run (the prefix tokens
    /// after the split, then the choice) on its own sequence. Logits are requested only for the
    /// last prefix token (on each choice's copy when the split leaves it to the choices) and for
    /// choice tokens that predict another choice token. Item sequences are numbered from 1 in
    /// `members` order.
    private func fill(members: [Int], layout: BatchLayout, items: [TokenizedItem]) -> [Output] {
        batch.clear()
        var firstSequence: [Int: Int32] = [:]
        var next: Int32 = 1
        for index in members {
            firstSequence[index] = next
            next += Int32(items[index].sequences.count)
        }
        var outputs: [Output] = []
        var paddingPosition = 0
        for (padding, run) in layout.entries {
            let item = items[run.item]
            for _ in 0..<padding {
                batch.add(item.sequences[0][0], position: paddingPosition, sequences: [paddingSequence], output: false)
                paddingPosition += 1
            }
            let first = firstSequence[run.item]!
            let lastPrefix = item.commonPrefix - 1
            if let choice = run.choice {
                let tokens = item.sequences[choice]
                for pos in run.start..<run.end {
                    let needsLogits = pos >= lastPrefix && pos < tokens.count - 1
                    batch.add(tokens[pos], position: pos, sequences: [first + Int32(choice)], output: needsLogits)
                    if needsLogits {
                        outputs.append(Output(batchIndex: batch.count - 1, targets: [(run.item, choice, tokens[pos + 1])]))
                    }
                }
            } else {
                let sequences = (0..<item.sequences.count).map { first + Int32($0) }
                for pos in run.start..<run.end {
                    batch.add(item.sequences[0][pos], position: pos, sequences: sequences, output: pos == lastPrefix)
                }
                if run.end == item.commonPrefix {
                    outputs.append(Output(batchIndex: batch.count - 1, targets: item.sequences.indices.map {
                        (run.item, $0, item.sequences[$0][item.commonPrefix])
                    }))
                }
            }
        }
        return outputs
    }
}

@available(*, unavailable)
extension LlamaScorer: Sendable {}
