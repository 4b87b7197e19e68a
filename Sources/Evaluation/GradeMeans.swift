/// The mean grade per criterion, over all items and per category, each with a 95% interval.
///
/// An item's grade is the mean of its graders' grades (`Grade.itemMeans`); the mean is over items and
/// the interval is Student's t over those item grades (`Interval.studentT(mean:)`), clipped to the
/// scale's range (a t interval on a few grades of 0–2 can reach past 2, where no mean can be).
/// Nil interval with fewer than two graded items.
public struct GradeMeans: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public let criterion: String
        /// Nil for the row over all items.
        public let category: String?
        public let items: Int
        public let mean: Double
        public let low: Double?
        public let high: Double?
    }

    /// Per criterion (in order): the row over all items, then one per category value (sorted).
    public let rows: [Row]

    public init(_ grades: [Grade], criteria: [String], scale: [Int]) {
        let lowest = Double(scale.min() ?? 0), highest = Double(scale.max() ?? 0)
        func row(_ criterion: String, _ category: String?, _ values: [Double]) -> Row {
            let interval = Interval.studentT(mean: values)
            return Row(criterion: criterion, category: category, items: values.count, mean: values.reduce(0, +) / Double(values.count),
                       low: interval.map { max(lowest, $0.low) }, high: interval.map { min(highest, $0.high) })
        }
        var rows: [Row] = []
        for criterion in criteria {
            let items = Grade.itemMeans(grades, criterion: criterion)
            guard !items.isEmpty else { continue }
            rows.append(row(criterion, nil, items.map(\.mean)))
            let categories = Set(items.compactMap(\.category)).sorted()
            for c in categories { rows.append(row(criterion, c, items.filter { $0.category == c }.map(\.mean))) }
        }
        self.rows = rows
    }
}
