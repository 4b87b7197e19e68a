import Foundation
import Store
import XCTest

/// Grades in the store: replaced per grader, in one transaction, with the grading setup kept beside them.
final class GradeStoreTests: XCTestCase {
    let setup = StoredGradingSetup(criteria: ["accuracy", "detail"], scale: [0, 1, 2], category: "type", labelCriterion: "accuracy")

    func testReimportingAGraderReplacesOnlyThatGradersGrades() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let run = try store.beginRun(kind: .score, spec: .demo())
        XCTAssertNil(try store.gradingSetup(run: run))
        try store.replaceGrades(run: run, setup: setup, graders: ["kim"], [
            StoredGrade(itemID: "a", grader: "kim", criterion: "accuracy", grade: 2, category: "13"),
            StoredGrade(itemID: "b", grader: "kim", criterion: "accuracy", grade: 1, category: nil),
        ])
        try store.replaceGrades(run: run, setup: setup, graders: ["lee"], [StoredGrade(itemID: "a", grader: "lee", criterion: "detail", grade: 0, category: "13")])
        // kim again, with one grade: kim's earlier two are gone, lee's stays.
        try store.replaceGrades(run: run, setup: setup, graders: ["kim"], [StoredGrade(itemID: "c", grader: "kim", criterion: "detail", grade: 1, category: nil)])
        XCTAssertEqual(try store.grades(run: run), [
            StoredGrade(itemID: "a", grader: "lee", criterion: "detail", grade: 0, category: "13"),
            StoredGrade(itemID: "c", grader: "kim", criterion: "detail", grade: 1, category: nil),
        ])
        XCTAssertEqual(try store.gradingSetup(run: run), setup)
    }

    func testAFailedImportLeavesTheEarlierGrades() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let run = try store.beginRun(kind: .score, spec: .demo())
        let first = [StoredGrade(itemID: "a", grader: "kim", criterion: "accuracy", grade: 2, category: nil)]
        try store.replaceGrades(run: run, setup: setup, graders: ["kim"], first)
        // The same (item, grader, criterion) twice violates the primary key after kim's rows were deleted:
        // the transaction rolls back, and kim's first grades are still there.
        XCTAssertThrowsError(try store.replaceGrades(run: run, setup: setup, graders: ["kim"], [
            StoredGrade(itemID: "b", grader: "kim", criterion: "accuracy", grade: 1, category: nil),
            StoredGrade(itemID: "b", grader: "kim", criterion: "accuracy", grade: 0, category: nil),
        ]))
        XCTAssertEqual(try store.grades(run: run), first)
    }

    func testGradesGoWithTheirRun() throws {
        let tmp = try TempStore()
        defer { tmp.cleanup() }
        let store = try tmp.open()
        let run = try store.beginRun(kind: .score, spec: .demo())
        try store.replaceGrades(run: run, setup: setup, graders: ["kim"], [StoredGrade(itemID: "a", grader: "kim", criterion: "accuracy", grade: 2, category: nil)])
        try store.db.execute("DELETE FROM runs WHERE id = ?", [.int(Int64(run))])
        XCTAssertEqual(try store.db.query("SELECT count(*) FROM grades").first?.values.first?.int, 0)
        XCTAssertNil(try store.gradingSetup(run: run))
    }
}
