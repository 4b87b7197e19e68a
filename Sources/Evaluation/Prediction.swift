/// One scored item: its id, gold and predicted labels, per-choice scores, and fields used for breakdowns.
public struct Prediction: Equatable, Sendable {
    public var id: String
    /// Nil for unlabeled items (they count in predicted distributions, not in accuracy).
    public var gold: String?
    public var predicted: String
    /// Score per label (e.g. mean log-probability), when the scorer gave them.
    public var scores: [String: Double]
    /// Breakdown fields (`type`, `part`, `category`, `title`, ...).
    public var fields: [String: String]

    public init(id: String, gold: String?, predicted: String, scores: [String: Double] = [:], fields: [String: String] = [:]) {
        self.id = id
        self.gold = gold
        self.predicted = predicted
        self.scores = scores
        self.fields = fields
    }

    public var isCorrect: Bool { gold == predicted }
}

/// Errors from metric and comparison code.
public enum EvaluationError: Error, Equatable, CustomStringConvertible {
    /// Two runs that do not hold predictions for the same items.
    case differentItems(onlyInA: Int, onlyInB: Int, examples: [String])
    /// Nothing to compute on.
    case noLabeledItems
    /// A calibration limit on runs without stored choice scores.
    case noScores
    /// A training log that cannot be read.
    case badLog(file: String, detail: String)
    /// Too few runs for an ensemble.
    case ensembleNeedsRuns(Int)
    /// Ensemble members that do not hold the first member's items.
    case ensembleItemsDiffer(first: String, gaps: [Ensemble.Gap])

    public var description: String {
        switch self {
        case let .differentItems(a, b, examples):
            return "the runs were scored on different items (\(a) only in the baseline, \(b) only in the candidate, e.g. \(examples.joined(separator: ", "))); compare runs of the same spec, split and limit"
        case .noScores: return "--max-ece-rise needs the choice scores of both runs (eval score stores them; an import without scores or a generate-mode run has none)"
        case .noLabeledItems: return "no item has a gold label, so there is nothing to measure (an unlabeled split gives only the predicted distribution)"
        case let .badLog(file, detail): return "\(file): cannot read the training log: \(detail)"
        case let .ensembleNeedsRuns(n): return "an ensemble needs at least 2 runs (got \(n))"
        case let .ensembleItemsDiffer(first, gaps):
            func some(_ ids: [String]) -> String { ids.prefix(3).joined(separator: ", ") + (ids.count > 3 ? ", ..." : "") }
            let parts = gaps.map { g in
                ([g.missing.isEmpty ? nil : "lacks \(g.missing.count) of \(first)'s items (e.g. \(some(g.missing)))",
                  g.extra.isEmpty ? nil : "has \(g.extra.count) \(g.extra.count == 1 ? "item" : "items") that \(first) lacks (e.g. \(some(g.extra)))"]
                    .compactMap { $0 }).joined(separator: " and ")
            }
            return "the runs to combine do not hold the same items: " + zip(gaps, parts).map { "\($0.run) \($1)" }.joined(separator: "; ")
                + "; an ensemble needs runs scored on the same spec, split and limit"
        }
    }
}
