import Foundation
/// Hard majority vote over several runs' predictions; a tie goes to the earliest run listed
/// (as the 2024 dialogue-inference winners did).
public enum Ensemble {
    /// How one member's items differ from the first member's.
    public struct Gap: Equatable, Sendable {
        public let run: String
        /// Items of the first run this one lacks, and items it has that the first run lacks.
        public let missing: [String]
        public let extra: [String]
    }

    /// - parameter names: the runs' names for messages (default `run 1`, `run 2`, ...).
    /// - throws: `EvaluationError.ensembleNeedsRuns` for fewer than 2 runs, `.ensembleItemsDiffer`
    ///   naming which runs lack which items when they were not all made on the same items.
    public static func hardVote(_ runs: [[Prediction]], names: [String]? = nil) throws -> [Prediction] {
        guard runs.count >= 2 else { throw EvaluationError.ensembleNeedsRuns(runs.count) }
        let names = names ?? runs.indices.map { "run \($0 + 1)" }
        let gaps = gaps(runs, names: names)
        guard gaps.isEmpty else { throw EvaluationError.ensembleItemsDiffer(first: names[0], gaps: gaps) }
        let base = runs[0].sorted { $0.id < $1.id }
        let paired = runs.map { r -> [Prediction] in
            let byID = Dictionary(r.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            return base.map { byID[$0.id]! }
        }
        return base.indices.map { i in
            var votes: [String: Int] = [:]
            var firstSeen: [String: Int] = [:]
            for (k, run) in paired.enumerated() {
                let label = run[i].predicted
                votes[label, default: 0] += 1
                if firstSeen[label] == nil { firstSeen[label] = k }
            }
            let best = votes.max { x, y in x.value != y.value ? x.value < y.value : firstSeen[x.key]! > firstSeen[y.key]! }!.key
            var p = base[i]
            p.predicted = best
            p.scores = [:]
            return p
        }
    }

    /// Each member's differences from the first member, by sorted item id.
    static func gaps(_ runs: [[Prediction]], names: [String]) -> [Gap] {
        let first = Set(runs[0].map(\.id))
        return runs.indices.dropFirst().compactMap { k in
            let ids = Set(runs[k].map(\.id))
            let gap = Gap(run: k < names.count ? names[k] : "run \(k + 1)", missing: first.subtracting(ids).sorted(), extra: ids.subtracting(first).sorted())
            return gap.missing.isEmpty && gap.extra.isEmpty ? nil : gap
        }
    }
}
