import ArgumentParser
import CommandSupport
import Store

extension PrepCommand {
    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List prep runs and their stages.")

        @OptionGroup var store: StoreOptions

        @Option(help: "How many runs to list.")
        var limit = 10

        func run() throws {
            try store.run { store in
                for run in try store.runs(limit: limit, kind: .prep) {
                    print("\(run.name)  \(run.specName ?? "-")  \(run.specPath ?? "-")@\(run.specDigest?.prefix(8) ?? "-")  \(run.status)  \(run.startedAt)")
                    if run.status == .failed, let why = run.summary["error"]?.scalarText { print("    error: \(why)") }
                    for s in try store.stages(run: run.id) {
                        print("    \(s.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(s.rowsIn) -> \(s.rowsOut)\(s.skipped ? "  (cached)" : "")")
                    }
                }
            }
        }
    }
}
