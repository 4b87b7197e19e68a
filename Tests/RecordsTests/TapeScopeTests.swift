import JSON
import Records
import XCTest

/// Reading fields from a `JSONTape` must give exactly what reading them from the parsed document
/// gives: the same values for every rule, and an error (of the same kind, for the same field and
/// path) where that fails. The expected values are the `RecordScope` results, which the other
/// extractor tests check against hand-written values.
final class TapeScopeTests: XCTestCase {
    let documents: [String] = [
        #"{"a": {"id": "x1", "n": 0, "f": -1.50e3, "t": true, "no": false, "z": null, "s": "q\"uo\\te \u00e9 \ud83d\ude00"}}"#,
        #"{"a": {"id": "x2", "list": [{"v": "하나"}, {"v": 2}, {"v": null}, {"w": 1}, {"v": [1]}, {"v": "셋"}]}}"#,
        #"{"a": {"id": "x3", "list": [], "empty": "", "nullword": "null", "obj": {"k": 1}}, "a": {"id": "second a"}}"#,
        #"{"a": {"id": "x4", "list": [{"v": null}], "alt": [{"v": "대안"}]}, "b": [[1, 2], [3]]}"#,
        #"[{"a": {"id": "e0"}}, {"a": {"id": "e1", "n": 5}}, 7]"#,
        #"{"\u0061": {"i\u0064": "escaped keys", "정보": {"분류": "정치"}}}"#,
        "{\"a\": {\"id\": \"nfd\", \"\("정보".decomposedStringWithCanonicalMapping)\": {\"분류\": \"경제\"}}}",
        // A byte-order mark; a document that is one number; a key spelled with the Kelvin sign,
        // which is canonically the ASCII "K" a path names.
        "\u{FEFF}{\"a\": {\"id\": \"bom\", \"n\": 5}}",
        "5",
        "{\"a\": {\"id\": \"kelvin\", \"\u{212A}ey\": \"켈빈\"}}",
    ]

    func rules() throws -> [(String, FieldRule)] {
        let p = { (s: String) in try FieldPath(s) }
        return [
            ("id", .path(try p("a.id"))),
            ("number", .path(try p("a.n"))),
            ("float", .path(try p("a.f"))),
            ("bool", .path(try p("a.t"))),
            ("false", .path(try p("a.no"))),
            ("null", .path(try p("a.z"))),
            ("escaped", .path(try p("a.s"))),
            ("object", .path(try p("a.obj"))),
            ("multi", .path(try p("a.list[*].v"))),
            ("second", .path(try p("a.list[1].v"))),
            ("far", .path(try p("a.list[9].v"))),
            ("nested", .path(try p("b[*][*]"))),
            ("korean", .path(try p("a.정보.분류"))),
            ("kelvin", .path(try p("a.Key"))),
            ("root", .path(try p("$root.a.id"))),
            ("join", .join(try p("a.list[*].v"), separator: " | ", or: nil)),
            ("join-or", .join(try p("a.list[*].v"), separator: " ", or: .join(try p("a.alt[*].v"), separator: "+", or: nil))),
            ("first", .first([.path(try p("a.missing")), .path(try p("a.empty")), .path(try p("a.nullword")), .path(try p("a.id"))])),
            ("first-none", .first([.path(try p("a.missing")), .path(try p("a.other"))])),
            ("map", .map(.path(try p("a.n")), table: ["0": "zero", "5": "five"], fallback: "other")),
            ("map-strict", .map(.path(try p("a.n")), table: ["0": "zero"], fallback: nil)),
            ("json", .json(try p("a.list"))),
            ("json-multi", .json(try p("a.list[*].v"))),
            ("constant", .constant("c")),
            ("location", .location),
        ]
    }

    func outcome(_ body: () throws -> [String?]) -> String {
        do { return try body().map { $0.map { "\"\($0)\"" } ?? "nil" }.joined(separator: ", ") } catch let e as RecordError {
            // A tape names no "did you mean" (the ingest reads the document again for that message).
            if case let .pathMatchedNothing(field, path, _, _) = e { return "error: \(field): \(path) missing" }
            return "error: \(e)"
        } catch {
            return "other error: \(error)"
        }
    }

    func testEveryRuleGivesWhatTheParsedDocumentGives() throws {
        var compared = 0, failed = 0
        for doc in documents {
            let bytes = Array(doc.utf8)
            for (name, rule) in try rules() {
                for optional in [false, true] {
                    let extractor = FieldExtractor(fields: [FieldSpec(name: name, rule: rule, optional: optional)], nulls: ["", "null"])
                    let keep = extractor.projection()
                    let parsed = try JSONParser.parse(bytes)
                    let tape = try JSONTape(bytes, keeping: keep)
                    // A top-level array is read element by element, as the ingest reads it.
                    let items: [(JSONValue, Int)] = if case let .array(e) = parsed { Array(zip(e, tape.elements(of: JSONTape.root))) } else { [(parsed, JSONTape.root)] }
                    for (value, node) in items {
                        let expected = outcome { try extractor.extract(from: RecordScope(item: value, root: parsed, location: "x.zip!a.json")) }
                        let got = outcome { try extractor.extract(from: TapeScope(tape: tape, item: node, location: "x.zip!a.json")) }
                        XCTAssertEqual(got, expected, "rule \(name) (optional: \(optional)) on \(doc)")
                        compared += 1
                        if expected.hasPrefix("error") { failed += 1 }
                        let alternatives = extractor.alternatives
                        XCTAssertEqual(extractor.matchedAlternatives(in: TapeScope(tape: tape, item: node), alternatives),
                                       extractor.matchedAlternatives(in: RecordScope(item: value, root: parsed), alternatives), "\(name) on \(doc)")
                    }
                }
            }
        }
        // Both values and errors were compared.
        XCTAssertGreaterThan(compared, 300)
        XCTAssertGreaterThan(failed, 20)
        XCTAssertLessThan(failed, compared / 2)
    }

    func testTapeNavigation() throws {
        var keep = JSONProjection()
        keep.add(try FieldPath("a.list[*].v"))
        keep.add(try FieldPath("a.id"))
        let tape = try JSONTape(Array(documents[1].utf8), keeping: keep)
        let a = try XCTUnwrap(tape.member("a", of: JSONTape.root))
        XCTAssertEqual(tape.member("id", of: a).flatMap(tape.text), "x2")
        // Members no path reads are left out of the tape.
        XCTAssertNil(tape.member("w", of: try XCTUnwrap(tape.element(3, of: try XCTUnwrap(tape.member("list", of: a))))))
        let list = try XCTUnwrap(tape.member("list", of: a))
        XCTAssertEqual(tape.elements(of: list).count, 6)
        XCTAssertEqual(tape.element(5, of: list).flatMap { tape.member("v", of: $0) }.flatMap(tape.text), "셋")
        XCTAssertNil(tape.element(6, of: list))
        XCTAssertEqual(tape.kindName(list), "an array")
        XCTAssertEqual(tape.value(list), try FieldPath("a.list").values(in: JSONParser.parse(Array(documents[1].utf8), keeping: keep)).first)
        // A key is matched as text: the Kelvin sign is the "K" of the path.
        let kelvin = FieldExtractor(fields: [FieldSpec(name: "k", rule: .path(try FieldPath("a.Key")))])
        let bytes = Array(documents.last!.utf8)
        XCTAssertEqual(try kelvin.extract(from: TapeScope(tape: JSONTape(bytes, keeping: kelvin.projection()))), ["켈빈"])
    }
}
