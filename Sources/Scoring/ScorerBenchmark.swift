import Records
import Support

/// Scores a llama-perplexity task file with `LlamaScorer`, for `eval bench-scorer` and
/// bench/scorer/run.sh.
///
///     let result = try ScorerBenchmark.run(tasksPath: "tasks.bin", modelPath: "model.gguf")
///     print(JSONWriter.serialize(result.json))
public enum ScorerBenchmark {
    public struct Result: Sendable, Equatable {
        public var mode: String
        public var items = 0
        public var correct = 0
        public var tokensEvaluated = 0
        public var sharedPrefixTokens = 0
        public var paddingTokens = 0
        public var batches = 0
        public var loadSeconds = 0.0
        public var scoreSeconds = 0.0

        /// Fraction of items whose best choice by mean log-prob per token is the gold one
        /// (llama-perplexity's "acc_norm" for --multiple-choice).
        public var accuracy: Double { items > 0 ? Double(correct) / Double(items) : 0 }
        public var itemsPerSecond: Double { scoreSeconds > 0 ? Double(items) / scoreSeconds : 0 }

        /// One JSON object with every field, numbers rounded to 4 decimals.
        public var json: JSONValue {
            .object([
                ("mode", .string(mode)), ("items", .number(String(items))), ("correct", .number(String(correct))),
                ("accuracy", number(accuracy)), ("tokens_evaluated", .number(String(tokensEvaluated))),
                ("shared_prefix_tokens", .number(String(sharedPrefixTokens))),
                ("padding_tokens", .number(String(paddingTokens))), ("batches", .number(String(batches))),
                ("load_s", number(loadSeconds)), ("score_s", number(scoreSeconds)),
                ("items_per_s", number(itemsPerSecond)),
            ])
        }

        private func number(_ x: Double) -> JSONValue {
            let scaled = (x * 10_000).rounded() / 10_000
            return .number(scaled.isFinite ? String(scaled) : "0")
        }
    }

    /// Scores every task of `tasksPath`.
    /// - Parameter naive: evaluate item by item without the shared-prefix cache (the baseline).
    public static func run(tasksPath: String, modelPath: String, threads: Int = 2, contextSize: Int = 2048,
                           batchSize: Int = 512, naive: Bool = false) throws -> Result {
        let tasks = try PerplexityTaskFile.read(tasksPath)
        let loadStart = Clock.now()
        let scorer = try LlamaScorer(modelPath: modelPath, threads: threads, contextSize: contextSize, batchSize: batchSize)
        if naive { scorer.options = LlamaScorer.Options(cacheSharedPrefix: false, maxItemsPerBatch: 1) }
        var result = Result(mode: naive ? "naive" : "packed+cached")
        result.loadSeconds = Clock.now() - loadStart
        let scores = try scorer.score(tasks.map(\.item))
        let stats = scorer.lastStatistics
        result.items = tasks.count
        result.correct = zip(tasks, scores).filter { $0.gold == $1.predicted }.count
        result.tokensEvaluated = stats.tokensEvaluated
        result.sharedPrefixTokens = stats.sharedPrefixTokens
        result.paddingTokens = stats.paddingTokens
        result.batches = stats.batches
        result.scoreSeconds = stats.seconds
        return result
    }
}
