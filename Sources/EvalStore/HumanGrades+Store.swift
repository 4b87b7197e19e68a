import Evaluation
import Store

extension HumanGrades {
    /// The grades stored for a run (`eval import-grades`); nil when it has none.
    /// - throws: `StoreError`.
    public static func load(_ store: RunStore, run: Int, predictions: [Prediction], generate: Bool) throws -> HumanGrades? {
        guard let stored = try store.gradingSetup(run: run) else { return nil }
        let grades = try store.grades(run: run).map {
            Grade(itemID: $0.itemID, grader: $0.grader, criterion: $0.criterion, value: $0.grade, category: $0.category)
        }
        guard !grades.isEmpty else { return nil }
        let setup = GradingSetup(criteria: stored.criteria, scale: stored.scale, category: stored.category, labelCriterion: stored.labelCriterion)
        return HumanGrades(setup: setup, grades: grades, predictions: predictions, generate: generate)
    }
}
