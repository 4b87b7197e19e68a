import ArgumentParser
import CommandSupport
import EvalStore
import Evaluation
import Reporting
import Store
import Support

extension EvalCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "CI gate: fail (exit 1) when a run is significantly worse than a baseline on the same items.",
            discussion: """
            A metric (accuracy, macro-F1, and per-class recall with --max-class-drop) fails when it drops by more than \
            --max-drop AND McNemar's exact test on the paired predictions gives p < --alpha. A paired bootstrap 95% \
            interval of each difference is printed too. Runs on different items are refused (exit 2).
            """
        )

        @Argument(help: ArgumentHelp("The candidate run, e.g. run-43.", valueName: "run"))
        var runName: String

        @Option(help: "The baseline run, e.g. run-42.")
        var baseline: String

        @Option(help: "Largest allowed drop, as a fraction (0.01 = one point).")
        var maxDrop = 0.01

        @Option(help: "Significance level of McNemar's test.")
        var alpha = 0.05

        @Option(help: "Also fail on a per-class recall drop larger than this (fraction).")
        var maxClassDrop: Double?

        @Option(help: "Also fail when the expected calibration error (15 bins) rises by more than this, e.g. 0.02. Needs stored choice scores.")
        var maxEceRise: Double?

        @Option(help: ArgumentHelp("Write JUnit XML here for CI systems.", valueName: "FILE"))
        var junit: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard (0...1).contains(maxDrop) else { throw ValidationError("--max-drop is a fraction between 0 and 1, e.g. 0.01 for one point.") }
            guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1, e.g. 0.05.") }
            if let r = maxEceRise, !(0...1).contains(r) { throw ValidationError("--max-ece-rise is a fraction between 0 and 1, e.g. 0.02.") }
        }

        func run() throws {
            var failed = false
            try store.run { store in
                let cand = try store.resolve(runName, kinds: RunKind.evalKinds), base = try store.resolve(baseline, kinds: RunKind.evalKinds)
                guard cand != base else { throw CheckError.sameRun("run-\(cand)") }
                let check = RegressionCheck(maxDrop: maxDrop, alpha: alpha, maxClassDrop: maxClassDrop, maxECERise: maxEceRise)
                // Labels are all a check needs, unless it judges calibration (then the choice scores too).
                let load = maxEceRise == nil ? RunPredictions.loadLabels : RunPredictions.load
                let a = try load(store, base), b = try load(store, cand)
                for (id, p) in [(base, a), (cand, b)] where p.isEmpty {
                    throw ReportError.noPredictions(run: "run-\(id)", kind: try store.run(id).kind, status: try store.run(id).status)
                }
                let outcome = try check.run(baseline: a, candidate: b)
                print(CheckReport.table(outcome, baseline: "run-\(base)", candidate: "run-\(cand)", check: check), terminator: "")
                if let junit { try AtomicFile.write(CheckReport.junit(outcome, baseline: "run-\(base)", candidate: "run-\(cand)", check: check), to: junit) }
                failed = outcome.failed
            }
            if failed { throw ExitCode(1) }
        }
    }
}

/// `eval check` misuse.
enum CheckError: Error, CustomStringConvertible {
    case sameRun(String)
    var description: String { "the candidate and the baseline are the same run (\(self.run)); compare a new run against an earlier one" }
    var run: String { if case let .sameRun(r) = self { return r }; return "" }
}
