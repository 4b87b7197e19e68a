import ArgumentParser
import CommandSupport
import JSON
import Scoring

extension EvalCommand {
    /// Used by bench/scorer/run.sh: scores a llama-perplexity `--multiple-choice` task file with the
    /// harness's scorer and prints one JSON line of figures.
    struct BenchScorer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-scorer",
            abstract: "Benchmark the scorer on a llama-perplexity --multiple-choice task file (for bench/scorer/run.sh).",
            shouldDisplay: false)

        @Option(help: ArgumentHelp("The task file (llama-perplexity's binary --multiple-choice format).", valueName: "FILE"))
        var tasks: String

        @Option(help: ArgumentHelp("The GGUF model.", valueName: "FILE"))
        var model: String

        @Option(help: "CPU threads.")
        var threads = 2

        @Option(help: "Context size in tokens.")
        var ctx = 2048

        @Option(help: "Tokens per llama_decode call (items are packed up to it).")
        var batch = 512

        @Option(help: "Tokens per graph run (n_ubatch).")
        var ubatch = 512

        @Flag(help: "One item per batch and no shared-prefix cache (the naive baseline).")
        var naive = false

        @Flag(help: "F32 KV cache without flash attention: scores bit-identical whatever the batching.")
        var exact = false

        @Option(help: ArgumentHelp("Also write each item's mean log-prob per choice, one JSON line per item.", valueName: "FILE"))
        var scores: String?

        func run() throws {
            try Failure.guarded {
                let run = try ScorerBenchmark.run(tasksPath: tasks, modelPath: model, threads: threads, contextSize: ctx,
                                                  batchSize: batch, microBatchSize: ubatch,
                                                  numerics: exact ? .exact : .standard, naive: naive)
                if let scores {
                    try ScorerBenchmark.scoreLines(run.scores).write(toFile: scores, atomically: true, encoding: .utf8)
                }
                print(JSONWriter.serialize(run.result.json))
            }
        }
    }
}
