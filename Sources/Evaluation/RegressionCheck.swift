/// The CI gate: does a candidate run do significantly worse than a baseline on the same items?
///
/// A metric fails when it drops by more than `maxDrop` AND McNemar's exact test on the paired
/// predictions gives p < `alpha`. Per-class recall limits are optional, and so is a limit on how much
/// the expected calibration error may rise (`maxECERise`; needs stored choice scores).
public struct RegressionCheck: Sendable {
    public struct Metric: Equatable, Sendable {
        public let name: String
        public let baseline: Double
        public let candidate: Double
        public var delta: Double { candidate - baseline }
        public let interval: (low: Double, high: Double)
        /// The largest drop allowed before a significant difference fails (`maxDrop` or `maxClassDrop`).
        public let limit: Double
        public let failed: Bool
        public static func == (a: Metric, b: Metric) -> Bool {
            a.name == b.name && a.baseline == b.baseline && a.candidate == b.candidate && a.failed == b.failed
        }
    }

    /// The calibration part of a check: both runs' ECE and whether the rise exceeds the limit.
    public struct CalibrationCheck: Sendable {
        public let baseline: Double
        public let candidate: Double
        public let limit: Double
        public var rise: Double { candidate - baseline }
        public var failed: Bool { rise > limit }
    }

    public struct Outcome: Sendable {
        public let items: Int
        public let metrics: [Metric]
        public let mcnemar: McNemar.Result
        public let significant: Bool
        public var calibration: CalibrationCheck?
        public var failed: Bool { metrics.contains(where: \.failed) || (calibration?.failed ?? false) }
    }

    public var maxDrop: Double
    public var alpha: Double
    public var maxClassDrop: Double?
    public var resamples: Int
    /// How much the expected calibration error may rise (ECE points as a fraction, e.g. 0.02).
    public var maxECERise: Double?

    public init(maxDrop: Double = 0.01, alpha: Double = 0.05, maxClassDrop: Double? = nil, resamples: Int = 2000, maxECERise: Double? = nil) {
        self.maxDrop = maxDrop
        self.alpha = alpha
        self.maxClassDrop = maxClassDrop
        self.resamples = resamples
        self.maxECERise = maxECERise
    }

    /// Pairs the runs by item id and decides.
    /// - throws: `EvaluationError.differentItems` when the runs hold different items,
    ///   `.noLabeledItems` when nothing is labeled.
    public func run(baseline: [Prediction], candidate: [Prediction]) throws -> Outcome {
        let (a, b) = try Self.pair(baseline, candidate)
        guard a.contains(where: { $0.gold != nil }) else { throw EvaluationError.noLabeledItems }
        var baseOnly = 0, candOnly = 0
        for (x, y) in zip(a, b) where x.gold != nil {
            if x.isCorrect && !y.isCorrect { baseOnly += 1 }
            if !x.isCorrect && y.isCorrect { candOnly += 1 }
        }
        let mc = McNemar.test(baselineOnly: baseOnly, candidateOnly: candOnly)
        let significant = mc.pValue < alpha
        let labels = Array(Set(a.compactMap(\.gold) + a.map(\.predicted) + b.map(\.predicted))).sorted()
        let ra = ClassificationReport(confusion: Confusion(a, labels: labels))
        let rb = ClassificationReport(confusion: Confusion(b, labels: labels))
        var planned: [(name: String, x: Double, y: Double, limit: Double, metric: PairedBootstrap.Metric)] = [
            ("accuracy", ra.accuracy, rb.accuracy, maxDrop, .accuracy),
            ("macro_f1", ra.macro.f1, rb.macro.f1, maxDrop, .macroF1),
        ]
        if let classLimit = maxClassDrop {
            for (x, y) in zip(ra.rows, rb.rows) where x.support > 0 {
                planned.append(("recall[\(x.label)]", x.recall, y.recall, classLimit, .recall(x.label)))
            }
        }
        // Every interval from the same resamples, in one pass.
        let intervals = PairedBootstrap(baseline: a, candidate: b, labels: labels).intervals(planned.map(\.metric), resamples: resamples)
        let metrics = zip(planned, intervals).map { p, interval in
            Metric(name: p.name, baseline: p.x, candidate: p.y, interval: interval, limit: p.limit, failed: p.x - p.y > p.limit && significant)
        }
        var outcome = Outcome(items: a.count, metrics: metrics, mcnemar: mc, significant: significant)
        if let limit = maxECERise {
            guard let ca = Calibration(a, labels: labels), let cb = Calibration(b, labels: labels) else { throw EvaluationError.noScores }
            outcome.calibration = CalibrationCheck(baseline: ca.ece, candidate: cb.ece, limit: limit)
        }
        return outcome
    }

    /// The two runs' predictions in the same item order. - throws: when the item sets differ.
    public static func pair(_ a: [Prediction], _ b: [Prediction]) throws -> ([Prediction], [Prediction]) {
        let byID = Dictionary(b.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let idsA = Set(a.map(\.id))
        let onlyA = a.filter { byID[$0.id] == nil }.map(\.id)
        let onlyB = b.filter { !idsA.contains($0.id) }.map(\.id)
        guard onlyA.isEmpty, onlyB.isEmpty else {
            throw EvaluationError.differentItems(onlyInA: onlyA.count, onlyInB: onlyB.count, examples: Array((onlyA + onlyB).prefix(3)))
        }
        let sorted = a.sorted { $0.id < $1.id }
        return (sorted, sorted.map { byID[$0.id]! })
    }
}
