import Foundation
import Support

extension EvalSpec {
    /// `eval.grading`: what people grade each scored item on, and with which grades.
    ///
    ///     grading:
    ///       criteria: [accuracy, detail]   # one column per criterion in the grade sheet
    ///       scale: [0, 1, 2]               # the allowed grades (default 0, 1, 2)
    ///       category: type                 # optional: means are also shown per value of this field
    ///       label_criterion: accuracy      # optional (default: the first criterion): compared with
    ///                                      # the automatic label of a generate-mode run
    ///
    /// Grading is not part of a score run's identity: adding it to a spec leaves runs resumable.
    public struct Grading: Equatable, Sendable {
        public var criteria: [String]
        /// Distinct whole numbers, ascending.
        public var scale: [Int]
        public var category: String?
        public var labelCriterion: String

        /// The scale used when a spec gives none.
        public static let defaultScale = [0, 1, 2]
        /// Columns of a grade sheet that a criterion may not be named after.
        public static let sheetColumns = ["id", "prompt", "output", "predicted", "gold", "grader"]

        /// Parses `eval.grading`. - throws: `SpecError` at the bad key or value.
        static func parse(_ node: SpecNode, fields: [String]) throws -> Grading {
            try node.checkKeys(["criteria", "scale", "category", "label_criterion"])
            let c = try node.required("criteria", hint: "name what graders judge, e.g. `criteria: [accuracy, detail]`")
            var criteria: [String] = []
            for item in try c.list() {
                let name = try item.string().trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { throw item.error("a criterion needs a name") }
                guard !criteria.contains(name) else { throw item.error("criterion '\(name)' is listed twice") }
                guard !sheetColumns.contains(name) else {
                    throw item.error("'\(name)' is a column the grade sheet already has (\(sheetColumns.joined(separator: ", "))); name the criterion otherwise")
                }
                criteria.append(name)
            }
            guard !criteria.isEmpty else { throw c.error("give at least one criterion, e.g. `criteria: [accuracy]`") }
            let scale = try parseScale(try node.optional("scale"))
            let category = try node.optional("category")?.field(among: fields, what: "field in the prepared data")
            if let category, criteria.contains(category) {
                throw try node.required("category").error("'\(category)' is also a criterion; a sheet column cannot be both")
            }
            var labelCriterion = criteria[0]
            if let l = try node.optional("label_criterion") {
                labelCriterion = try l.choice(criteria)
            }
            return Grading(criteria: criteria, scale: scale, category: category, labelCriterion: labelCriterion)
        }

        private static func parseScale(_ node: SpecNode?) throws -> [Int] {
            guard let node else { return defaultScale }
            let items = try node.list()
            var scale: [Int] = []
            for item in items {
                let text = try item.string()
                guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw item.error("grade '\(text)' is not a whole number; a scale lists whole numbers, e.g. `scale: [0, 1, 2]`")
                }
                guard !scale.contains(v) else { throw item.error("grade \(v) is listed twice") }
                if let last = scale.last, v < last { throw item.error("list the grades in ascending order (\(v) comes after \(last))") }
                scale.append(v)
            }
            guard scale.count >= 2 else { throw node.error("a scale needs at least two grades, e.g. `scale: [0, 1, 2]`") }
            return scale
        }
    }

    /// The canonical text of the `eval:` section without its `grading:` key: grading is done after
    /// scoring, so adding or editing it must not change a score run's identity.
    static func canonicalWithoutGrading(_ node: SpecNode) -> String {
        guard let entries = try? node.entries(), entries.contains(where: { $0.key == "grading" }) else {
            return node.canonical
        }
        return "{" + entries.filter { $0.key != "grading" }.map { JSONQuote.quote($0.key) + ":" + $0.value.canonical }.joined(separator: ",") + "}"
    }
}
