import ArgumentParser
import CommandSupport
import EvalRun
import HarnessSpec
import Store

extension EvalCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a run from predictions produced elsewhere (JSONL: id, predicted, optional gold and scores).",
            discussion: """
            Each line: {"id": "EC_M01_000123", "predicted": "clickbait", "gold": "normal", "scores": {"clickbait": -1.2, "normal": -1.9}}
            Gold labels and breakdown fields missing from the file are taken from the spec's prepared split, by id.
            """
        )

        @Argument(help: "The predictions file (JSONL).")
        var file: String

        @Option(help: "The spec the predictions belong to.")
        var spec: String

        @Option(help: "The prepared split to join by id (default: the spec's eval.split).")
        var split: String?

        @OptionGroup var store: StoreOptions

        func run() throws {
            try Failure.guarded {
                let spec = try SpecLoader.load(path: self.spec)
                let store = try RunStore(path: self.store.db)
                let o = try PredictionImport.run(file: file, spec: spec, split: split, store: store)
                print("run-\(o.run): imported \(o.items) predictions (\(o.joined) matched prepared items by id)")
            }
        }
    }
}
