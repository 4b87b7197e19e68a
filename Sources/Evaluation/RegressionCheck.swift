/// The CI gate: does a candidate run do significantly worse than a baseline on the same items?
///
/// A metric fails when it drops by more than `maxDrop` AND McNemar's exact test on the paired
/// predictions gives p < `alpha`. Per-class recall limits are optional.
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

    public struct Outcome: Sendable {
        public let items: Int
        public let metrics: [Metric]
        public let mcnemar: McNemar.Result
        public let significant: Bool
        public var failed: Bool { metrics.contains(where: \.failed) }
    }

    public var maxDrop: Double
    public var alpha: Double
    public var maxClassDrop: Double?
    public var resamples: Int

    public init(maxDrop: Double = 0.01, alpha: Double = 0.05, maxClassDrop: Double? = nil, resamples: Int = 2000) {
        self.maxDrop = maxDrop
        self.alpha = alpha
        self.maxClassDrop = maxClassDrop
        self.resamples = resamples
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
        let bootstrap = PairedBootstrap(baseline: a, candidate: b, labels: labels)
        func metric(_ name: String, _ x: Double, _ y: Double, limit: Double, _ m: PairedBootstrap.Metric) -> Metric {
            Metric(name: name, baseline: x, candidate: y, interval: bootstrap.interval(m, resamples: resamples), limit: limit,
                   failed: x - y > limit && significant)
        }
        var metrics = [
            metric("accuracy", ra.accuracy, rb.accuracy, limit: maxDrop, .accuracy),
            metric("macro_f1", ra.macro.f1, rb.macro.f1, limit: maxDrop, .macroF1),
        ]
        if let classLimit = maxClassDrop {
            for (x, y) in zip(ra.rows, rb.rows) where x.support > 0 {
                metrics.append(metric("recall[\(x.label)]", x.recall, y.recall, limit: classLimit, .recall(x.label)))
            }
        }
        return Outcome(items: a.count, metrics: metrics, mcnemar: mc, significant: significant)
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
