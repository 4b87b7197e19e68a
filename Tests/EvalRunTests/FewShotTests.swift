import HarnessSpec
@testable import EvalRun
import Records
import Scoring
import XCTest

/// `eval.fewshot`: solved examples of another split before every prompt.
final class FewShotTests: XCTestCase {
    private func eval(_ fewshot: String) throws -> EvalSpec {
        let text = """
        name: t
        source: {root: data}
        record: {id: id, title: title, label: label}
        eval:
          split: valid
          prompt: "제목: {title}\\n답:"
          choices: {field: label, verbalize: {clickbait: " 낚시성", normal: " 정상"}}
          fewshot: \(fewshot)
        """
        return try EvalSpec.parse(try SpecLoader.parse(text, file: "t.yaml"), fields: ["id", "title", "label"])
    }

    private func row(_ id: String, _ label: String, split: String = "train") -> Record {
        Record(fields: ["id": id, "title": "제목 \(id)", "label": label], split: split)
    }

    private var pool: [Record] {
        (0..<6).map { row("c\($0)", "clickbait") } + (0..<6).map { row("n\($0)", "normal") }
            + [{ var r = row("c0#aug1", "clickbait"); r.origin = "c0"; return r }()]
    }

    private func items(_ e: EvalSpec) -> [(item: ChoiceItem, labels: [String], record: Record)] {
        ScoreRunner.items([row("v1", "normal", split: "valid"), row("v2", "clickbait", split: "valid")], eval: e)
    }

    func testASharedBlockOfKPerClassComesBeforeEveryPrompt() throws {
        let e = try eval("{k: 2, from: train, per_class: true, seed: 5}")
        let (out, ids) = try ScoreRunner.withFewShot(items(e), fewshot: e.fewshot!, eval: e, pool: pool, scoring: "valid")
        XCTAssertEqual(ids.count, 4)
        XCTAssertEqual(ids.filter { $0.hasPrefix("c") }.count, 2, "two per class: \(ids)")
        XCTAssertFalse(ids.contains("c0#aug1"), "augmented copies are not examples")
        let block = ids.map { "제목: 제목 \($0)\n답:" + ($0.hasPrefix("c") ? " 낚시성" : " 정상") }.joined(separator: "\n\n") + "\n\n"
        XCTAssertEqual(out.map(\.item.prompt), ["제목: 제목 v1\n답:", "제목: 제목 v2\n답:"].map { block + $0 })
        XCTAssertEqual(out.map(\.item.choices), items(e).map(\.item.choices))
        let again = try ScoreRunner.withFewShot(items(e), fewshot: e.fewshot!, eval: e, pool: pool.reversed(), scoring: "valid").1
        XCTAssertEqual(again, ids, "the seed decides, not the pool's order")
        let other = try eval("{k: 2, from: train, per_class: true, seed: 6}")
        XCTAssertNotEqual(try ScoreRunner.withFewShot(items(other), fewshot: other.fewshot!, eval: other, pool: pool, scoring: "valid").1, ids)
    }

    func testPerItemExamplesAreNamedInEachPrediction() throws {
        let e = try eval("{k: 3, resample: per_item}")
        let (out, ids) = try ScoreRunner.withFewShot(items(e), fewshot: e.fewshot!, eval: e, pool: pool, scoring: "valid")
        XCTAssertEqual(ids, [], "no shared block")
        let named = out.map { $0.record.fields[ScoreRunner.fewshotField] ?? "" }
        XCTAssertEqual(named.map { $0.split(separator: ",").count }, [3, 3])
        XCTAssertNotEqual(named[0], named[1], "each item draws its own")
        for (o, n) in zip(out, named) {
            for id in n.split(separator: ",") { XCTAssertTrue(o.item.prompt.contains("제목: 제목 \(id)\n답:"), "\(id) in \(o.item.prompt)") }
        }
    }

    func testExamplesNeverComeFromTheScoredSplitAndBadSettingsAreSpecErrors() throws {
        let e = try eval("{k: 1, from: valid}")
        XCTAssertThrowsError(try ScoreRunner.withFewShot(items(e), fewshot: e.fewshot!, eval: e, pool: [], scoring: "valid")) {
            XCTAssertTrue("\($0)".contains("the split being scored"), "\($0)")
        }
        XCTAssertThrowsError(try ScoreRunner.withFewShot(items(e), fewshot: e.fewshot!, eval: e, pool: [], scoring: "test")) {
            XCTAssertTrue("\($0)".contains("has no rows labeled"), "\($0)")
        }
        XCTAssertThrowsError(try eval("{k: 0}")) { XCTAssertTrue("\($0)".contains("at least 1"), "\($0)") }
        XCTAssertThrowsError(try eval("{k: 1, resample: each}")) { XCTAssertTrue("\($0)".contains("shared, per_item"), "\($0)") }
        XCTAssertThrowsError(try eval("{k: 1, shots: 2}")) { XCTAssertTrue("\($0)".contains("shots"), "\($0)") }
    }
}
