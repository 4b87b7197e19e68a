import ArgumentParser
import CommandSupport
import Reporting
import Scoring
import Store
import Support

extension PrepCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "HTML page of a prep run's data: rows per class after each stage, removed rows, clusters, leakage audit, lengths, frequent words.",
            discussion: """
            With --model, also the token lengths of the final rows under that model's own tokenizer (only
            its vocabulary is loaded), per split and class, and the rows longer than the training context
            (`max_seq_length` in the spec, or --max-seq-length).

            Examples:
              bin/prep report latest
              bin/prep report run-3 --by label --text body
              bin/prep report latest --model models/SmolLM2-135M-Instruct.Q4_1.gguf --max-seq-length 1024
            """)

        @Argument(help: ArgumentHelp("The prep run, e.g. run-1.", valueName: "run"))
        var runName: String

        @Option(help: "The class field to count by (default: type, label or category, whichever the records have).")
        var by: String?

        @Option(help: "The text field whose length and words are shown (default: title, body, text or conversation).")
        var text: String?

        @Option(help: ArgumentHelp("A GGUF model whose tokenizer measures the rows in tokens.", valueName: "FILE.gguf"))
        var model: String?

        @Option(help: "The training context in tokens (default: the spec's max_seq_length); longer rows are flagged. Needs --model.")
        var maxSeqLength: Int?

        @Option(help: ArgumentHelp("Where to write the page (default reports/<run>-data.html).", valueName: "FILE"))
        var out: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if maxSeqLength != nil, model == nil { throw ValidationError("--max-seq-length needs --model (the tokenizer that counts)") }
            if let n = maxSeqLength, n <= 0 { throw ValidationError("--max-seq-length must be a positive number of tokens") }
        }

        func run() throws {
            try Failure.guarded {
                let store = try RunStore(path: self.store.db)
                let counter = try model.map { path in
                    let t = try Tokenizer(modelPath: path)
                    return DatasetReport.TokenCounter(model: path.split(separator: "/").last.map(String.init) ?? path, maxSeqLength: maxSeqLength, count: t.count)
                }
                let report = try DatasetReport(store: store, run: try store.resolve(runName, kinds: ["prep"], finished: true), by: by, text: text,
                                               tokens: counter)
                let path = out ?? "reports/\(report.run.name)-data.html"
                try AtomicFile.write(report.html(), to: path)
                print("wrote \(path)")
            }
        }
    }
}
