import ArgumentParser
import CommandSupport
import EvalStore
import Evaluation
import JSON
import Store

extension EvalCommand {
    struct Ensemble: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a run by majority vote of several runs (a tie goes to the earliest run listed).")

        @Argument(help: "Two or more runs on the same items, most trusted first.")
        var runs: [String]

        @Option(help: "Voting rule (hard: one vote per run, ties to the earliest run listed).")
        var vote: Vote = .hard

        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.run { store in
                let ids = try runs.map { try store.resolve($0, kinds: RunKind.evalKinds) }
                let voted = try Evaluation.Ensemble.hardVote(try ids.map { try RunPredictions.load(store, run: $0) }, names: ids.map { "run-\($0)" })
                let first = try store.run(ids[0])
                var settings: [(String, JSONValue)] = [("members", .array(ids.map { .string("run-\($0)") })), ("vote", .string(vote.rawValue))]
                for k in ["breakdown", "show", "split"] { if let v = first.settings[k] { settings.append((k, v)) } }
                let run = try store.beginRun(kind: .ensemble, spec: first.specName.map {
                    SpecIdentity(name: $0, path: first.specPath ?? "", digest: first.specDigest ?? "", version: first.specVersion ?? 1)
                }, settings: .object(settings))
                try store.savePredictions(run: run, voted.map(RunPredictions.stored))
                let accuracy = try? ClassificationReport(voted).accuracy
                try store.finishRun(run, status: .done, seconds: 0, summary: .object([("items", .number(String(voted.count))),
                                                                                     ("accuracy", accuracy.map { .number(String($0)) } ?? .null)]))
                print("run-\(run): hard vote of \(runs.joined(separator: ", ")) over \(voted.count) items" + (accuracy.map { ", accuracy \(String(format: "%.4f", $0))" } ?? ""))
            }
        }
    }
}

import Foundation

/// `eval ensemble --vote`: only hard voting today; ArgumentParser refuses anything else.
enum Vote: String, ExpressibleByArgument, CaseIterable {
    case hard
}
