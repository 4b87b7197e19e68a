import Foundation

/// How well a run's confidence matches its accuracy. An item's confidence in a label is the softmax
/// of the stored choice scores over the labels (for `normalize: mean`, of the mean log-probs); the
/// confidence of a prediction is that of the predicted label.
///
/// - ECE: items binned by confidence into 15 equal-width bins ([0, 1/15), [1/15, 2/15), ...,
///   [14/15, 1]), then Σ (bin items / all items) × |bin accuracy − bin mean confidence|.
/// - Brier score (multi-class): the mean over items of Σ over labels (p − 1[label = gold])²; for two
///   labels it is twice scikit-learn's `brier_score_loss` on the positive class.
/// - The reliability diagram plots each non-empty bin's accuracy against its mean confidence, the
///   points scikit-learn's `calibration_curve(correct, confidence, n_bins=15)` gives.
///
/// Only labeled items with a score for every label count; nil when there are none (imported runs
/// without scores, generate mode).
public struct Calibration: Equatable, Sendable {
    public static let binCount = 15

    public struct Bin: Equatable, Sendable {
        public let lower: Double
        public let upper: Double
        public let count: Int
        public let accuracy: Double
        public let confidence: Double
    }

    public let items: Int
    public let ece: Double
    public let brier: Double
    /// Non-empty bins, lowest first.
    public let bins: [Bin]

    public init?(_ predictions: [Prediction], labels: [String]) {
        guard labels.count >= 2 else { return nil }
        var counts = [Int](repeating: 0, count: Self.binCount)
        var correct = [Int](repeating: 0, count: Self.binCount)
        var confidence = [Double](repeating: 0, count: Self.binCount)
        var brier = 0.0
        var n = 0
        for p in predictions {
            guard let gold = p.gold, labels.contains(gold) else { continue }
            let scores = labels.compactMap { p.scores[$0] }
            guard scores.count == labels.count, scores.allSatisfy(\.isFinite) else { continue }
            let probs = Self.softmax(scores)
            for (label, q) in zip(labels, probs) {
                let y = label == gold ? 1.0 : 0.0
                brier += (q - y) * (q - y)
            }
            guard let k = labels.firstIndex(of: p.predicted) else { continue }
            let c = probs[k]
            let b = Self.bin(of: c)
            counts[b] += 1
            confidence[b] += c
            if p.predicted == gold { correct[b] += 1 }
            n += 1
        }
        guard n > 0 else { return nil }
        items = n
        self.brier = brier / Double(n)
        var bins: [Bin] = []
        var ece = 0.0
        for b in 0..<Self.binCount where counts[b] > 0 {
            let acc = Double(correct[b]) / Double(counts[b]), conf = confidence[b] / Double(counts[b])
            ece += Double(counts[b]) / Double(n) * abs(acc - conf)
            bins.append(Bin(lower: Double(b) / Double(Self.binCount), upper: Double(b + 1) / Double(Self.binCount),
                            count: counts[b], accuracy: acc, confidence: conf))
        }
        self.ece = ece
        self.bins = bins
    }

    /// The bin of a confidence: the number of inner edges k/15 (k = 1...14) at or below it.
    static func bin(of c: Double) -> Int {
        var b = 0
        for k in 1..<binCount where c >= Double(k) / Double(binCount) { b = k }
        return b
    }

    static func softmax(_ x: [Double]) -> [Double] {
        let m = x.max() ?? 0
        let e = x.map { Foundation.exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}
