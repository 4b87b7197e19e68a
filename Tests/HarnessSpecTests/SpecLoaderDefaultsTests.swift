import HarnessSpec
import XCTest

/// What a minimal spec gets by default, as documented in README.md ("Specs", `outputs`, `source`).
final class SpecLoaderDefaultsTests: XCTestCase {
    func testAMinimalSpecGetsTheDocumentedDefaults() throws {
        let spec = try SpecLoader.parse("name: tiny\nsource: {}\nrecord: {id: a.id}\n", file: "tiny.yaml")
        XCTAssertEqual(spec.file, "tiny.yaml")
        XCTAssertEqual(spec.version, 1)
        XCTAssertEqual(spec.outputs.dir, "out/tiny")
        XCTAssertTrue(spec.outputs.jsonl)
        XCTAssertTrue(spec.outputs.csv)
        XCTAssertTrue(spec.outputs.csvBOM)
        XCTAssertEqual(spec.source.kind, .json)
        XCTAssertEqual(spec.source.root, "data")
        XCTAssertEqual(spec.source.archives, ["**/*.zip"])
        XCTAssertEqual(spec.source.entries, ["*"])
        XCTAssertEqual(spec.source.defaultSplit, "train")
        XCTAssertEqual(spec.source.maxEntryMB, 256)
        XCTAssertEqual(spec.source.maxRatio, 200)
        XCTAssertTrue(spec.source.splitByPath.isEmpty)
        XCTAssertEqual(spec.nulls, ["", "null", "NULL", "None"])
        XCTAssertTrue(spec.stages.isEmpty)
        XCTAssertNil(spec.eval)
    }

    func testOutputsWithoutDirStillDefaultToOutSlashName() throws {
        let spec = try SpecLoader.parse("name: other\nsource: {}\nrecord: {id: a}\noutputs: {formats: [csv], csv_bom: false}\n", file: "t.yaml")
        XCTAssertEqual(spec.outputs.dir, "out/other")
        XCTAssertFalse(spec.outputs.jsonl)
        XCTAssertTrue(spec.outputs.csv)
        XCTAssertFalse(spec.outputs.csvBOM)
        let explicit = try SpecLoader.parse("name: other\nsource: {}\nrecord: {id: a}\noutputs: {dir: /tmp/x}\n", file: "t.yaml")
        XCTAssertEqual(explicit.outputs.dir, "/tmp/x")
    }

    func testGivenValuesOverrideTheDefaults() throws {
        let spec = try SpecLoader.parse("""
        name: full
        metadata: {version: 3, description: test}
        source:
          root: /data
          files: ["a/*.json"]
          entries: ["*_L.json", "*_S.json"]
          default_split: valid
          limits: {max_entry_mb: 8, max_ratio: 50}
        record: {id: a}
        nulls: ["-"]
        stages:
          - drop: {required: [id]}
          - sample: {per_class: 3}
        """, file: "t.yaml")
        XCTAssertEqual(spec.version, 3)
        XCTAssertEqual(spec.source.root, "/data")
        XCTAssertEqual(spec.source.archives, ["a/*.json"], "`files` is accepted as a synonym of `archives`")
        XCTAssertEqual(spec.source.entries, ["*_L.json", "*_S.json"])
        XCTAssertEqual(spec.source.defaultSplit, "valid")
        XCTAssertEqual(spec.source.maxEntryMB, 8)
        XCTAssertEqual(spec.source.maxRatio, 50)
        XCTAssertEqual(spec.nulls, ["-"])
        XCTAssertEqual(spec.stages.map(\.kind), ["drop", "sample"])
        XCTAssertEqual(spec.stages.map(\.index), [0, 1])
        XCTAssertEqual(spec.stages[1].args.path, "stages[1].sample")
    }

    /// The digest and stage canonical texts feed cache keys: equal meaning gives equal keys, any
    /// change of an argument gives a different one.
    func testDigestAndCanonicalTextsFollowTheContent() throws {
        let a = try SpecLoader.parse("name: d\nsource: {}\nrecord: {id: a}\nstages: [{drop: {required: [id]}}]\n", file: "a.yaml")
        let sameInBlockStyle = try SpecLoader.parse("name: d\nsource: {}\nrecord:\n  id: a\nstages:\n  - drop:\n      required: [id]\n", file: "b.yaml")
        let changed = try SpecLoader.parse("name: d\nsource: {}\nrecord: {id: a}\nstages: [{drop: {required: [a]}}]\n", file: "a.yaml")
        XCTAssertEqual(a.digest, sameInBlockStyle.digest, "flow and block style mean the same")
        XCTAssertEqual(a.stages[0].canonical, sameInBlockStyle.stages[0].canonical)
        XCTAssertNotEqual(a.digest, changed.digest)
        XCTAssertNotEqual(a.stages[0].canonical, changed.stages[0].canonical)
        XCTAssertEqual(a.sections["record"], changed.sections["record"])
        XCTAssertNotEqual(a.sections["stages"], changed.sections["stages"])
    }
}
