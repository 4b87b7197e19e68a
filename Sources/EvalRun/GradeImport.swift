import Evaluation
import HarnessSpec
import Store
import Support

/// `eval import-grades`: a filled-in grade sheet (`GradeSheetReader`) into the run store, in one
/// transaction. Every grader the sheet names has all earlier grades of this run replaced by the
/// sheet's; other graders' grades stay. Any bad row refuses the whole sheet.
public enum GradeImport {
    public struct Outcome: Equatable, Sendable {
        public let run: String
        public let charset: String
        /// Per grader (sorted): items with at least one grade, and grades stored.
        public let graders: [(name: String, items: Int, grades: Int)]
        /// Items of the run that no row of the sheet grades.
        public let ungraded: Int

        public static func == (a: Outcome, b: Outcome) -> Bool {
            a.run == b.run && a.charset == b.charset && a.ungraded == b.ungraded
                && a.graders.map { "\($0.name)/\($0.items)/\($0.grades)" } == b.graders.map { "\($0.name)/\($0.items)/\($0.grades)" }
        }
    }

    /// - throws: `GradingError` naming the sheet (and row); nothing is stored then.
    public static func run(sheet path: String, context: GradingContext, store: RunStore, grader: String?) throws -> Outcome {
        let g = context.grading
        if let grader, grader.trimmingCharacters(in: .whitespaces).isEmpty {
            throw GradingError.sheet(file: path, detail: "--grader needs a name")
        }
        let reader = GradeSheetReader(criteria: g.criteria, scale: g.scale, known: Set(context.predictions.map(\.id)),
                                      defaultGrader: grader?.trimmingCharacters(in: .whitespaces))
        let (rows, charset) = try reader.read(path)
        let byID = Dictionary(context.predictions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var grades: [StoredGrade] = []
        for row in rows {
            let category = byID[row.id].flatMap(context.category(of:))
            grades += row.grades.map { StoredGrade(itemID: row.id, grader: row.grader, criterion: $0.criterion, grade: $0.grade, category: category) }
        }
        guard !grades.isEmpty else {
            throw GradingError.sheet(file: path, detail: "no grades in the sheet (the columns \(g.criteria.joined(separator: ", ")) are empty); nothing was stored")
        }
        let graders = Set(rows.map(\.grader))
        try store.replaceGrades(run: context.run.id, setup: StoredGradingSetup(criteria: g.criteria, scale: g.scale, category: g.category, labelCriterion: g.labelCriterion),
                                graders: graders, grades)
        let graded = Set(grades.map(\.itemID))
        return Outcome(run: context.run.name, charset: charset, graders: graders.sorted().map { name in
            let mine = grades.filter { $0.grader == name }
            return (name, Set(mine.map(\.itemID)).count, mine.count)
        }, ungraded: context.predictions.filter { !graded.contains($0.id) }.count)
    }
}
