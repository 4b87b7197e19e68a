import Foundation

/// McNemar's exact test on paired predictions: do two models err on different items more often
/// than chance allows? Uses the two-sided binomial test on the discordant pairs (b, c), as
/// `statsmodels.stats.contingency_tables.mcnemar(exact=True)` does.
public enum McNemar {
    public struct Result: Equatable, Sendable {
        /// Items the baseline got right and the candidate wrong.
        public let baselineOnly: Int
        /// Items the candidate got right and the baseline wrong.
        public let candidateOnly: Int
        public let pValue: Double
    }

    public static func test(baselineOnly b: Int, candidateOnly c: Int) -> Result {
        let n = b + c
        guard n > 0 else { return Result(baselineOnly: b, candidateOnly: c, pValue: 1) }
        let k = min(b, c)
        // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space for large n.
        var cdf = 0.0
        for i in 0...k { cdf += exp(logChoose(n, i) - Double(n) * log(2)) }
        return Result(baselineOnly: b, candidateOnly: c, pValue: min(1, 2 * cdf))
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
