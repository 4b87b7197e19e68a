import Foundation

extension Interval {
    /// The Student-t interval for the mean of `values` (95% by default): mean ± t(1 − α/2, n − 1) × s/√n,
    /// with s the sample standard deviation, as `scipy.stats.t.interval(0.95, n - 1, loc=mean, scale=sem)`.
    /// Nil with fewer than two values (no spread to measure); a zero spread gives a zero-width interval.
    public static func studentT(mean values: [Double], level: Double = 0.95) -> (low: Double, high: Double)? {
        guard values.count >= 2 else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let half = StudentT.quantile(1 - (1 - level) / 2, df: n - 1) * (variance / n).squareRoot()
        return (mean - half, mean + half)
    }
}
