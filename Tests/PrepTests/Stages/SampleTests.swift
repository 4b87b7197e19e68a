import HarnessSpec
@testable import Prep
import Records
import XCTest

/// The `sample` stage: N per class, split by ratio, deterministic from the seed.
final class SampleTests: XCTestCase {
    private let h = StageHarness.self

    /// `count` train rows of class `type`, ids `<type>-<n>`.
    private func rows(_ type: String, _ count: Int, split: String = "train") -> [Record] {
        (0..<count).map { h.record("\(type)-\($0)", split: split, ["type": type, "title": "t\($0)"]) }
    }

    private func ids(_ records: [Record], split: String) -> Set<String> {
        Set(records.filter { $0.split == split }.compactMap { $0.fields["id"] })
    }

    private func sample(_ args: String) throws -> any Stage { try h.stage("  - sample: \(args)") }

    func testTakesNPerClassAndApportionsTheSplits() throws {
        let input = rows("A", 25) + rows("B", 12) + rows("C", 40)
        let r = try sample("{stratify_by: type, per_class: 10, splits: {train: 0.8, valid: 0.2}, seed: 3}").apply(input)
        for cls in ["A", "B", "C"] {
            let out = r.records.filter { $0.fields["type"] == cls }
            // 10 taken per class; 10 * 0.8 = 8 train, 2 valid (exact, no remainders).
            XCTAssertEqual(out.filter { $0.split == "train" }.count, 8, cls)
            XCTAssertEqual(out.filter { $0.split == "valid" }.count, 2, cls)
        }
        XCTAssertEqual(h.removed(r, "not sampled"), (25 - 10) + (12 - 10) + (40 - 10))
        XCTAssertEqual(r.records.count + h.totalRemoved(r), input.count, "kept + not sampled = input")
        XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
        XCTAssertTrue(ids(r.records, split: "train").isDisjoint(with: ids(r.records, split: "valid")))
        guard case let .object(classes)? = h.detail(r, "classes") else { return XCTFail("no class details") }
        XCTAssertEqual(classes.map(\.key), ["A", "B", "C"])
        XCTAssertEqual(classes[1].value["available"], .number("12"))
        XCTAssertEqual(classes[1].value["taken"], .number("10"))
    }

    func testAClassSmallerThanNGivesAllItHasWithAWarning() throws {
        let input = rows("big", 30) + rows("rare", 3)
        let r = try sample("{stratify_by: type, per_class: 10, splits: {train: 0.9, valid: 0.1}}").apply(input)
        XCTAssertEqual(r.records.filter { $0.fields["type"] == "rare" }.count, 3, "all 3 taken")
        // 3 * 0.9 = 2.7 -> 2 train, 0.3 -> 0 valid, one left over goes to the larger remainder (train 0.7 > valid 0.3).
        XCTAssertEqual(r.records.filter { $0.fields["type"] == "rare" && $0.split == "train" }.count, 3)
        XCTAssertEqual(r.records.filter { $0.fields["type"] == "big" }.count, 10)
        XCTAssertEqual(r.warnings.count, 1)
        XCTAssertTrue(r.warnings[0].contains("1 of 2 classes of type have fewer than per_class 10"), r.warnings[0])
        XCTAssertTrue(r.warnings[0].hasSuffix("rare (3)"), r.warnings[0])
        XCTAssertEqual(r.records.count + h.totalRemoved(r), input.count)
    }

    func testOneClassAndNoStratification() throws {
        let input = rows("only", 20)
        let strat = try sample("{stratify_by: type, per_class: 5, splits: {train: 0.6, valid: 0.4}}").apply(input)
        XCTAssertEqual(strat.records.filter { $0.split == "train" }.count, 3)
        XCTAssertEqual(strat.records.filter { $0.split == "valid" }.count, 2)
        let plain = try sample("{per_class: 5, splits: {train: 0.6, valid: 0.4}}").apply(input)
        XCTAssertEqual(plain.records.count, 5)
        guard case let .object(classes)? = h.detail(plain, "classes") else { return XCTFail("no class details") }
        XCTAssertEqual(classes.map(\.key), ["all"])
        // Without per_class and splits, everything is kept in the `from` split.
        let all = try sample("{}").apply(input)
        XCTAssertEqual(all.records.count, 20)
        XCTAssertEqual(Set(all.records.map(\.split)), ["train"])
        XCTAssertTrue(all.removed.isEmpty)
    }

    func testEmptyInput() throws {
        let r = try sample("{stratify_by: type, per_class: 5, splits: {train: 0.5, valid: 0.5}}").apply([])
        XCTAssertEqual(r.records, [])
        XCTAssertTrue(r.removed.isEmpty)
        XCTAssertTrue(r.warnings.isEmpty)
    }

