import Support

/// A paired bootstrap interval for the difference of a metric between two runs on the same items:
/// resample items with replacement, recompute both metrics on the same resample, and take the
/// percentile interval of the differences. Deterministic from a seed, whatever the number of cores.
public struct PairedBootstrap {
    public enum Metric: Equatable, Sendable {
        case accuracy
        case macroF1
        case recall(String)
    }

    private let labels: [String]
    private let gold: [Int32]
    private let a: [Int32]
    private let b: [Int32]

    /// `baseline` and `candidate` must be paired (same item at the same index); unlabeled items are ignored.
    public init(baseline: [Prediction], candidate: [Prediction], labels: [String]) {
        self.labels = labels
        var index: [String: Int32] = [:]
        for (i, l) in labels.enumerated() { index[l] = Int32(i) }
        var gold: [Int32] = [], a: [Int32] = [], b: [Int32] = []
        for (x, y) in zip(baseline, candidate) {
            guard let g = x.gold.flatMap({ index[$0] }) else { continue }
            gold.append(g)
            a.append(index[x.predicted] ?? -1)
            b.append(index[y.predicted] ?? -1)
        }
        self.gold = gold; self.a = a; self.b = b
    }

    public func interval(_ metric: Metric, resamples: Int = 2000, seed: UInt64 = 20_240_601, level: Double = 0.95) -> (low: Double, high: Double) {
        intervals([metric], resamples: resamples, seed: seed, level: level)[0]
    }

    /// The intervals of several metrics from the same resamples. Each item is reduced once to its
    /// cell (gold, baseline's label, candidate's label), so a resample is a count per cell and every
    /// metric is computed from those counts. Resample `r` draws from its own generator, derived
    /// from `seed` and `r`, so the result is the same on any number of cores; resamples run on all.
    public func intervals(_ metrics: [Metric], resamples: Int = 2000, seed: UInt64 = 20_240_601, level: Double = 0.95) -> [(low: Double, high: Double)] {
        let n = gold.count
        guard n > 0, resamples > 0, !metrics.isEmpty else { return metrics.map { _ in (0, 0) } }
        let width = labels.count + 1                      // a predicted label outside `labels` is the last column
        let cells = (0..<n).map { i -> Int32 in
            let pa = a[i] < 0 ? Int32(labels.count) : a[i], pb = b[i] < 0 ? Int32(labels.count) : b[i]
            return (gold[i] * Int32(width) + pa) * Int32(width) + pb
        }
        let cellCount = labels.count * width * width
        let diffs: [[Double]] = (try? Parallel.map(0..<resamples, minimumPerWorker: 16) { r -> [Double] in
            var rng = SeededRandom(seed: seed, key: "resample \(r)")
            var counts = [Int](repeating: 0, count: cellCount)
            let bound = UInt64(n)
            cells.withUnsafeBufferPointer { c in
                counts.withUnsafeMutableBufferPointer { k in
                    // An index in 0..<n by multiply-shift (Lemire): no division per draw; the bias,
                    // below n / 2^64, is far under what 2000 resamples can show.
                    for _ in 0..<n { k[Int(c[Int(rng.next().multipliedFullWidth(by: bound).high)])] += 1 }
                }
            }
            let table = Cells(counts: counts, labels: labels.count, width: width)
            return metrics.map { table.value($0, run: .candidate, labels: labels) - table.value($0, run: .baseline, labels: labels) }
        }) ?? []
        let lo = Int(((1 - level) / 2 * Double(resamples)).rounded(.down))
        let hi = min(resamples - 1, Int(((1 + level) / 2 * Double(resamples)).rounded(.up)) - 1)
        return metrics.indices.map { m in
            let sorted = diffs.map { $0[m] }.sorted()
            return (sorted[lo], sorted[hi])
        }
    }

    /// One resample as counts per (gold, baseline, candidate) cell.
    private struct Cells {
        enum Run { case baseline, candidate }
        let counts: [Int]
        let labels: Int
        let width: Int

        /// How many resampled items have gold `g` and this run's prediction `p` (`labels` = outside the label set).
        func count(gold g: Int, predicted p: Int, run: Run) -> Int {
            var total = 0
            for other in 0..<width {
                total += run == .baseline ? counts[(g * width + p) * width + other] : counts[(g * width + other) * width + p]
            }
            return total
        }

        func value(_ metric: Metric, run: Run, labels names: [String]) -> Double {
            var confusion = [[Int]](repeating: [Int](repeating: 0, count: width), count: labels)
            for g in 0..<labels { for p in 0..<width { confusion[g][p] = count(gold: g, predicted: p, run: run) } }
            let n = confusion.reduce(0) { $0 + $1.reduce(0, +) }
            switch metric {
            case .accuracy:
                return n == 0 ? 0 : Double((0..<labels).reduce(0) { $0 + confusion[$1][$1] }) / Double(n)
            case .macroF1:
                var sum = 0.0
                for l in 0..<labels {
                    let tp = confusion[l][l], actual = confusion[l].reduce(0, +)
                    let pred = (0..<labels).reduce(0) { $0 + confusion[$1][l] }
                    let precision = pred > 0 ? Double(tp) / Double(pred) : 0
                    let recall = actual > 0 ? Double(tp) / Double(actual) : 0
                    sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
                }
                return labels == 0 ? 0 : sum / Double(labels)
            case let .recall(label):
                guard let l = names.firstIndex(of: label) else { return 0 }
                let actual = confusion[l].reduce(0, +)
                return actual == 0 ? 0 : Double(confusion[l][l]) / Double(actual)
            }
        }
    }
}
