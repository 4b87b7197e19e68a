import Foundation
import HarnessSpec
import XCTest

/// Every kind of spec error `SpecLoader.parse` reports: each is located (file, line, column, key) and
/// says what to do. Lines and columns are counted by hand from the YAML texts below (1-based).
final class SpecLoaderErrorTests: XCTestCase {
    private func error(_ yaml: String, file: String = "t.yaml", line: UInt = #line) -> SpecError? {
        do {
            _ = try SpecLoader.parse(yaml, file: file)
            XCTFail("the spec parsed, but an error was expected", line: line)
            return nil
        } catch let e as SpecError {
            return e
        } catch {
            XCTFail("expected a SpecError, got \(type(of: error)): \(error)", line: line)
            return nil
        }
    }

    func testUnknownTopLevelKeySuggestsTheClosestKey() throws {
        let e = try XCTUnwrap(error("""
        name: demo
        source: {root: data}
        record: {id: a}
        stagse: []
        """))
        XCTAssertEqual(e.line, 4)
        XCTAssertEqual(e.column, 1)
        XCTAssertEqual(e.key, "stagse")
        XCTAssertTrue(e.message.hasPrefix("unknown key 'stagse'; did you mean 'stages'?"), e.message)
        XCTAssertTrue(e.message.contains("(allowed here: name, metadata, source, record, nulls, stages, outputs"), e.message)
    }

    func testArchivesAndItsAliasFilesTogetherAreAnError() throws {
        // Before, `files:` was silently ignored when `archives:` was given too.
        let e = try XCTUnwrap(error("""
        name: demo
        source: {root: data, archives: ["*.zip"], files: ["*.json"]}
        record: {id: a}
        """))
        XCTAssertEqual(e.key, "source.files")
        XCTAssertEqual(e.line, 2)
        XCTAssertTrue(e.message.hasPrefix("`files` is another name for `archives`; give one of them"), e.message)
        XCTAssertEqual(try SpecLoader.parse("name: demo\nsource: {root: data, files: [\"*.json\"]}\nrecord: {id: a}\n", file: "t.yaml").source.archives, ["*.json"])
    }

    func testUnknownKeyFarFromAnyKnownKeyGetsNoSuggestion() throws {
        let e = try XCTUnwrap(error("""
        name: demo
        source: {root: data, zzzzzzzz: 1}
        record: {id: a}
        """))
        XCTAssertEqual(e.key, "source.zzzzzzzz")
        XCTAssertFalse(e.message.contains("did you mean"), e.message)
        XCTAssertTrue(e.message.hasPrefix("unknown key 'zzzzzzzz'"), e.message)
    }

    func testUnknownKeyInsideAFieldRule() throws {
        let e = try XCTUnwrap(error("""
        name: demo
        source: {root: data}
        record:
          id: a
          label: {from: x, mapp: {0: a}}
        """))
        XCTAssertEqual(e.line, 5)
        XCTAssertEqual(e.column, 20)
        XCTAssertEqual(e.key, "record.label.mapp")
        XCTAssertTrue(e.message.contains("did you mean 'map'?"), e.message)
    }

    func testMissingRequiredKeysNameTheKeyAndGiveAHint() throws {
        let noName = try XCTUnwrap(error("source: {root: data}\nrecord: {id: a}\n"))
        XCTAssertEqual(noName.key, "")
        XCTAssertEqual(noName.line, 1)
        XCTAssertTrue(noName.message.hasPrefix("missing required key 'name'; give the spec a short name"), noName.message)

        let noSource = try XCTUnwrap(error("name: demo\nrecord: {id: a}\n"))
        XCTAssertTrue(noSource.message.hasPrefix("missing required key 'source'; say where the data is"), noSource.message)

        let noRecord = try XCTUnwrap(error("name: demo\nsource: {root: data}\n"))
        XCTAssertTrue(noRecord.message.hasPrefix("missing required key 'record'; map JSON paths to fields"), noRecord.message)
        XCTAssertEqual(noRecord.description, "t.yaml:1:1: " + noRecord.message)
    }

    func testARecordWithoutIdIsRejected() throws {
        let e = try XCTUnwrap(error("""
        name: demo
        source: {root: data}
        record:
          title: a.b
        """))
        XCTAssertEqual(e.key, "record")
        XCTAssertEqual(e.line, 4, "the mapping under `record:` starts on line 4")
        XCTAssertTrue(e.message.contains("needs an `id` field"), e.message)
    }

