import ArgumentParser
import CommandSupport
import Reporting
import Store
import Support

extension EvalCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a report of a run: accuracy with a 95% interval, per-class metrics, confusion by breakdown, loss curves, misclassified items.",
            discussion: "HTML goes to reports/<run>.html by default (one self-contained file that opens offline); json and md print to stdout unless --out is given."
        )

        @Argument(help: ArgumentHelp("The run, e.g. run-3.", valueName: "run"))
        var runName: String

        @Option(help: "The report's format.")
        var format: ReportFormat = .html

        @Option(help: ArgumentHelp("Where to write the report.", valueName: "FILE"))
        var out: String?

        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.run { store in
                let report = try RunReport(store: store, run: try store.resolve(runName, kinds: RunKind.evalKinds))
                let text: String
                switch format {
                case .json: text = EvalReportText.json(report)
                case .md: text = EvalReportText.markdown(report)
                case .html: text = EvalReportHTML.render(report)
                }
                if let path = out ?? (format == .html ? "reports/\(report.run.name).html" : nil) {
                    try AtomicFile.write(text, to: path)
                    print("wrote \(path)")
                } else {
                    print(text, terminator: "")
                }
            }
        }
    }
}

/// `eval report --format`: ArgumentParser lists the values in the help and refuses others.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case html, json, md
}
