import Support

/// A paired bootstrap interval for the difference of a metric between two runs on the same items:
/// resample items with replacement, recompute both metrics on the same resample, and take the
/// percentile interval of the differences. Deterministic from a seed.
public enum PairedBootstrap {
    public static func interval(baseline: [Prediction], candidate: [Prediction], resamples: Int = 2000, seed: UInt64 = 20_240_601,
                                level: Double = 0.95, metric: ([Prediction]) -> Double) -> (low: Double, high: Double) {
        let n = baseline.count
        guard n > 0, resamples > 0 else { return (0, 0) }
        var rng = SeededRandom(seed: seed)
        var diffs: [Double] = []
        diffs.reserveCapacity(resamples)
        var a: [Prediction] = [], b: [Prediction] = []
        a.reserveCapacity(n); b.reserveCapacity(n)
        for _ in 0..<resamples {
            a.removeAll(keepingCapacity: true); b.removeAll(keepingCapacity: true)
            for _ in 0..<n {
                let i = rng.below(n)
                a.append(baseline[i]); b.append(candidate[i])
            }
            diffs.append(metric(b) - metric(a))
        }
        diffs.sort()
        let lo = Int(((1 - level) / 2 * Double(resamples)).rounded(.down))
        let hi = min(resamples - 1, Int(((1 + level) / 2 * Double(resamples)).rounded(.up)) - 1)
        return (diffs[lo], diffs[hi])
    }

    /// Accuracy over labeled predictions (0 when none), fast enough for bootstrap loops.
    public static func accuracy(_ p: [Prediction]) -> Double {
        var n = 0, k = 0
        for x in p where x.gold != nil { n += 1; if x.gold == x.predicted { k += 1 } }
        return n == 0 ? 0 : Double(k) / Double(n)
    }

    /// Macro-F1 over a fixed label set.
    public static func macroF1(labels: [String]) -> ([Prediction]) -> Double {
        { ClassificationReport(confusion: Confusion($0, labels: labels)).macro.f1 }
    }
}