    func testRowsWithANullClassFormTheirOwnClass() throws {
        let input = (0..<6).map { h.record("n\($0)") } + rows("A", 6)
        let r = try sample("{stratify_by: type, per_class: 4}").apply(input)
        XCTAssertEqual(r.records.filter { $0.fields["type"] == nil }.count, 4)
        XCTAssertEqual(r.records.filter { $0.fields["type"] == "A" }.count, 4)
        guard case let .object(classes)? = h.detail(r, "classes") else { return XCTFail("no class details") }
        XCTAssertEqual(Set(classes.map(\.key)), ["(null)", "A"])
    }

    func testRatiosMustAddUpToOne() throws {
        XCTAssertThrowsError(try sample("{splits: {train: 0.8, valid: 0.1}}")) {
            let e = $0 as? SpecError
            XCTAssertEqual(e?.key, "stages[0].sample.splits")
            XCTAssertEqual(e?.message, "split ratios must add up to 1 (they add up to 0.900)")
        }
        XCTAssertThrowsError(try sample("{splits: {train: 0.7, valid: 0.4}}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.hasPrefix("split ratios must add up to 1") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try sample("{splits: {train: 1.2, valid: -0.2}}")) {
            XCTAssertEqual(($0 as? SpecError)?.key, "stages[0].sample.splits.valid")
            XCTAssertEqual(($0 as? SpecError)?.message, "a split ratio cannot be negative")
        }
        XCTAssertThrowsError(try sample("{per_class: 0}")) {
            XCTAssertEqual(($0 as? SpecError)?.message, "must be a positive number of rows per class")
        }
        XCTAssertThrowsError(try sample("{stratify_by: tpye}")) {
            XCTAssertEqual(($0 as? SpecError)?.message, "no record field 'tpye'; did you mean 'type'? (fields: id, title, body, label, type, subtitle, keep)")
        }
        XCTAssertNoThrow(try sample("{splits: {train: 0.7, valid: 0.2, extra: 0.1}}"))
    }

    func testTheSameSeedGivesTheSameSampleAndAnotherSeedAnother() throws {
        let input = rows("A", 50) + rows("B", 50)
        func args(_ seed: Int) -> String { "{stratify_by: type, per_class: 10, splits: {train: 0.5, valid: 0.5}, seed: \(seed)}" }
        let a = try sample(args(11)).apply(input)
        let b = try sample(args(11)).apply(input)
        let c = try sample(args(12)).apply(input)
        XCTAssertEqual(a.records, b.records)
        XCTAssertNotEqual(ids(a.records, split: "train"), ids(c.records, split: "train"))
        // The input order does not matter: ids are sorted before the seeded shuffle.
        let shuffled = try sample(args(11)).apply(input.reversed())
        XCTAssertEqual(ids(shuffled.records, split: "train"), ids(a.records, split: "train"))
        XCTAssertEqual(ids(shuffled.records, split: "valid"), ids(a.records, split: "valid"))
    }

    func testRowsSharingAnIdNeverLandInTwoSplits() throws {
        // Each of 20 ids appears twice (e.g. the same article under two codes of one class).
        let input = (0..<20).flatMap { i in
            [h.record("dup-\(i)", ["type": "A", "title": "first"]), h.record("dup-\(i)", ["type": "A", "title": "second"])]
        }
        for seed in 1...5 {
            // per_class counts rows: 20 rows are 10 whole ids.
            let r = try sample("{stratify_by: type, per_class: 20, splits: {train: 0.5, valid: 0.5}, seed: \(seed)}").apply(input)
            XCTAssertTrue(ids(r.records, split: "train").isDisjoint(with: ids(r.records, split: "valid")), "seed \(seed)")
            XCTAssertEqual(r.records.count, 20, "10 ids with both of their rows")
            XCTAssertEqual(ids(r.records, split: "train").count, 5)
            XCTAssertEqual(h.removed(r, "not sampled"), 20)
        }
    }

    func testOtherSplitsPassThroughUntouched() throws {
        let test = rows("A", 7, split: "test") + [h.record("nosplit", split: nil, ["type": "A"])]
        let input = rows("A", 30) + test
        let r = try sample("{from: train, stratify_by: type, per_class: 4, splits: {train: 0.5, valid: 0.5}}").apply(input)
        XCTAssertEqual(Array(r.records.prefix(test.count)), test, "the held-out rows come first, in order, unchanged")
        XCTAssertEqual(r.records.filter { $0.split == "test" }.count, 7)
        XCTAssertEqual(r.records.count, test.count + 4)
        XCTAssertEqual(r.records.count + h.totalRemoved(r), input.count)
    }

    func testSamplingAnotherSplit() throws {
        let input = rows("P", 10, split: "pool") + rows("A", 3)
        let r = try sample("{from: pool, per_class: 4, splits: {train: 0.5, valid: 0.5}}").apply(input)
        XCTAssertEqual(r.records.filter { $0.split == "pool" }.count, 0)
        XCTAssertEqual(r.records.filter { $0.split == "train" }.count, 3 + 2, "the old train rows pass through; 2 sampled rows join them")
        XCTAssertEqual(r.records.filter { $0.split == "valid" }.count, 2)
    }
}
