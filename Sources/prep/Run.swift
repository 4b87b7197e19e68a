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
            discussion: "Unchanged stages are skipped on a rerun (inputs, spec section and code version all equal); --force redoes them."
        )

        @Argument(help: "The spec file (YAML), e.g. specs/clickbait.yaml.")
        var spec: String

        @Option(name: .customLong("data"), help: ArgumentHelp("Data folder holding the archives; overrides the spec's source.root.", valueName: "DIR"))
        var data: String?

        @Flag(help: "Redo every stage even when its cached output is intact.")
        var force = false

        @OptionGroup var store: StoreOptions

        func run() throws {
            try Failure.guarded {
                let spec = try SpecLoader.load(path: self.spec)
                let store = try RunStore(path: self.store.db)
                let report = try PrepRunner(spec: spec, store: store, options: .init(dataRoot: data, force: force, onWait: { Terminal.error("note: \($0)\n") })).run()
                print(PrepSummary.text(report, spec: spec))
            }
        }
    }
}
