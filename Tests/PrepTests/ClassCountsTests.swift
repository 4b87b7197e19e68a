import JSON
@testable import Prep
import Records
import XCTest

/// `ClassCounts.of`: rows per value of every field with at most 64 values, as `prep report` shows
/// them for each stage. Expected counts are made by counting the same rows with a plain dictionary.
final class ClassCountsTests: XCTestCase {
    private let names = ["id", "type", "category", "label", "title", "_split"]

    /// Rows whose class values repeat in a known pattern; `title` is unique per row.
    private func rows(_ n: Int) -> [Record] {
        let categories = ["연예", "정치", "경제", "사회", "IT과학 일반 분야 기사"]  // the last one is over 15 bytes
        return (0..<n).map { i -> Record in
            let label: String? = i % 7 == 0 ? nil : (i % 2 == 0 ? "clickbait" : "normal")
            let type = String(format: "%02d", i % 12)
            let values: [String?] = ["ID\(i)", type, categories[i % categories.count], label, "제목 \(i)", "train"]
            return Record(fields: Fields(names: names, values: values))
        }
    }

    private func expected(_ records: [Record], field: String) -> [String: Int] {
        var m: [String: Int] = [:]
        for r in records { m[r.fields[field] ?? "(null)", default: 0] += 1 }
        return m
    }

    private func counts(_ value: JSONValue, field: String) -> [String: Int]? {
        guard case let .object(fields) = value, let entry = fields.first(where: { $0.0 == field }), case let .object(values) = entry.1 else { return nil }
        return Dictionary(uniqueKeysWithValues: values.map { ($0.0, Int($0.1.scalarText ?? "") ?? -1) })
    }

    func testCountsEveryClassFieldAndLeavesOutIdsTitlesAndMetadata() {
        // 20,000 rows: counted in one chunk per core and merged.
        let records = rows(20_000)
        let value = ClassCounts.of(records, fields: names)
        for field in ["type", "category", "label"] {
            XCTAssertEqual(counts(value, field: field), expected(records, field: field), field)
        }
        XCTAssertNil(counts(value, field: "id"), "ids are never classes")
        XCTAssertNil(counts(value, field: "title"), "a field with more than 64 values is no class field")
        XCTAssertNil(counts(value, field: "_split"), "metadata columns are left out")
        XCTAssertEqual(counts(value, field: "label")?["(null)"], expected(records, field: "label")["(null)"])
    }

    func testAFieldWithExactly64ValuesIsCountedAnd65IsNot() {
        func records(_ distinct: Int) -> [Record] {
            (0..<(distinct * 3)).map { i in Record(fields: Fields(names: ["id", "type"], values: ["\(i)", "값\(i % distinct)"])) }
        }
        let at64 = ClassCounts.of(records(64), fields: ["id", "type"])
        XCTAssertEqual(counts(at64, field: "type")?.count, 64)
        XCTAssertEqual(counts(at64, field: "type")?["값63"], 3)
        XCTAssertNil(counts(ClassCounts.of(records(65), fields: ["id", "type"]), field: "type"))
    }

    func testValuesAreSortedAndRowsWithOtherLayoutsFindTheirField() {
        // Two layouts of names in one stage (augment's copies carry more columns).
        let a = Record(fields: Fields(names: ["id", "label"], values: ["1", "normal"]))
        let b = Record(fields: Fields(names: ["id", "extra", "label"], values: ["2", "x", "clickbait"]))
        let value = ClassCounts.of([a, b, a, b, b], fields: ["id", "label", "extra"])
        guard case let .object(fields) = value, let label = fields.first(where: { $0.0 == "label" }), case let .object(values) = label.1 else {
            return XCTFail("no label counts in \(value)")
        }
        XCTAssertEqual(values.map(\.0), ["clickbait", "normal"])
        XCTAssertEqual(counts(value, field: "label"), ["clickbait": 3, "normal": 2])
        XCTAssertEqual(counts(value, field: "extra"), ["x": 3, "(null)": 2])
    }
}
