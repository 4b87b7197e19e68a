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

    /// A field is tracked up to `maxDistinct` values (each found again through the hash table, not
    /// only as the row before's value) and stops at one more; rows added a buffer at a time count
    /// as rows added one by one.
    func testTracksUpToMaxDistinctValuesThenStops() {
        func records(distinct: Int) -> [Record] {
            (0..<(distinct * 3)).map { i in
                // Neighbouring rows differ, so every row after the first pass is a table lookup.
                Record(fields: Fields(names: ["id", "type"], values: ["ID\(i)", "값-\((i * 7) % distinct)"]))
            }
        }
        let subset = { (rows: [Record]) in rows.indices.filter { rows[$0].fields["type"]!.hasSuffix("-3") || rows[$0].fields["type"]!.hasSuffix("-5") } }

        let atLimit = records(distinct: ClassValues.maxDistinct)
        var one = ClassValues(columns: ["id", "type"]), batched = ClassValues(columns: ["id", "type"])
        for r in atLimit { one.add(r) }
        atLimit.withUnsafeBufferPointer { batched.add($0) }
        let positions = subset(atLimit)
        let expected = JSONWriter.serialize(ClassCounts.of(positions.map { atLimit[$0] }, fields: ["id", "type"]))
        XCTAssertEqual(JSONWriter.serialize(one.counts(of: positions)), expected)
        XCTAssertEqual(JSONWriter.serialize(batched.counts(of: positions)), expected)
        XCTAssertTrue(expected.contains("\"값-3\":3"), expected)

        let overLimit = records(distinct: ClassValues.maxDistinct + 1)
        var closed = ClassValues(columns: ["id", "type"])
        for r in overLimit { closed.add(r) }
        XCTAssertFalse(JSONWriter.serialize(closed.counts(of: subset(overLimit))).contains("\"type\""), "one value more than maxDistinct: not tracked")
    }
}
