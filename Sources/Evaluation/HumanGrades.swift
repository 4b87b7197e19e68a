import Store

/// What people's grades of a run say, gathered from the store: mean grade per criterion and category,
/// agreement between graders, and (generate-mode runs) agreement with the automatic label.
public struct HumanGrades: Sendable {
    public let setup: GradingSetup
    public let grades: [Grade]
    /// Grader names, sorted.
    public let graders: [String]
    /// Items with at least one grade.
    public let items: Int
    public let means: GradeMeans
    /// Every pair of graders with items in common, per criterion.
    public let agreement: [GraderAgreement]
    /// Nil unless `generate` and some labeled item has a grade on the label criterion.
    public let labels: LabelAgreement?

    public init(setup: GradingSetup, grades: [Grade], predictions: [Prediction], generate: Bool) {
        self.setup = setup
        self.grades = grades
        graders = Array(Set(grades.map(\.grader))).sorted()
        items = Set(grades.map(\.itemID)).count
        means = GradeMeans(grades, criteria: setup.criteria, scale: setup.scale)
        agreement = GraderAgreement.pairs(grades, criteria: setup.criteria, scale: setup.scale)
        labels = generate ? LabelAgreement(predictions, grades: grades, criterion: setup.labelCriterion, scale: setup.scale) : nil
    }

    /// The grades stored for a run; nil when it has none.
    public static func load(_ store: RunStore, run: Int, predictions: [Prediction], generate: Bool) throws -> HumanGrades? {
        guard let setup = try store.gradingSetup(run: run) else { return nil }
        let grades = try store.grades(run: run).map {
            Grade(itemID: $0.itemID, grader: $0.grader, criterion: $0.criterion, value: $0.grade, category: $0.category)
        }
        guard !grades.isEmpty else { return nil }
        return HumanGrades(setup: setup, grades: grades, predictions: predictions, generate: generate)
    }
}
