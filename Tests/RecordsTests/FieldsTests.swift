import Records
import XCTest

/// `Fields` answers as the `[String: String]` it replaced (nil = absent), and records made from the
/// same columns share one array of names.
final class FieldsTests: XCTestCase {
    func testLookupsSetAndRemoveAsADictionary() {
        var f = Fields(names: ["id", "title", "body"], values: ["1", nil, "본문"])
        XCTAssertEqual(f["id"], "1")
        XCTAssertNil(f["title"], "a nil value is an absent field")
        XCTAssertNil(f["missing"])
        XCTAssertEqual(f.count, 2)
        XCTAssertEqual(f.keys, ["id", "body"])
        XCTAssertEqual(f["title", default: "-"], "-")

        f["title"] = "제목"
        f["label"] = "clickbait"
        f["nothing"] = nil
        XCTAssertEqual(f.names, ["id", "title", "body", "label"], "a new field gets a slot; setting nil to an unknown name adds none")
        XCTAssertEqual(f.dictionary, ["id": "1", "title": "제목", "body": "본문", "label": "clickbait"])

        XCTAssertEqual(f.removeValue(forKey: "body"), "본문")
        XCTAssertNil(f.removeValue(forKey: "body"))
        XCTAssertEqual(f.count, 3)
        XCTAssertFalse(f.isEmpty)
        XCTAssertTrue(Fields(names: ["a"], values: [nil]).isEmpty)
    }

    func testEqualityIgnoresOrderAndAbsentSlots() {
        let a = Fields(names: ["id", "title", "body"], values: ["1", nil, "x"])
        let b: Fields = ["body": "x", "id": "1"]
        XCTAssertEqual(a, b)
        XCTAssertEqual(Fields(["id": "1", "body": "x"]), a)
        XCTAssertNotEqual(a, ["id": "1", "body": "y"])
        XCTAssertNotEqual(a, ["id": "1", "body": "x", "title": "t"])
        XCTAssertNotEqual(a, ["id": "1"])
    }

    func testIterationGivesPresentFieldsInNameOrder() {
        let f = Fields(names: ["id", "title", "body"], values: ["1", nil, "x"])
        XCTAssertEqual(f.map(\.key), ["id", "body"])
        XCTAssertEqual(f.map(\.value), ["1", "x"])
        XCTAssertEqual(f.filter { $0.key != "id" }, ["body": "x"])
        XCTAssertEqual(Fields(["b": "2", "a": "1"]).names, ["a", "b"], "from a dictionary, names in sorted order (a dictionary's own order changes per process)")
    }

    func testRecordsOfOneLayoutShareTheirNamesAndEncodeWithoutLookups() {
        let columns = ["id", "title"]
        let encoder = RecordCoding.Encoder(columns: columns)
        let r = Record(fields: Fields(names: columns, values: ["7", "제목"]))
        XCTAssertEqual(encoder.values(r), ["7", "제목"])
        // Another layout of the same fields encodes the same way.
        let other = Record(fields: ["title": "제목", "id": "7"])
        XCTAssertEqual(encoder.values(other), ["7", "제목"])
        XCTAssertEqual(RecordCoding.jsonLine(r, columns: columns), RecordCoding.jsonLine(other, columns: columns))
    }

    func testAddingFieldsSharesTheNewLayout() throws {
        let columns = ["id", "title"]
        let layout = try XCTUnwrap(Fields.layout(from: columns, adding: ["input", "output"]))
        XCTAssertEqual(layout.to, ["id", "title", "input", "output"])
        let a = Fields(names: columns, values: ["1", "a"]).adding(["in", "out"], as: layout)
        XCTAssertEqual(a, ["id": "1", "title": "a", "input": "in", "output": "out"])
        XCTAssertEqual(a.names, layout.to)
        // Another layout gains the fields one by one, and an earlier value is replaced.
        let b = Fields(names: ["title", "id", "output"], values: ["b", "2", "old"]).adding(["in", "out"], as: layout)
        XCTAssertEqual(b, ["id": "2", "title": "b", "input": "in", "output": "out"])
        XCTAssertNil(Fields.layout(from: ["id", "input"], adding: ["input", "output"]), "a name already there is no layout to share")
    }
}
