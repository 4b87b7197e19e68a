import JSON
@testable import Prep
import Records
import XCTest

/// `ClassValues`: the class counts of rows that are not held, over any subset of them, must be
/// `ClassCounts.of` the same rows (the reference, itself checked against a plain dictionary count).
final class ClassValuesTests: XCTestCase {
    private let names = ["id", "type", "category", "label", "title", "_split"]

    private func rows(_ n: Int) -> [Record] {
        let categories = ["연예", "정치", "경제", "사회", "IT과학 일반 분야 기사"]
        return (0..<n).map { i -> Record in
            let label: String? = i % 7 == 0 ? nil : (i % 2 == 0 ? "clickbait" : "normal")
            // `type` has 80 values over all rows, but 40 among the even rows: a class field of that subset only.
            let values: [String?] = ["ID\(i)", String(format: "%02d", i % 80), categories[i % categories.count], label, "제목 \(i)", "train"]
            return Record(fields: Fields(names: names, values: values))
        }
    }

    func testCountsOverAllRowsAndOverASubsetMatchClassCounts() {
        let records = rows(9_000)
        var values = ClassValues(columns: names)
        for r in records { values.add(r) }
        XCTAssertEqual(values.rows, records.count)
        XCTAssertEqual(JSONWriter.serialize(values.counts()), JSONWriter.serialize(ClassCounts.of(records, fields: names)))
        let even = Array(stride(from: 0, to: records.count, by: 2))
        let subset = JSONWriter.serialize(values.counts(of: even))
        XCTAssertEqual(subset, JSONWriter.serialize(ClassCounts.of(even.map { records[$0] }, fields: names)))
        XCTAssertTrue(subset.contains("\"type\""), "type has 40 values among the even rows: \(subset.prefix(200))")
        XCTAssertFalse(JSONWriter.serialize(values.counts()).contains("\"type\""), "80 values over all rows: no class field")
        XCTAssertEqual(JSONWriter.serialize(values.counts(of: [])), JSONWriter.serialize(ClassCounts.of([], fields: names)))
    }
}
