import CLlama
import Support

/// Scores multiple-choice items and generates text in-process with llama.cpp (CPU).
///
/// Scoring follows llama-perplexity's `--multiple-choice` convention, so results agree with it:
/// each choice is tokenized as `prompt + choice` (BOS added as the model asks), the tokens shared
/// by all of an item's choices are its common prefix, and a choice's score is the summed
/// log-softmax of each token after that prefix given everything before it.
///
/// Speed: an item's common prefix is evaluated once with its choices as parallel sequences in
/// the same batch; several items share a batch (up to `batchSize` tokens and the sequence limit);
/// only the logits that are needed are computed; and a prefix common to *all* items (an
/// instruction, few-shot examples) is evaluated once into a cache sequence and shared with every
/// item's sequences through `llama_memory_seq_cp`.
///
/// Reproducibility: a choice's log-probs do not depend on batching or caching (tests check
/// equality to the last bit): each choice gets the numbers of its sequence evaluated alone from
/// KV cell 0. That needs the default `Precision.f32` and a KV-cell layout in aligned groups of 8
/// (`BatchLayout`), bought with some padding and up to 7 repeated prefix tokens per choice;
/// `Statistics.paddingTokens` counts the padding.
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
    public enum Precision: String, Sendable {
        /// F32 KV cache and no flash attention (the default): a token's log-prob does not depend
        /// on which other tokens share its batch, so packing and caching change nothing. Use
        /// `llama-perplexity -fa off -ctk f32 -ctv f32` (and the same for llama-server) to compare.
        case f32
        /// llama.cpp's defaults (F16 KV cache, flash attention auto): half the KV memory, but the
        /// query is rounded to F16 in some kernels and which kernel runs depends on the batch, so on
        /// small models log-probs move with the batch's composition (SmolLM2-135M: up to ~0.15
        /// nats per token) and differ from `.f32` by as much (0.2 per-token mean in the tests).
        case f16
    }

    /// What the last `score` call did.
    public struct Statistics: Sendable, Equatable {
        /// Items scored.
        public var items = 0
        /// Batches decoded (the shared prefix not counted).
        public var batches = 0
        /// Tokens run through the model, the shared prefix included once.
        public var tokensEvaluated = 0
        /// Length of the cached prefix common to all items (0 when not cached).
        public var sharedPrefixTokens = 0
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
    public let precision: Precision
    public private(set) var lastStatistics = Statistics()

    /// Sequence 0 holds the shared prefix; items use 1..<paddingSequence.
    static let cacheSequence: Int32 = 0
    /// `n_seq_max`: up to 30 choice sequences per batch.
    public static let maxSequences = 32
    /// Holds the padding tokens that align tokens in the KV cache.
    static let paddingSequence = Int32(maxSequences - 1)
    /// Each sequence's positions `8k..<8k+8` fill one aligned group of 8 KV cells (see
    /// `BatchLayout`): llama.cpp's CPU attention sums over cells in such groups, and on
    /// SmolLM2-135M another grouping moves log-probs by up to ~0.2 nats, so without it a choice's
    /// score would depend on its neighbours in the batch.
    static let cellAlignment = 8

    /// Loads the model and creates a context.
    /// - Parameters:
    ///   - contextSize: KV cells shared by all sequences of a batch; an item's prompt plus all of
    ///     its choices must fit.
    ///   - batchSize: tokens per `llama_decode` call.
    /// - Throws: `ScoringError.modelNotFound`, `.notGGUF`, `.modelTooLarge`, `.modelLoadFailed`, `.contextFailed`.
    ///   - precision: KV cache and attention numerics; keep `.f32` unless memory is short.
    public init(modelPath: String, threads: Int = 2, contextSize: Int = 2048, batchSize: Int = 512,
                precision: Precision = .f32) throws {
        model = try LlamaModel(path: modelPath)
        context = try LlamaContext(model: model, threads: max(1, threads), contextSize: max(contextSize, 8),
                                   batchSize: max(1, min(batchSize, contextSize)), maxSequences: Self.maxSequences,
                                   precision: precision)
        self.precision = precision
        batch = LlamaBatch(capacity: context.contextSize, maxSequencesPerToken: context.maxSequences)
    }

    /// The model file, its architecture, size and the context settings.
    public var modelDescription: String {
        "\(model.description), ctx \(context.contextSize), batch \(context.batchSize), KV \(precision.rawValue)"
    }

    /// Context size in tokens.
    public var contextSize: Int { context.contextSize }

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
            alignment: Self.cellAlignment)
        var stats = Statistics(items: items.count, batches: plan.batches.count, sharedPrefixTokens: plan.sharedPrefix.count)

        context.clearMemory()
        if !plan.sharedPrefix.isEmpty {
            batch.clear()
            for (pos, token) in plan.sharedPrefix.enumerated() {
                batch.add(token, position: pos, sequences: [Self.cacheSequence], output: false)
            }
            try context.decode(batch) { _, _ in }
            stats.tokensEvaluated += batch.count
        }

        var sums = tokenized.map { [Double](repeating: 0, count: $0.sequences.count) }
        var usedSequences = 0
        var reported = 0
        for (members, layout) in plan.batches {
            clearItemSequences(usedSequences)
            let outputs = fill(members: members, layout: layout, items: tokenized)
            stats.paddingTokens += layout.paddingCount
            usedSequences = members.reduce(0) { $0 + tokenized[$1].sequences.count }
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
            stats.tokensEvaluated += batch.count
            progress(members.count, stats.tokensEvaluated - reported)
            reported = stats.tokensEvaluated
        }
        clearItemSequences(usedSequences)

        stats.seconds = Clock.now() - start
        lastStatistics = stats
        return zip(items, tokenized).enumerated().map { index, pair in
            ChoiceScore(logprob: sums[index], tokens: pair.1.scoredCounts, bytes: pair.0.choices.map { $0.utf8.count })
        }
    }

    /// Frees the cells of the item sequences 1...count and of the padding sequence, so that the
    /// next batch is stored contiguously right after the shared prefix.
    private func clearItemSequences(_ count: Int) {
        for s in 0..<count { context.removeSequence(Int32(s + 1)) }
        context.removeSequence(Self.paddingSequence)
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
                batch.add(item.sequences[0][0], position: paddingPosition, sequences: [Self.paddingSequence], output: false)
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
