/// Cohen's kappa: agreement between two raters beyond what their own grade frequencies give by chance.
///
///     κ = 1 − Σᵢⱼ wᵢⱼ Oᵢⱼ / Σᵢⱼ wᵢⱼ Eᵢⱼ
///
/// O is the matrix of observed counts (rows: rater a's grade, columns: rater b's), E = (row total ×
/// column total) / n the counts expected by chance, and w the disagreement weights over the positions
/// i, j of the grades in `scale`: 1 off the diagonal (unweighted), |i − j| (linear), (i − j)² (quadratic,
/// for ordinal grades: 0 against 2 is a worse disagreement than 0 against 1). This is
/// `sklearn.metrics.cohen_kappa_score(a, b, labels=scale, weights=...)`; the committed check is
/// fixtures/metrics/make_grading.py.
public enum CohenKappa {
    public enum Weights: String, Sendable, CaseIterable { case unweighted, linear, quadratic }

    /// κ for paired grades (`a[k]` and `b[k]` are two raters' grades of item k). Nil when there are no
    /// pairs, when a grade is not in `scale`, or when chance disagreement is zero (both raters gave one
    /// and the same grade to every item: κ is 0/0, which scikit-learn reports as NaN).
    public static func kappa(_ a: [Int], _ b: [Int], scale: [Int], weights: Weights) -> Double? {
        precondition(a.count == b.count, "kappa needs paired grades")
        let k = scale.count
        guard !a.isEmpty, k >= 2 else { return nil }
        var observed = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for (x, y) in zip(a, b) {
            guard let i = scale.firstIndex(of: x), let j = scale.firstIndex(of: y) else { return nil }
            observed[i][j] += 1
        }
        let n = Double(a.count)
        let rows = observed.map { $0.reduce(0, +) }
        let columns = (0..<k).map { j in observed.reduce(0) { $0 + $1[j] } }
        var disagreement = 0.0, chance = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let w = weight(i, j, weights)
                disagreement += w * observed[i][j]
                chance += w * rows[i] * columns[j] / n
            }
        }
        guard chance > 0 else { return nil }
        return 1 - disagreement / chance
    }

    static func weight(_ i: Int, _ j: Int, _ weights: Weights) -> Double {
        switch weights {
        case .unweighted: return i == j ? 0 : 1
        case .linear: return Double(abs(i - j))
        case .quadratic: return Double((i - j) * (i - j))
        }
    }
}
