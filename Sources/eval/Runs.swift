import ArgumentParser
import CommandSupport
import Store

extension EvalCommand {
    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs (id, kind, spec, status, date).")

        @OptionGroup var store: StoreOptions

        @Option(help: "How many runs to list.")
        var limit = 20

        func run() throws {
            try Failure.guarded {
                let store = try RunStore(path: self.store.db)
                for run in try store.runs(limit: limit) {
                    print("\(run.name)\t\(run.kind)\t\(run.specName ?? "-")\t\(run.status)\t\(run.startedAt)")
                }
            }
        }
    }
}
