/// Hard majority vote over several runs' predictions; a tie goes to the earliest run listed
/// (as the 2024 dialogue-inference winners did).
public enum Ensemble {
    /// - throws: `EvaluationError.ensembleNeedsRuns` for fewer than 2 runs, `.differentItems` when runs differ.
    public static func hardVote(_ runs: [[Prediction]]) throws -> [Prediction] {
        guard runs.count >= 2 else { throw EvaluationError.ensembleNeedsRuns(runs.count) }
        var paired: [[Prediction]] = []
        for r in runs { paired.append(try RegressionCheck.pair(runs[0], r).1) }
        let base = try RegressionCheck.pair(runs[0], runs[0]).0
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
}
