import Foundation

/// Student's t distribution: its CDF through the regularized incomplete beta function, and its
/// quantiles by bisection on the CDF (checked against `scipy.stats.t.ppf` in GradeMeansTests).
public enum StudentT {
    /// P(T ≤ t) for `df` degrees of freedom.
    public static func cdf(_ t: Double, df: Double) -> Double {
        let tail = 0.5 * IncompleteBeta.regularized(x: df / (df + t * t), a: df / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = p, e.g. `quantile(0.975, df: 9)` ≈ 2.262.
    public static func quantile(_ p: Double, df: Double) -> Double {
        precondition(p > 0 && p < 1 && df > 0, "quantile needs 0 < p < 1 and df > 0")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, df: df) }
        var low = 0.0, high = 1.0
        while cdf(high, df: df) < p { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid, df: df) < p { low = mid } else { high = mid }
            if high - low <= 1e-13 * max(1, high) { break }
        }
        return (low + high) / 2
    }
}

/// I_x(a, b), the regularized incomplete beta function, by its continued fraction (modified Lentz).
enum IncompleteBeta {
    static func regularized(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logGammas + logPowers)
        // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) { return front * fraction(x: x, a: a, b: b) / a }
        return 1 - front * fraction(x: 1 - x, a: b, b: a) / b
    }

    private static func fraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...500 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
