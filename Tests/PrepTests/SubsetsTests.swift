import HarnessSpec
@testable import Prep
import Records
import XCTest

/// `outputs.subsets` (nested, stratified, seeded subsets of train) and `outputs.corpus`.
final class SubsetsTests: XCTestCase {
    private let h = StageHarness.self

    private func spec(_ outputs: String, stages: String = "  - sample: {from: train, stratify_by: type, seed: 9}") throws -> Spec {
        try SpecLoader.parse("name: t\nsource: {root: data}\nrecord:\n\(StageHarness.fields)\nstages:\n\(stages)\noutputs: \(outputs)\n", file: "t.yaml")
    }

    private func subsets(_ outputs: String) throws -> Subsets {
        let s = try spec(outputs)
        return try XCTUnwrap(Subsets(spec: s, stages: try s.stages.map { try StageRegistry.make($0, spec: s) }))
    }

    /// 60 A, 30 B, 10 C train rows (shares 0.6/0.3/0.1), 5 test rows, and an augmented copy of each A row.
    private var input: [Record] {
        var rows: [Record] = []
        for (type, n) in [("A", 60), ("B", 30), ("C", 10)] {
            rows += (0..<n).map { h.record("\(type)\($0)", ["type": type, "title": "t"]) }
        }
        rows += (0..<5).map { h.record("T\($0)", split: "test", ["type": "A"]) }
        rows += (0..<60).map { var r = h.record("A\($0)#aug1", ["type": "A"]); r.origin = "A\($0)"; return r }
        return rows
    }

    func testSubsetsAreNestedStratifiedAndCarryTheirAugmentedCopies() throws {
        let s = try subsets("{subsets: [10, 50, 100, 500]}")
        XCTAssertEqual(s.stratifyBy, "type", "from the sample stage")
        XCTAssertEqual(s.seed, 9)
        let made = s.subsets(of: input)
        XCTAssertEqual(made.map(\.size), [10, 50, 100, 500])
        var previous = Set<String>()
        for m in made {
            let originals = m.rows.filter { $0.origin == nil }
            let ids = Set(originals.compactMap { $0.fields["id"] })
            XCTAssertEqual(originals.count, min(m.size, 100), "\(m.size)")
            XCTAssertTrue(previous.isSubset(of: ids), "subset \(m.size) holds the smaller one")
            previous = ids
            XCTAssertTrue(m.rows.allSatisfy { $0.split == "train" }, "test rows never enter a subset")
            // Each class within one row of its share (systematic sampling over (j + 0.5) / n).
            for (type, share) in [("A", 0.6), ("B", 0.3), ("C", 0.1)] {
                let n = originals.filter { $0.fields["type"] == type }.count
                XCTAssertLessThanOrEqual(abs(Double(n) - share * Double(originals.count)), 1.0, "\(m.size) \(type): \(n)")
            }
            // Every A row comes with its augmented copy, and no copy comes without its row.
            let copies = m.rows.filter { $0.origin != nil }
            XCTAssertEqual(Set(copies.compactMap(\.origin)), ids.filter { $0.hasPrefix("A") })
        }
        XCTAssertEqual(made.last?.originals, 100, "a size above the split's rows gives all of them")
    }

    func testTheSeedDecidesAndTheInputOrderDoesNot() throws {
        let a = try subsets("{subsets: [20]}").subsets(of: input)[0].rows.compactMap { $0.fields["id"] }
        let b = try subsets("{subsets: [20]}").subsets(of: input.reversed())[0].rows.compactMap { $0.fields["id"] }
        let c = try subsets("{subsets: {sizes: [20], seed: 10}}").subsets(of: input)[0].rows.compactMap { $0.fields["id"] }
        XCTAssertEqual(Set(a), Set(b))
        XCTAssertNotEqual(Set(a), Set(c))
    }

    func testBadSubsetAndCorpusSettingsAreLocatedSpecErrors() throws {
        XCTAssertThrowsError(try spec("{subsets: [10, 0]}")) { XCTAssertTrue("\($0)".contains("a subset size is a positive number of rows"), "\($0)") }
        XCTAssertThrowsError(try spec("{subsets: [10, 10]}")) { XCTAssertTrue("\($0)".contains("10 is listed twice"), "\($0)") }
        XCTAssertThrowsError(try spec("{subsets: {sizes: [10], shuffle: true}}")) { XCTAssertTrue("\($0)".contains("shuffle"), "\($0)") }
        XCTAssertThrowsError(try PrepRunner.validate(try spec("{subsets: {sizes: [10], stratify_by: typo}}"))) {
            XCTAssertTrue("\($0)".contains("typo"), "\($0)")
        }
        XCTAssertThrowsError(try PrepRunner.validate(try spec("{corpus: {fields: [title, bdy]}}"))) {
            XCTAssertTrue("\($0)".contains("did you mean 'body'"), "\($0)")
        }
        XCTAssertThrowsError(try PrepRunner.validate(try spec("{corpus: {fields: [body], splits: [trian]}}"))) {
            XCTAssertTrue("\($0)".contains("did you mean 'train'"), "\($0)")
        }
        XCTAssertNoThrow(try PrepRunner.validate(try spec("{subsets: [5], corpus: {fields: [title, body]}}")))
    }

    func testTheCorpusHoldsEachTrainingDocumentOnce() throws {
        let rows = [
            h.record("1", ["title": "제목 하나", "body": "본문 하나."]),
            h.record("2", ["title": "제목  하나", "body": "본문 하나."]),                 // the same after space normalisation
            h.record("3", ["title": "둘", "body": nil].compactMapValues { $0 }),
            h.record("4", split: "test", ["title": "시험", "body": "시험 본문"]),           // held out: not in the corpus
            { var r = h.record("1#aug1", ["title": "제목 하나", "body": "본문 하나."]); r.origin = "1"; return r }(),
        ]
        let c = try Corpus(fields: ["title", "body"], splits: ["train"]).build(rows)
        XCTAssertEqual(c.text, "제목 하나\n본문 하나.\n\n둘\n")
        XCTAssertEqual(c.documents, 2)
        XCTAssertEqual(c.duplicates, 1)
    }

    /// `split_sentences:` puts one sentence a line, documents still apart by a blank line.
    func testTheCorpusCutIntoSentences() throws {
        let rows = [
            h.record("1", ["title": "제목 하나", "body": "첫 문장이다. 둘째 문장이다."]),
            h.record("2", ["title": "제목 둘", "body": "정부는 정책을 발표했다 시장은 반응했다"]),
        ]
        let byPunctuation = try Corpus(fields: ["title", "body"], splits: ["train"], splitSentences: .punctuation).build(rows)
        XCTAssertEqual(byPunctuation.text, "제목 하나\n첫 문장이다.\n둘째 문장이다.\n\n제목 둘\n정부는 정책을 발표했다 시장은 반응했다\n")
        let byKiwi = try Corpus(fields: ["title", "body"], splits: ["train"], splitSentences: .kiwi).build(rows)
        XCTAssertEqual(byKiwi.text, "제목 하나\n첫 문장이다.\n둘째 문장이다.\n\n제목 둘\n정부는 정책을 발표했다\n시장은 반응했다\n")
        XCTAssertThrowsError(try PrepRunner.validate(try spec("{corpus: {fields: [body], split_sentences: kiwy}}"))) {
            XCTAssertTrue("\($0)".contains("did you mean 'kiwi'"), "\($0)")
        }
    }
}
