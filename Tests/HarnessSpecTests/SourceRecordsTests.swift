import HarnessSpec
import Records
import XCTest

/// `source.records` and the `$root.` / `$location` field forms that go with it, as parsed by the loader.
final class SourceRecordsTests: XCTestCase {
    private func load(_ text: String) throws -> Spec { try SpecLoader.parse(text, file: "t.yaml") }

    private func error(_ text: String) -> SpecError? {
        do { _ = try load(text); return nil } catch { return error as? SpecError }
    }

    func testRecordsAndRootPathsAreParsed() throws {
        let spec = try load("""
        name: w
        source:
          records: "data[*]"
        record:
          id: sentence_id
          category: $root.info.category
          key: {first: [uid, $location]}
        """)
        XCTAssertEqual(spec.source.records, try RecordsPath("data[*]"))
        XCTAssertEqual(spec.fields[1].rule, .path(try FieldPath("$root.info.category")))
        XCTAssertEqual(spec.fields[2].rule, .first([.path(try FieldPath("uid")), .location]))
    }

    func testWithoutRecordsEachDocumentIsOneRecord() throws {
        XCTAssertNil(try load("name: w\nsource: {}\nrecord: {id: a}\n").source.records)
        XCTAssertEqual(try load("name: w\nsource: {}\nrecord: {id: $location}\n").fields[0].rule, .location,
                       "$location needs no `records:`")
    }

    func testRecordsWithoutElementsIsLocatedAndSaysTheFix() throws {
        let e = try XCTUnwrap(error("name: w\nsource:\n  records: data\nrecord: {id: a}\n"))
        XCTAssertEqual(e.description, "t.yaml:3:12: source.records: invalid field path 'data': name the elements with [*]: write 'data[*]' for every element of the array at 'data'")
    }

    func testRootWithoutRecordsIsLocatedAtTheField() throws {
        let e = try XCTUnwrap(error("""
        name: w
        source: {root: data}
        record:
          id: a
          category: {first: [b, $root.info.category]}
        """))
        XCTAssertEqual(e.key, "record.category.first[1]")
        XCTAssertEqual(e.line, 5)
        XCTAssertEqual(e.message, "'$root.info.category' reads the whole document around a record of `source.records`, but the source has no `records:`"
                       + " (each document is one record already): write 'info.category', or add `records: \"data[*]\"` under `source:`")
    }

    func testABadRootPathIsLocated() throws {
        let empty = try XCTUnwrap(error("name: w\nsource: {records: \"data[*]\"}\nrecord:\n  id: a\n  c: $root.\n"))
        XCTAssertEqual(empty.description, "t.yaml:5:6: record.c: invalid field path '$root.': '$root' needs a path after it, e.g. '$root.info.category'")
        let typo = try XCTUnwrap(error("name: w\nsource: {records: \"data[*]\"}\nrecord:\n  id: a\n  c: $rot.info.c\n"))
        XCTAssertEqual(typo.line, 5)
        XCTAssertEqual(typo.message, "invalid field path '$rot.info.c': '$rot' is not a known anchor; did you mean '$root.info.c'?")
    }

    func testRecordsIsForJSONSources() throws {
        let e = try XCTUnwrap(error("name: w\nsource: {kind: html, fields: {title: //title}, records: \"a[*]\"}\n"))
        XCTAssertEqual(e.key, "source.records")
        XCTAssertEqual(e.message, "`records` picks records out of JSON documents; an html page is one record")
    }

    func testRecordsChangesTheSourceSection() throws {
        // The ingest's cache key includes the source section: adding `records:` reruns it.
        let plain = try load("name: w\nsource: {}\nrecord: {id: a}\n")
        let wrapped = try load("name: w\nsource: {records: \"data[*]\"}\nrecord: {id: a}\n")
        XCTAssertNotEqual(plain.sections["source"], wrapped.sections["source"])
        XCTAssertNotEqual(plain.source, wrapped.source)
    }
}
