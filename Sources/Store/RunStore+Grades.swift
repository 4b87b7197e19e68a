import JSON

/// How a run is graded by people, as stored: the spec's `eval.grading` as it was at the latest
/// `eval import-grades` (EvalStore turns it into Evaluation's `GradingSetup`).
public struct StoredGradingSetup: Equatable, Sendable {
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

/// One grade a person gave one item on one criterion.
public struct StoredGrade: Equatable, Sendable {
    public let itemID: String
    public let grader: String
    public let criterion: String
    public let grade: Int
    /// The item's value of the grading category field when the grade was imported.
    public let category: String?

    public init(itemID: String, grader: String, criterion: String, grade: Int, category: String?) {
        self.itemID = itemID; self.grader = grader; self.criterion = criterion; self.grade = grade; self.category = category
    }
}

extension RunStore {
    /// Stores a grade sheet in one transaction: every grade of `graders` for this run is replaced by
    /// `grades` (a re-imported sheet replaces what the same graders gave before; other graders' grades
    /// stay), and the run's grading setup is recorded.
    public func replaceGrades(run: Int, setup: StoredGradingSetup, graders: Set<String>, _ grades: [StoredGrade]) throws {
        try db.transaction {
            try db.execute("""
                INSERT OR REPLACE INTO grading (run_id, criteria, scale, category, label_criterion) VALUES (?, ?, ?, ?, ?)
                """, [.int(Int64(run)), .text(JSONWriter.serialize(.array(setup.criteria.map { .string($0) }))),
                      .text(JSONWriter.serialize(.array(setup.scale.map { .number(String($0)) }))),
                      setup.category.map { .text($0) } ?? .null, .text(setup.labelCriterion)])
            for g in graders.sorted() {
                try db.execute("DELETE FROM grades WHERE run_id = ? AND grader = ?", [.int(Int64(run)), .text(g)])
            }
            let insert = try db.repeated("INSERT INTO grades (run_id, item_id, grader, criterion, grade, category) VALUES (?, ?, ?, ?, ?, ?)")
            for g in grades {
                try insert.run([.int(Int64(run)), .text(g.itemID), .text(g.grader), .text(g.criterion), .int(Int64(g.grade)),
                                g.category.map { .text($0) } ?? .null])
            }
        }
    }

    /// The run's grading setup; nil when no grades were ever imported for it.
    public func gradingSetup(run: Int) throws -> StoredGradingSetup? {
        guard let row = try db.query("SELECT criteria, scale, category, label_criterion FROM grading WHERE run_id = ?", [.int(Int64(run))]).first else {
            return nil
        }
        func list(_ v: SQLValue) -> [String] {
            guard case let .array(a)? = try? JSONParser.parse(v.text ?? "[]") else { return [] }
            return a.compactMap(\.scalarText)
        }
        return StoredGradingSetup(criteria: list(row["criteria"]), scale: list(row["scale"]).compactMap { Int($0) }, category: row["category"].text,
                                  labelCriterion: row["label_criterion"].text ?? "")
    }

    /// Every grade of a run, by item, grader and criterion.
    public func grades(run: Int) throws -> [StoredGrade] {
        try db.query("SELECT item_id, grader, criterion, grade, category FROM grades WHERE run_id = ? ORDER BY item_id, grader, criterion",
                     [.int(Int64(run))]).map {
            StoredGrade(itemID: $0["item_id"].text ?? "", grader: $0["grader"].text ?? "", criterion: $0["criterion"].text ?? "", grade: $0["grade"].int ?? 0,
                        category: $0["category"].text)
        }
    }
}
