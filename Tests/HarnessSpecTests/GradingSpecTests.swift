import Foundation
import HarnessSpec
import XCTest

/// `eval.grading`: typed, with defaults, and errors located at the bad value.
final class GradingSpecTests: XCTestCase {
    private let fields = ["id", "title", "label", "type"]

    private func eval(_ grading: String?, extra: String = "") throws -> EvalSpec {
        let spec = try SpecLoader.parse("""
        name: demo
        source: {root: data}
        record: {id: a, title: b, label: c, type: d}
        eval:
          prompt: "{title}"
          choices: {field: label, verbalize: {a: " A", b: " B"}}
        \(extra)\(grading.map { "  grading: \($0)" } ?? "")
        """, file: "t.yaml")
        return try EvalSpec.parse(spec, fields: fields)
    }

    private func error(_ grading: String, line: UInt = #line) -> SpecError? {
        do {
            _ = try eval(grading)
            XCTFail("parsed, but an error was expected", line: line)
        } catch let e as SpecError {
            return e
        } catch {
            XCTFail("expected a SpecError, got \(error)", line: line)
        }
        return nil
    }

    func testDefaultsAndGivenValues() throws {
        XCTAssertNil(try eval(nil).grading)
        let d = try XCTUnwrap(try eval("{criteria: [accuracy, detail]}").grading)
        XCTAssertEqual(d.criteria, ["accuracy", "detail"])
        XCTAssertEqual(d.scale, [0, 1, 2], "the default scale")
        XCTAssertNil(d.category)
        XCTAssertEqual(d.labelCriterion, "accuracy", "the first criterion by default")
        let g = try XCTUnwrap(try eval("{criteria: [fluency, accuracy], scale: [1, 2, 3, 4, 5], category: type, label_criterion: accuracy}").grading)
        XCTAssertEqual(g.scale, [1, 2, 3, 4, 5])
        XCTAssertEqual(g.category, "type")
        XCTAssertEqual(g.labelCriterion, "accuracy")
    }

    func testBadValuesNameTheKeyAndTheFix() throws {
        let word = try XCTUnwrap(error("{criteria: [accuracy], scale: [0, 1, two]}"))
        XCTAssertEqual(word.key, "eval.grading.scale[2]")
        XCTAssertTrue(word.message.hasPrefix("grade 'two' is not a whole number"), word.message)
        XCTAssertEqual(error("{criteria: [accuracy], scale: [0, 1.5, 2]}")?.message.hasPrefix("grade '1.5' is not a whole number"), true)
        XCTAssertEqual(error("{criteria: [accuracy], scale: [2, 1, 0]}")?.message, "list the grades in ascending order (1 comes after 2)")
        XCTAssertEqual(error("{criteria: [accuracy], scale: [1]}")?.message, "a scale needs at least two grades, e.g. `scale: [0, 1, 2]`")
        XCTAssertEqual(error("{criteria: [accuracy], scale: [0, 0, 1]}")?.message, "grade 0 is listed twice")
        XCTAssertEqual(error("{criteria: []}")?.message, "give at least one criterion, e.g. `criteria: [accuracy]`")
        XCTAssertEqual(error("{scale: [0, 1]}")?.message.hasPrefix("missing required key 'criteria'"), true)
        XCTAssertEqual(error("{criteria: [accuracy, accuracy]}")?.message, "criterion 'accuracy' is listed twice")
        XCTAssertEqual(error("{criteria: [gold]}")?.message.hasPrefix("'gold' is a column the grade sheet already has"), true)
        let category = try XCTUnwrap(error("{criteria: [accuracy], category: typ}"))
        XCTAssertEqual(category.key, "eval.grading.category")
        XCTAssertTrue(category.message.hasPrefix("no field in the prepared data 'typ'; did you mean 'type'?"), category.message)
        XCTAssertTrue(error("{criteria: [accuracy], critera: [x]}")?.message.hasPrefix("unknown key 'critera'; did you mean 'criteria'?") ?? false)
        XCTAssertTrue(error("{criteria: [accuracy], label_criterion: acuracy}")?.message.hasPrefix("'acuracy' is not one of accuracy; did you mean 'accuracy'?") ?? false)
    }

    func testErrorsPointAtTheLine() throws {
        let e = try XCTUnwrap(error("{criteria: [accuracy], scale: [0, x]}"))
        XCTAssertEqual(e.file, "t.yaml")
        XCTAssertEqual(e.line, 7)
    }

    /// Grading comes after scoring: adding it must not change a score run's identity (the canonical text).
    func testGradingIsNotPartOfTheScoreIdentity() throws {
        let without = try eval(nil)
        let with = try eval("{criteria: [accuracy, detail], category: type}")
        XCTAssertEqual(with.canonical, without.canonical)
        XCTAssertFalse(with.canonical.contains("grading"))
        XCTAssertNotEqual(try eval(nil, extra: "  split: test\n").canonical, without.canonical, "other keys still count")
    }
}
