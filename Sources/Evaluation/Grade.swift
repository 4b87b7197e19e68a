/// One grade a person gave one item on one criterion (`eval import-grades`).
public struct Grade: Equatable, Sendable {
    public var itemID: String
    public var grader: String
    public var criterion: String
    /// A value of the grading scale (`0`, `1`, `2`).
    public var value: Int
    /// The item's value of the grading category field (`type`), if the grading has one.
    public var category: String?

    public init(itemID: String, grader: String, criterion: String, value: Int, category: String? = nil) {
        self.itemID = itemID; self.grader = grader; self.criterion = criterion; self.value = value; self.category = category
    }
}

extension Grade {
    /// Each item's grade on `criterion`: the mean of its graders' grades (items, not grades, are the
    /// unit of every grade statistic, so an item graded twice does not count twice). By item id.
    public static func itemMeans(_ grades: [Grade], criterion: String) -> [(itemID: String, mean: Double, category: String?)] {
        var sums: [String: (sum: Int, count: Int, category: String?)] = [:]
        for g in grades where g.criterion == criterion {
            let s = sums[g.itemID] ?? (0, 0, g.category)
            sums[g.itemID] = (s.sum + g.value, s.count + 1, s.category ?? g.category)
        }
        return sums.sorted { $0.key < $1.key }.map { ($0.key, Double($0.value.sum) / Double($0.value.count), $0.value.category) }
    }
}
