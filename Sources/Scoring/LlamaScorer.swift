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
        /// small models log-probs move by up to ~0.15 nats per token with the batch's composition.
        case f16
    }

    /// What the last `score` call did.
    public struct Statistics: Sendable, Equatable {
        public var items = 0
        public var batches = 0
        /// Tokens run through the model, the shared prefix included once.
        public var tokensEvaluated = 0
        /// Length of the cached prefix common to all items (0 when not cached).
        public var sharedPrefixTokens = 0
        public var seconds = 0.0
    }

    let model: LlamaModel
    let context: LlamaContext
    private let batch: LlamaBatch
    public var options = Options()
    /// The KV cache and attention numerics chosen at init.
    public let precision: Precision
    public private(set) var lastStatistics = Statistics()

    /// Sequence 0 holds the shared prefix; items use 1..<maxSequences.
    static let cacheSequence: Int32 = 0
    /// `n_seq_max`: up to 31 choice sequences per batch.
    public static let maxSequences = 32

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
            sequenceLimit: context.maxSequences - 1, cacheSharedPrefix: options.cacheSharedPrefix,
            minSharedPrefix: options.minSharedPrefix, maxItemsPerBatch: max(1, options.maxItemsPerBatch))
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
        var done = 0
        for members in plan.batches {
            for s in 0..<usedSequences { context.removeSequence(Int32(s + 1)) }
            let outputs = fill(members: members, items: tokenized, shared: plan.sharedPrefix.count)
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
            done += members.count
            progress(done, stats.tokensEvaluated)
        }
        for s in 0..<usedSequences { context.removeSequence(Int32(s + 1)) }

        stats.seconds = Clock.now() - start
        lastStatistics = stats
        return zip(items, tokenized).enumerated().map { index, pair in
            ChoiceScore(logprob: sums[index], tokens: pair.1.scoredCounts, bytes: pair.0.choices.map { $0.utf8.count })
        }
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

    /// Fills `batch` with the items' own tokens: each item's common prefix (after the shared
    /// prefix) tagged with all of its sequences, then each choice's tokens on its own sequence.
    /// Logits are requested only for the last prefix token and the choice tokens that predict
    /// another choice token. Sequence ids start at 1.
    private func fill(members: [Int], items: [TokenizedItem], shared: Int) -> [Output] {
        batch.clear()
        var outputs: [Output] = []
        var nextSequence: Int32 = 1
        for index in members {
            let item = items[index]
            let sequences = (0..<item.sequences.count).map { nextSequence + Int32($0) }
            nextSequence += Int32(item.sequences.count)
            let prefix = item.sequences[0]
            for pos in shared..<item.commonPrefix {
                batch.add(prefix[pos], position: pos, sequences: sequences, output: pos == item.commonPrefix - 1)
            }
            outputs.append(Output(batchIndex: batch.count - 1, targets: item.sequences.indices.map {
                (index, $0, item.sequences[$0][item.commonPrefix])
            }))
            for (choice, tokens) in item.sequences.enumerated() {
                for pos in item.commonPrefix..<tokens.count {
                    let needsLogits = pos < tokens.count - 1
                    batch.add(tokens[pos], position: pos, sequences: [sequences[choice]], output: needsLogits)
                    if needsLogits {
                        outputs.append(Output(batchIndex: batch.count - 1, targets: [(index, choice, tokens[pos + 1])]))
                    }
                }
            }
        }
        return outputs
    }
}

@available(*, unavailable)
extension LlamaScorer: Sendable {}
