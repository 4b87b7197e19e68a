import ArgumentParser
import CommandSupport
import EvalRun
import HarnessSpec
import Store
import Support

extension EvalCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a run from predictions produced elsewhere (JSONL: id, predicted, optional gold and scores).",
            discussion: """
            Each line: {"id": "EC_M01_000123", "predicted": "clickbait", "gold": "normal", "scores": {"clickbait": -1.2, "normal": -1.9}}

            Lines are joined by id with the spec's prepared split, which gives the gold labels and breakdown fields. \
            Labels must be the spec's labels or their verbalisations (" 낚시성 기사" is read as clickbait); anything \
            else is refused with the line. A file sharing no id with the prepared split is refused. Ids the split does \
            not hold are left out, and where the file's "gold" disagrees with the split's, the split's is used: both \
            are warnings on stderr, and --strict turns them into errors (exit 2), for CI. A spec that was never \
            prepared can still take a file that gives "gold" on every line.
            """
        )

        @Argument(help: "The predictions file (JSONL).")
        var file: String

        @Option(help: "The spec the predictions belong to.")
        var spec: String

        @Option(help: "The prepared split to join by id (default: the spec's eval.split).")
        var split: String?

        @Flag(help: "Refuse the file (exit 2) instead of warning about unknown ids or disagreeing gold labels.")
        var strict = false

        @OptionGroup var store: StoreOptions

        func run() throws {
            try Failure.guarded {
                let spec = try SpecLoader.load(path: self.spec)
                let store = try self.store.open()
                let o = try PredictionImport.run(file: file, spec: spec, split: split, store: store, strict: strict)
                for n in o.notes { Terminal.error("note: \(n)\n") }
                for w in o.warnings { Terminal.error("warning: \(w)\n") }
                print("run-\(o.run): imported \(o.items) predictions" + (o.split.map { " (joined by id with the prepared split '\($0)')" } ?? " (gold labels from the file)"))
            }
        }
    }
}
