import ArgumentParser
import CommandSupport
import HarnessSpec
import Prep
import Store
import Support

extension PrepCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the archives, run the spec's stages, and write JSONL/CSV per split.",
            discussion: "The stages run in memory; only the ingest's records (records.jsonl) and the final outputs are written (--keep-stages writes every stage, and records.csv). A rerun of an unchanged spec on unchanged data skips everything; --force redoes it."
        )

        @Argument(help: "The spec file (YAML), e.g. specs/clickbait.yaml.")
        var spec: String

        @Option(name: .customLong("data"), help: ArgumentHelp("Data folder holding the archives; overrides the spec's source.root.", valueName: "DIR"))
        var data: String?

        @Flag(help: "Redo every stage even when its cached output is intact.")
        var force = false

        @Flag(help: "Also write each stage's rows to <outputs.dir>/stages/NN-<stage>.jsonl, to inspect them, and the ingest's records to records.csv when the outputs include CSV; a rerun that changes a later stage then starts from the newest matching file.")
        var keepStages = false

        @OptionGroup var store: StoreOptions

        func run() throws {
            try Failure.guarded {
                let spec = try SpecLoader.load(path: self.spec)
                let store = try self.store.open()
                let report = try PrepRunner(spec: spec, store: store, options: .init(dataRoot: data, force: force, keepStages: keepStages, onWait: { Terminal.error("note: \($0)\n") })).run()
                print(PrepSummary.text(report, spec: spec))
            }
        }
    }
}
