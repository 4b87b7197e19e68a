import JSON
import Support

/// Scores a llama-perplexity task file with `LlamaScorer`, for `eval bench-scorer` and
/// bench/scorer/run.sh.
///
///     let run = try ScorerBenchmark.run(tasksPath: "tasks.bin", modelPath: "model.gguf")
///     print(JSONWriter.serialize(run.result.json))
public enum ScorerBenchmark {
    public struct Result: Sendable, Equatable {
        public var mode: String
        public var numerics: String
        public var items = 0
        public var correct = 0
        public var uniqueTokens = 0
        public var tokensEvaluated = 0
        public var logitRows = 0
        public var sharedPrefixTokens = 0
        public var paddingTokens = 0
        public var batches = 0
        public var loadSeconds = 0.0
        public var scoreSeconds = 0.0

        /// Fraction of items whose best choice by mean log-prob per token is the gold one
        /// (llama-perplexity's "acc_norm" for --multiple-choice).
        public var accuracy: Double { items > 0 ? Double(correct) / Double(items) : 0 }
        public var itemsPerSecond: Double { scoreSeconds > 0 ? Double(items) / scoreSeconds : 0 }
        /// Tokens run through the model per second of scoring.
        public var tokensPerSecond: Double { scoreSeconds > 0 ? Double(tokensEvaluated) / scoreSeconds : 0 }
        /// Padding as a fraction of the tokens evaluated.
        public var paddingFraction: Double { tokensEvaluated > 0 ? Double(paddingTokens) / Double(tokensEvaluated) : 0 }

        /// One JSON object with every field, numbers rounded to 4 decimals.
        public var json: JSONValue {
            .object([
                ("mode", .string(mode)), ("numerics", .string(numerics)), ("items", .number(String(items))),
                ("correct", .number(String(correct))), ("accuracy", number(accuracy)),
                ("unique_tokens", .number(String(uniqueTokens))), ("tokens_evaluated", .number(String(tokensEvaluated))),
                ("logit_rows", .number(String(logitRows))), ("shared_prefix_tokens", .number(String(sharedPrefixTokens))),
                ("padding_tokens", .number(String(paddingTokens))), ("padding_fraction", number(paddingFraction)),
                ("batches", .number(String(batches))), ("load_s", number(loadSeconds)), ("score_s", number(scoreSeconds)),
                ("items_per_s", number(itemsPerSecond)), ("tokens_per_s", number(tokensPerSecond)),
            ])
        }

        private func number(_ x: Double) -> JSONValue {
            let scaled = (x * 10_000).rounded() / 10_000
            return .number(scaled.isFinite ? String(scaled) : "0")
        }
    }

    /// Scores every task of `tasksPath`; returns the figures and every item's scores.
    /// - Parameter naive: evaluate item by item without the shared-prefix cache (the baseline).
    public static func run(tasksPath: String, modelPath: String, threads: Int = 2, contextSize: Int = 2048,
                           batchSize: Int = 512, microBatchSize: Int = 512, numerics: LlamaScorer.Numerics = .standard,
                           naive: Bool = false) throws -> (result: Result, scores: [ChoiceScore]) {
        let tasks = try PerplexityTaskFile.read(tasksPath)
        let loadStart = Clock.now()
        let scorer = try LlamaScorer(modelPath: modelPath, threads: threads, contextSize: contextSize, batchSize: batchSize,
                                     microBatchSize: microBatchSize, numerics: numerics)
        if naive { scorer.options = LlamaScorer.Options(cacheSharedPrefix: false, maxItemsPerBatch: 1) }
        var result = Result(mode: naive ? "naive" : "packed+cached", numerics: numerics.rawValue)
        result.loadSeconds = Clock.now() - loadStart
        let scores = try scorer.score(tasks.map(\.item))
        let stats = scorer.lastStatistics
        result.items = tasks.count
        result.correct = zip(tasks, scores).filter { $0.gold == $1.predicted }.count
        result.uniqueTokens = stats.uniqueTokens
        result.tokensEvaluated = stats.tokensEvaluated
        result.logitRows = stats.logitRows
        result.sharedPrefixTokens = stats.sharedPrefixTokens
        result.paddingTokens = stats.paddingTokens
        result.batches = stats.batches
        result.scoreSeconds = stats.seconds
        return (result, scores)
    }

    /// One JSON line per item: its mean log-prob per choice and the predicted choice.
    public static func scoreLines(_ scores: [ChoiceScore]) -> String {
        scores.map { s in
            JSONWriter.serialize(.object([
                ("mean", .array(s.meanLogprob.map { .number(String($0)) })), ("predicted", .number(String(s.predicted))),
            ]))
        }.joined(separator: "\n") + "\n"
    }
}
