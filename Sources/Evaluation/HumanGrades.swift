/// What people's grades of a run say: mean grade per criterion and category,
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
}
