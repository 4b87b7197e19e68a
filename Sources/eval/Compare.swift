import ArgumentParser
import CommandSupport
import Reporting
import Store
import Support

extension EvalCommand {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "HTML page: two runs' metrics side by side and the items whose prediction changed.")

        @Argument(help: "The first run.") var a: String
        @Argument(help: "The second run.") var b: String

        @Option(help: ArgumentHelp("Where to write the page.", valueName: "FILE"))
        var out: String?

        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.run { store in
                let ra = try RunReport(store: store, run: try store.resolve(a, kinds: RunKind.evalKinds)), rb = try RunReport(store: store, run: try store.resolve(b, kinds: RunKind.evalKinds))
                let path = out ?? "reports/\(ra.run.name)-vs-\(rb.run.name).html"
                try AtomicFile.write(CompareReportHTML.render(ra, rb), to: path)
                print("wrote \(path)")
            }
        }
    }
}
