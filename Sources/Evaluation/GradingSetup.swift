/// How a run is graded by people: the spec's `eval.grading` as it was when the grades were imported.
public struct GradingSetup: Equatable, Sendable {
    /// Criterion names, in the spec's order (`accuracy`, `detail`).
    public let criteria: [String]
    /// The allowed grades, ascending (`0, 1, 2`).
    public let scale: [Int]
    /// The field grades are broken down by (`type`), if any.
    public let category: String?
    /// The criterion compared with the automatic label of a generate-mode run.
    public let labelCriterion: String

    public init(criteria: [String], scale: [Int], category: String?, labelCriterion: String) {
        self.criteria = criteria; self.scale = scale; self.category = category; self.labelCriterion = labelCriterion
    }
}
