/// Metrics per value of a breakdown field (clickbait type, part, category).
public struct Breakdown: Sendable {
    public struct Group: Sendable {
        public let value: String
        public let count: Int
        public let correct: Int
        public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
        /// How often each label was predicted in this group (detection rate for the clickbait label).
        public let predicted: [String: Int]
        public let confusion: Confusion
    }

    public let field: String
    public let groups: [Group]

    public init(field: String, predictions: [Prediction], labels: [String]) {
        self.field = field
        var by: [String: [Prediction]] = [:]
        for p in predictions { by[p.fields[field] ?? "(none)", default: []].append(p) }
        groups = by.keys.sorted().map { v in
            let ps = by[v]!
            var predicted: [String: Int] = [:]
            for p in ps { predicted[p.predicted, default: 0] += 1 }
            let labeled = ps.filter { $0.gold != nil }
            return Group(value: v, count: labeled.count, correct: labeled.filter(\.isCorrect).count, predicted: predicted,
                         confusion: Confusion(ps, labels: labels))
        }
    }
}
