/// Per-class precision, recall, F1 and support, with macro and weighted averages and accuracy,
/// following scikit-learn's `classification_report` (a zero denominator gives 0, as with
/// `zero_division=0`).
public struct ClassificationReport: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public let label: String
        public let precision: Double
        public let recall: Double
        public let f1: Double
        public let support: Int
    }

    public let rows: [Row]
    public let accuracy: Double
    public let accuracyInterval: (low: Double, high: Double)
    public let macro: Row
    public let weighted: Row
    public let total: Int
    public let correct: Int

    public static func == (a: Self, b: Self) -> Bool {
        a.rows == b.rows && a.accuracy == b.accuracy && a.macro == b.macro && a.weighted == b.weighted && a.total == b.total
    }

    /// - throws: `EvaluationError.noLabeledItems` when no prediction has a gold label.
    public init(_ predictions: [Prediction], labels: [String]? = nil) throws {
        let confusion = Confusion(predictions, labels: labels)
        guard confusion.total > 0 else { throw EvaluationError.noLabeledItems }
        self.init(confusion: confusion)
    }

    public init(confusion c: Confusion) {
        var rows: [Row] = []
        for (i, label) in c.labels.enumerated() {
            let tp = Double(c.counts[i][i])
            let predicted = Double(c.predictedCount(i)), actual = Double(c.support(i))
            let p = predicted > 0 ? tp / predicted : 0
            let r = actual > 0 ? tp / actual : 0
            let f = p + r > 0 ? 2 * p * r / (p + r) : 0
            rows.append(Row(label: label, precision: p, recall: r, f1: f, support: c.support(i)))
        }
        self.rows = rows
        total = c.total
        correct = c.correct
        accuracy = Double(c.correct) / Double(c.total)
        accuracyInterval = Interval.wilson(successes: c.correct, trials: c.total)
        let n = Double(rows.count)
        macro = Row(label: "macro avg", precision: rows.map(\.precision).reduce(0, +) / n, recall: rows.map(\.recall).reduce(0, +) / n,
                    f1: rows.map(\.f1).reduce(0, +) / n, support: c.total)
        let w = Double(c.total)
        weighted = Row(label: "weighted avg",
                       precision: rows.reduce(0) { $0 + $1.precision * Double($1.support) } / w,
                       recall: rows.reduce(0) { $0 + $1.recall * Double($1.support) } / w,
                       f1: rows.reduce(0) { $0 + $1.f1 * Double($1.support) } / w, support: c.total)
    }
}
