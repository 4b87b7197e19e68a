import ArgumentParser
import CommandSupport
import Records
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

        @Flag(help: "One item per batch and no shared-prefix cache (the naive baseline).")
        var naive = false

        func run() throws {
            try Failure.guarded {
                let result = try ScorerBenchmark.run(tasksPath: tasks, modelPath: model, threads: threads, contextSize: ctx, naive: naive)
                print(JSONWriter.serialize(result.json))
            }
        }
    }
}
