import ArgumentParser
import CommandSupport
import Reporting
import Store
import Support

extension PrepCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "HTML page of a prep run's data: rows per class after each stage, text lengths, frequent words per class.")

        @Argument(help: ArgumentHelp("The prep run, e.g. run-1.", valueName: "run"))
        var runName: String

        @Option(help: "The class field to count by (default: type, label or category, whichever the records have).")
        var by: String?

        @Option(help: "The text field whose length and words are shown (default: title, body, text or conversation).")
        var text: String?

        @Option(help: ArgumentHelp("Where to write the page (default reports/<run>-data.html).", valueName: "FILE"))
        var out: String?

        @OptionGroup var store: StoreOptions

        func run() throws {
            try Failure.guarded {
                let store = try RunStore(path: self.store.db)
                let report = try DatasetReport(store: store, run: try store.resolve(runName, kinds: ["prep"], finished: true), by: by, text: text)
                let path = out ?? "reports/\(report.run.name)-data.html"
                try AtomicFile.write(report.html(), to: path)
                print("wrote \(path)")
            }
        }
    }
}