    func testAFieldRuleWithNoSourceOfValueIsRejected() throws {
        let e = try XCTUnwrap(error("""
        name: demo
        source: {root: data}
        record: {id: a, x: {optional: true}}
        """))
        XCTAssertEqual(e.key, "record.x")
        XCTAssertTrue(e.message.contains("needs one of `path`, `first`, `join`, `from`, `json` or `const`"), e.message)
    }

    func testWrongTypesSayWhatWasExpectedAndWhatWasFound() throws {
        let number = try XCTUnwrap(error("""
        name: demo
        source:
          limits: {max_entry_mb: lots}
        record: {id: a}
        """))
        XCTAssertEqual(number.key, "source.limits.max_entry_mb")
        XCTAssertEqual(number.line, 3)
        XCTAssertEqual(number.column, 26)
        XCTAssertEqual(number.message, "expected a whole number, found 'lots'")

        let list = try XCTUnwrap(error("""
        name: demo
        source: {archives: {a: b}}
        record: {id: a}
        """))
        XCTAssertEqual(list.key, "source.archives")
        XCTAssertEqual(list.message, "expected a list, found a mapping")

        let bool = try XCTUnwrap(error("""
        name: demo
        source: {root: data}
        record: {id: a}
        outputs: {csv_bom: maybe}
        """))
        XCTAssertEqual(bool.key, "outputs.csv_bom")
        XCTAssertEqual(bool.message, "expected true or false, found 'maybe'")

        let text = try XCTUnwrap(error("""
        name: [a, b]
        source: {root: data}
        record: {id: a}
        """))
        XCTAssertEqual(text.key, "name")
        XCTAssertEqual(text.message, "expected a text value, found a list")

        let choice = try XCTUnwrap(error("""
        name: demo
        source: {root: data}
        record: {id: a}
        outputs: {formats: [jsonl, cvs]}
        """))
        XCTAssertEqual(choice.key, "outputs.formats[1]")
        XCTAssertTrue(choice.message.hasPrefix("'cvs' is not one of jsonl, csv; did you mean 'csv'?"), choice.message)
    }

    func testOutOfRangeLimitsAreRejected() throws {
        let mb = try XCTUnwrap(error("name: demo\nsource: {limits: {max_entry_mb: 0}}\nrecord: {id: a}\n"))
        XCTAssertEqual(mb.key, "source.limits.max_entry_mb")
        XCTAssertTrue(mb.message.contains("positive"), mb.message)
        let ratio = try XCTUnwrap(error("name: demo\nsource: {limits: {max_ratio: 1}}\nrecord: {id: a}\n"))
        XCTAssertEqual(ratio.key, "source.limits.max_ratio")
        XCTAssertTrue(ratio.message.contains("greater than 1"), ratio.message)
    }

    /// Bad YAML: the position comes from Yams (libyaml). In `  root: a: b` the second `:` is at
    /// column 10 of line 3, where "mapping values are not allowed".
    func testBadYAMLSyntaxIsLocatedByLineAndColumn() throws {
        let e = try XCTUnwrap(error("""
        name: demo
        source:
          root: a: b
        record: {id: a}
        """, file: "bad.yaml"))
        XCTAssertEqual(e.file, "bad.yaml")
        XCTAssertEqual(e.line, 3)
        XCTAssertEqual(e.column, 10)
        XCTAssertTrue(e.message.hasPrefix("invalid YAML: mapping values are not allowed"), e.message)
        XCTAssertTrue(e.description.hasPrefix("bad.yaml:3:10: invalid YAML"), e.description)
    }

    /// An unclosed flow sequence: libyaml notices at the start of the next line (line 3, column 1).
    func testUnclosedFlowListIsReportedWhereTheParserNoticed() throws {
        let e = try XCTUnwrap(error("name: demo\nsource: {archives: [a, b\nrecord: {id: a}\n"))
        XCTAssertTrue(e.message.hasPrefix("invalid YAML:"), e.message)
        XCTAssertGreaterThanOrEqual(e.line, 2)
        XCTAssertLessThanOrEqual(e.line, 4)
    }

    func testAnEmptySpecIsAnError() throws {
        let e = try XCTUnwrap(error(""))
        XCTAssertEqual(e.message, "the spec is empty")
        XCTAssertEqual(e.line, 1)
    }

