/// Human grades against the automatic label of a generate-mode run: does a person accept the answer
/// exactly when the mapped label is the gold one?
///
/// On each item that has a gold label and a grade on the label criterion (`eval.grading.label_criterion`,
/// default the first criterion):
/// - automatic verdict: correct when the label the answer was mapped to equals the gold label;
/// - human verdict: accepted when the item's grade (the mean of its graders' grades) is above the
///   lowest grade of the scale (on 0/1/2: above 0).
///
/// `agreement` is the share of items where the two verdicts are the same, with a Wilson 95% interval
/// (`Interval.wilson`), and `kappa` is Cohen's kappa of the two verdicts (chance-corrected). The
/// off-diagonal counts say which way they differ: `labelOnly` items are answers the mapping counted as
/// right that people rejected, `humanOnly` answers people accepted whose mapped label is wrong (often
/// an answer that names the label in words the mapping does not know).
public struct LabelAgreement: Equatable, Sendable {
    public let criterion: String
    public let items: Int
    /// Correct label, accepted by people.
    public let both: Int
    /// Correct label, rejected by people.
    public let labelOnly: Int
    /// Wrong label, accepted by people.
    public let humanOnly: Int
    /// Wrong label, rejected by people.
    public let neither: Int
    public var agreement: Double { Double(both + neither) / Double(items) }
    public var interval: (low: Double, high: Double) { Interval.wilson(successes: both + neither, trials: items) }
    /// Nil when undefined (one verdict is the same on every item on both sides).
    public let kappa: Double?

    public static func == (a: LabelAgreement, b: LabelAgreement) -> Bool {
        a.criterion == b.criterion && a.items == b.items && a.both == b.both && a.labelOnly == b.labelOnly
            && a.humanOnly == b.humanOnly && a.neither == b.neither && a.kappa == b.kappa
    }

    /// Nil when no labeled prediction has a grade on `criterion`.
    public init?(_ predictions: [Prediction], grades: [Grade], criterion: String, scale: [Int]) {
        let lowest = Double(scale.min() ?? 0)
        let human = Dictionary(uniqueKeysWithValues: Grade.itemMeans(grades, criterion: criterion).map { ($0.itemID, $0.mean > lowest) })
        var label: [Int] = [], people: [Int] = []
        for p in predictions where p.gold != nil {
            guard let accepted = human[p.id] else { continue }
            label.append(p.isCorrect ? 1 : 0)
            people.append(accepted ? 1 : 0)
        }
        guard !label.isEmpty else { return nil }
        func count(_ l: Int, _ h: Int) -> Int { zip(label, people).filter { $0 == l && $1 == h }.count }
        self.criterion = criterion
        items = label.count
        both = count(1, 1); labelOnly = count(1, 0); humanOnly = count(0, 1); neither = count(0, 0)
        kappa = CohenKappa.kappa(label, people, scale: [0, 1], weights: .unweighted)
    }
}
