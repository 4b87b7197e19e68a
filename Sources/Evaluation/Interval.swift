import Foundation

/// Confidence intervals for proportions.
public enum Interval {
    /// The Wilson score interval for a binomial proportion (95% by default): well-behaved near 0 and 1
    /// and for small samples, unlike the normal approximation.
    public static func wilson(successes k: Int, trials n: Int, z: Double = 1.959963984540054) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let p = Double(k) / Double(n), nn = Double(n)
        let denom = 1 + z * z / nn
        let center = (p + z * z / (2 * nn)) / denom
        let half = z * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom
        return (max(0, center - half), min(1, center + half))
    }
}
