/// A confusion matrix: rows are gold labels, columns predicted labels.
public struct Confusion: Equatable, Sendable {
    public let labels: [String]
    /// counts[gold][predicted]
    public let counts: [[Int]]

    /// Builds the matrix over `labels` (default: every gold and predicted label, sorted).
    public init(_ predictions: [Prediction], labels: [String]? = nil) {
        let labeled = predictions.filter { $0.gold != nil }
        let all = labels ?? Array(Set(labeled.map { $0.gold! } + labeled.map(\.predicted))).sorted()
        var index: [String: Int] = [:]
        for (i, l) in all.enumerated() { index[l] = i }
        var counts = Array(repeating: Array(repeating: 0, count: all.count), count: all.count)
        for p in labeled {
            if let g = index[p.gold!], let q = index[p.predicted] { counts[g][q] += 1 }
        }
        self.labels = all
        self.counts = counts
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { labels.indices.reduce(0) { $0 + counts[$1][$1] } }
    public func support(_ i: Int) -> Int { counts[i].reduce(0, +) }
    public func predictedCount(_ j: Int) -> Int { counts.reduce(0) { $0 + $1[j] } }
}
