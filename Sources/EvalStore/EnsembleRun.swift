import Evaluation
import JSON
import Store

/// `eval ensemble`: a run made by voting over several runs' predictions, recorded in the store
/// with its members, the vote and the settings reports need (breakdown, show, split) from the first.
///
///     let made = try EnsembleRun.record(in: store, members: [12, 14, 15], vote: .hard)
///     print("run-\(made.run): \(made.items) items")
public enum EnsembleRun {
    /// How the members' answers are combined.
    public enum Vote: String, CaseIterable, Sendable {
        /// One vote per run; a tie goes to the earliest run listed.
        case hard
    }

    /// What was recorded.
    public struct Made: Equatable, Sendable {
        public let run: Int
        public let items: Int
        /// Nil when the items have no gold labels.
        public let accuracy: Double?
    }

    /// Votes over `members` (run ids, most trusted first) and records the result as a finished
    /// ensemble run, in one transaction. - throws: `Ensemble` errors (items that differ between
    /// runs), `StoreError`.
    public static func record(in store: RunStore, members: [Int], vote: Vote) throws -> Made {
        let voted: [Prediction]
        switch vote {
        case .hard: voted = try Ensemble.hardVote(try members.map { try RunPredictions.load(store, run: $0) }, names: members.map { "run-\($0)" })
        }
        let first = try store.run(members[0])
        var settings: [(String, JSONValue)] = [("members", .array(members.map { .string("run-\($0)") })), ("vote", .string(vote.rawValue))]
        for k in ["breakdown", "show", "split"] { if let v = first.settings[k] { settings.append((k, v)) } }
        let accuracy = try? ClassificationReport(voted).accuracy
        let run = try store.db.transaction {
            let run = try store.beginRun(kind: .ensemble, spec: first.specName.map {
                SpecIdentity(name: $0, path: first.specPath ?? "", digest: first.specDigest ?? "", version: first.specVersion ?? 1)
            }, settings: .object(settings))
            try store.savePredictions(run: run, voted.map(RunPredictions.stored))
            try store.finishRun(run, status: .done, seconds: 0, summary: .object([("items", .number(String(voted.count))),
                                                                                 ("accuracy", accuracy.map { .number(String($0)) } ?? .null)]))
            return run
        }
        return Made(run: run, items: voted.count, accuracy: accuracy)
    }
}
