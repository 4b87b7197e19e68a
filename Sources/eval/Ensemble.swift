import ArgumentParser
import CommandSupport
import EvalStore
import Store

extension EvalCommand {
    struct Ensemble: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a run by majority vote of several runs (a tie goes to the earliest run listed).")

        @Argument(help: "Two or more runs on the same items, most trusted first.")
        var runs: [String]

        @Option(help: "Voting rule (hard: one vote per run, ties to the earliest run listed).")
        var vote: EnsembleRun.Vote = .hard

        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.run { store in
                let ids = try runs.map { try store.resolve($0, kinds: RunKind.evalKinds) }
                let made = try EnsembleRun.record(in: store, members: ids, vote: vote)
                print("run-\(made.run): hard vote of \(runs.joined(separator: ", ")) over \(made.items) items"
                      + (made.accuracy.map { ", accuracy \(String(format: "%.4f", $0))" } ?? ""))
            }
        }
    }
}

import Foundation

/// `eval ensemble --vote`: only hard voting today; ArgumentParser refuses anything else.
extension EnsembleRun.Vote: ExpressibleByArgument {}