    func testInvalidFieldPathsAreLocatedAtTheField() throws {
        let bracket = try XCTUnwrap(error("""
        name: demo
        source: {root: data}
        record:
          id: a.b
          body: "items[x].text"
        """))
        XCTAssertEqual(bracket.key, "record.body")
        XCTAssertEqual(bracket.line, 5)
        XCTAssertEqual(bracket.column, 9)
        XCTAssertEqual(bracket.message, "invalid field path 'items[x].text': '[x]' is neither [*] nor an index")

        let unclosed = try XCTUnwrap(error("name: demo\nsource: {root: data}\nrecord: {id: \"a[0\"}\n"))
        XCTAssertEqual(unclosed.key, "record.id")
        XCTAssertTrue(unclosed.message.contains("'[' without ']'"), unclosed.message)

        let nested = try XCTUnwrap(error("name: demo\nsource: {root: data}\nrecord: {id: a, t: {first: [a, \"b]\"]}}\n"))
        XCTAssertEqual(nested.key, "record.t.first[1]")
        XCTAssertTrue(nested.message.contains("']' without '['"), nested.message)
    }

    func testUnusableNamesAreRejected() throws {
        for bad in ["\"my spec\"", "\"a/b\"", "\"\"", "\"x.y\""] {
            let e = try XCTUnwrap(error("name: \(bad)\nsource: {root: data}\nrecord: {id: a}\n"), bad)
            XCTAssertEqual(e.key, "name", bad)
            XCTAssertEqual(e.line, 1, bad)
            XCTAssertEqual(e.column, 7, bad)
            XCTAssertTrue(e.message.contains("is not a usable name: use letters, digits, '-' and '_'"), e.message)
        }
        // Letters include Hangul; digits, '-' and '_' are fine.
        XCTAssertEqual(try SpecLoader.parse("name: 낚시_v2-a\nsource: {root: data}\nrecord: {id: a}\n", file: "t.yaml").name, "낚시_v2-a")
    }

    func testAStageEntryMustBeAOneKeyMapping() throws {
        let e = try XCTUnwrap(error("""
        name: demo
        source: {root: data}
        record: {id: a}
        stages:
          - {drop: {required: [id]}, sample: {}}
        """))
        XCTAssertEqual(e.key, "stages[0]")
        XCTAssertEqual(e.line, 5)
        XCTAssertTrue(e.message.contains("one key, the stage name"), e.message)
    }

    func testHTMLSourcesNeedXPathsAndJSONSourcesRefuseThem() throws {
        let html = try XCTUnwrap(error("name: demo\nsource: {kind: html}\nrecord: {id: a}\n"))
        XCTAssertTrue(html.message.hasPrefix("missing required key 'fields'; an html source needs XPaths"), html.message)
        let json = try XCTUnwrap(error("name: demo\nsource: {fields: {a: //b}}\nrecord: {id: a}\n"))
        XCTAssertEqual(json.key, "source.fields")
        XCTAssertTrue(json.message.contains("belongs to `kind: html`"), json.message)
        let kind = try XCTUnwrap(error("name: demo\nsource: {kind: jsn}\nrecord: {id: a}\n"))
        XCTAssertEqual(kind.key, "source.kind")
        XCTAssertTrue(kind.message.contains("did you mean 'json'?"), kind.message)
    }

    func testLoadNamesTheFileWhenItIsMissingOrNotUTF8() throws {
        let dir = NSTemporaryDirectory() + "speclo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try SpecLoader.load(path: dir + "/nope.yaml")) {
            XCTAssertEqual(($0 as? SpecError)?.description, "\(dir)/nope.yaml:1:1: cannot read the spec file (does it exist?)")
        }
        let latin1 = dir + "/latin1.yaml"
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: latin1)) // "name: \xE9\n"
        XCTAssertThrowsError(try SpecLoader.load(path: latin1)) {
            XCTAssertEqual(($0 as? SpecError)?.message, "the spec is not UTF-8 text")
        }
        let good = dir + "/good.yaml"
        try "name: demo\nsource: {root: data}\nrecord: {id: a}\n".write(toFile: good, atomically: true, encoding: .utf8)
        let spec = try SpecLoader.load(path: good)
        XCTAssertEqual(spec.file, good)
        XCTAssertEqual(spec.name, "demo")
    }
}
