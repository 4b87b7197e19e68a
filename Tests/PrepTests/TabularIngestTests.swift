import Foundation
import HarnessSpec
@testable import Prep
import JSON
import Store
import XCTest

/// `source.format: jsonl | csv | tsv`: `TabularEntry` reads the fixtures in fixtures/tabular (made by
/// fixtures/tabular/make_tabular.py) into the documents the `record:` rules read, and `Ingest` names
/// each record `<entry>:<line>`. Expected rows come from Python's `csv` and `json` modules reading the
/// same files, not from the harness.
final class TabularIngestTests: XCTestCase {
    // MARK: - Helpers

    private func source(_ yaml: String) throws -> SourceSpec {
        try SpecLoader.parse("name: t\nsource: {\(yaml)}\nrecord: {id: id}\n", file: "t.yaml").source
    }

    private func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Repo.path("fixtures/tabular/" + name))))
    }

    /// Every item of `bytes` read as `source` says (decoding first), or the decoding failure.
    private func items(_ bytes: [UInt8], _ source: SourceSpec) -> [TabularEntry.Item] {
        switch TabularEntry.utf8(bytes, source: source) {
        case let .failure(bad): return [.bad(bad)]
        case let .success(text):
            var out: [TabularEntry.Item] = []
            TabularEntry.forEach(text, source: source) { out.append($0); return true }
            return out
        }
    }

    private func documents(_ items: [TabularEntry.Item]) -> [(line: Int, value: JSONValue)] {
        items.compactMap { if case let .document(line, v) = $0 { return (line, v) } else { return nil } }
    }

    private func bads(_ items: [TabularEntry.Item]) -> [TabularEntry.Bad] {
        items.compactMap { if case let .bad(b) = $0 { return b } else { return nil } }
    }

    /// Runs python3 `script` with `args` and decodes what it prints as JSON.
    private func python(_ script: String, _ args: [String]) throws -> Any {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "python3 failed")
        return try JSONSerialization.jsonObject(with: data)
    }

    /// python's csv module: [[start line, fields...]] of every row after the header (argv: file, encoding, delimiter).
    static let csvRows = #"""
import csv, json, sys
path, encoding, delimiter = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, encoding=encoding, newline="") as f:
    r = csv.reader(f, delimiter=delimiter, strict=True)
    rows, last = [], 0
    for row in r:
        if row: rows.append([last + 1] + row)
        last = r.line_num
print(json.dumps(rows[1:], ensure_ascii=False))
"""#

    /// Compares the harness's reading of a fixture table with python's, row by row (line, every field).
    private func assertSameAsPython(_ file: String, encoding: String, source: SourceSpec, delimiter: String,
                                    count: Int, file f: StaticString = #filePath, line l: UInt = #line) throws {
        let want = try XCTUnwrap(try python(Self.csvRows, [Repo.path("fixtures/tabular/" + file), encoding, delimiter]) as? [[Any]])
        let got = documents(items(try fixture(file), source))
        XCTAssertEqual(want.count, count, "python's row count", file: f, line: l)
        XCTAssertEqual(got.count, want.count, "rows", file: f, line: l)
        for (g, w) in zip(got, want) {
            XCTAssertEqual(g.line, w[0] as? Int, "start line", file: f, line: l)
            let fields = w.dropFirst().map { $0 as? String ?? "?" }
            for (name, value) in zip(["id", "document", "label"], fields) {
                XCTAssertEqual(g.value[name], value.isEmpty ? .null : .string(value), "\(file):\(g.line) \(name)", file: f, line: l)
            }
        }
    }

    // MARK: - TSV and CSV

    func testTSVRowsEqualPythonsCSVModule() throws {
        let tsv = try source("format: tsv")
        try assertSameAsPython("nsmc/ratings_train.txt", encoding: "utf-8", source: tsv, delimiter: "\t", count: 40)
        // BOM and CRLF line ends, a CRLF inside a quoted field.
        try assertSameAsPython("nsmc/ratings_test.txt", encoding: "utf-8-sig", source: tsv, delimiter: "\t", count: 40)
    }

    func testQuotedTabAndNewlineDoubledQuotesAndEmptyField() throws {
        let rows = documents(items(try fixture("nsmc/ratings_train.txt"), try source("format: tsv")))
        let byLine = Dictionary(uniqueKeysWithValues: rows.map { ($0.line, $0.value) })
        // Written by make_tabular.py: train row 5 (lines 7-8), row 9 (line 12), row 14 (line 17).
        XCTAssertEqual(byLine[7]?["document"], .string("처음엔 별로\t였는데\n두 번째 보니 좋다"))
        XCTAssertNil(byLine[8], "the row on line 7 continues on line 8")
        XCTAssertEqual(byLine[12]?["document"], .string("\"명작\"이라는 말이 아깝지 않다"))
        XCTAssertEqual(byLine[17]?["document"], .null, "an empty field is null")
        XCTAssertEqual(byLine[17]?["label"], .string("0"), "values are text")
        let test = documents(items(try fixture("nsmc/ratings_test.txt"), try source("format: tsv")))
        XCTAssertEqual(test.first.map { Self.keys($0.value) }, ["id", "document", "label"], "the BOM is not part of the first column's name")
        XCTAssertEqual(test.first { $0.line == 9 }?.value["document"], .string("극장에서 봤다\r\n다시 봐도 좋다"), "a CRLF inside quotes is kept")
    }

    private static func keys(_ v: JSONValue) -> [String] {
        if case let .object(m) = v { return m.map(\.key) }
        return []
    }

    func testCP949FileGivesTheSameRowsAsItsUTF8Twin() throws {
        let utf8 = documents(items(try fixture("cp949/reviews_utf8.csv"), try source("format: csv")))
        let cp949 = documents(items(try fixture("cp949/reviews_cp949.csv"), try source("format: csv, charset: CP949")))
        XCTAssertEqual(utf8.count, 12)
        XCTAssertEqual(cp949.map(\.line), utf8.map(\.line))
        XCTAssertEqual(cp949.map(\.value), utf8.map(\.value))
        XCTAssertTrue(cp949.contains { $0.value["review"]?.scalarText?.contains("똠양꿍") == true })
        // EUC-KR is read as CP949, its superset: 똠 and 햏 are not in EUC-KR proper.
        let euckr = documents(items(try fixture("cp949/reviews_cp949.csv"), try source("format: csv, charset: EUC-KR")))
        XCTAssertEqual(euckr.map(\.value), utf8.map(\.value))
    }

    func testInvalidUTF8NamesTheLineAndSuggestsCP949() throws {
        let bad = bads(items(try fixture("cp949/reviews_cp949.csv"), try source("format: csv")))
        XCTAssertEqual(bad.count, 1)
        // Line 1 is the ASCII header; line 2's first Korean byte is at column 6 ("r000,").
        XCTAssertEqual(bad.first?.line, 2)
        XCTAssertEqual(bad.first?.reason, "invalid UTF-8")
        XCTAssertEqual(bad.first.map { $0.error(entry: "x/reviews_cp949.csv").description },
                       "x/reviews_cp949.csv:2: byte 0xB3 at column 6 is not UTF-8; a file saved by Korean Windows or Excel is usually CP949: "
                       + "set `source.charset: CP949`. Set `source.on_bad_entry: skip` to count and skip such files instead")
    }

    func testUTF8TextUnderACP949CharsetIsRefused() throws {
        // The UTF-8 twin read as CP949: iconv fails on the first line holding Korean text.
        let bad = bads(items(try fixture("cp949/reviews_utf8.csv"), try source("format: csv, charset: CP949")))
        XCTAssertEqual(bad.map(\.reason), ["invalid CP949"])
        XCTAssertEqual(bad.first?.line, 2)
        let bom = bads(items(try fixture("nsmc/ratings_test.txt"), try source("format: tsv, charset: CP949")))
        XCTAssertEqual(bom.map(\.reason), ["charset mismatch"], "a UTF-8 byte-order mark with charset CP949")
    }

    func testARowWithTheWrongNumberOfFieldsIsBadAndTheOthersAreRead() throws {
        let all = items(try fixture("broken/bad_row.tsv"), try source("format: tsv"))
        XCTAssertEqual(documents(all).map(\.line), [2, 3, 5])
        XCTAssertEqual(bads(all).map(\.line), [4])
        XCTAssertEqual(bads(all).first?.reason, "wrong number of fields")
        XCTAssertEqual(bads(all).first?.detail,
                       "the row has 4 fields, the header (line 1) has 3: id, document, label; a field holding the delimiter must be quoted")
    }

    func testAnUnclosedQuoteIsBadAtTheLineItOpens() throws {
        let all = items(try fixture("broken/unclosed.tsv"), try source("format: tsv"))
        XCTAssertEqual(documents(all).map(\.line), [2], "the quote swallows the rest of the file")
        XCTAssertEqual(bads(all).map(\.line), [3])
        XCTAssertEqual(bads(all).first?.reason, "unclosed quote")
    }

    func testTextAfterAClosingQuoteSkipsThatRowOnly() throws {
        let all = items(Array("id\ttext\n1\t\"a\"b\tx\n2\tok\n".utf8), try source("format: tsv"))
        XCTAssertEqual(bads(all).map(\.line), [2])
        XCTAssertEqual(bads(all).first?.reason, "text after a closing quote")
        XCTAssertEqual(documents(all).map(\.line), [3], "the rest of line 2 is not read as a row")
        XCTAssertEqual(documents(all).first?.value["text"], .string("ok"))
    }

    func testQuotingNoneKeepsQuotesAsText() throws {
        let bytes = Array("id\ttext\r\n1\t\"인용\" 뒤 글\r\n\r\n2\t\"열린 따옴표\r\n".utf8)
        let all = items(bytes, try source("format: tsv, quoting: none"))
        XCTAssertEqual(documents(all).map(\.line), [2, 4], "the blank line 3 is passed over")
        XCTAssertEqual(documents(all).map { $0.value["text"] }, [.string("\"인용\" 뒤 글"), .string("\"열린 따옴표")])
        // The same bytes with RFC 4180 quoting: line 2 has text after a closing quote.
        XCTAssertEqual(bads(items(bytes, try source("format: tsv"))).first?.line, 2)
    }

    func testADuplicateHeaderColumnIsBad() throws {
        let all = items(Array("id,text,id\n1,a,2\n".utf8), try source("format: csv"))
        XCTAssertEqual(bads(all).map(\.reason), ["duplicate column"])
        XCTAssertTrue(documents(all).isEmpty)
    }

    func testHeaderOnlyAndEmptyFilesGiveNoRows() throws {
        XCTAssertTrue(items(Array("id,text\n".utf8), try source("format: csv")).isEmpty)
        XCTAssertTrue(items([], try source("format: csv")).isEmpty)
    }

    // MARK: - JSON lines

    /// python: [[line, guid, title, label]] of every non-blank line.
    static let jsonLines = #"""
import json, sys
out = []
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if line.strip():
        d = json.loads(line)
        out.append([n, d["guid"], d["title"], d["label"]])
print(json.dumps(out, ensure_ascii=False))
"""#

    func testJSONLinesGiveOneDocumentPerLine() throws {
        let want = try XCTUnwrap(try python(Self.jsonLines, [Repo.path("fixtures/tabular/klue/ynat_train.jsonl")]) as? [[Any]])
        let got = documents(items(try fixture("klue/ynat_train.jsonl"), try source("format: jsonl")))
        XCTAssertEqual(want.count, 12)
        XCTAssertEqual(got.map(\.line), want.map { $0[0] as? Int ?? 0 }, "line 7 is blank")
        for (g, w) in zip(got, want) {
            XCTAssertEqual(g.value["guid"], .string(w[1] as? String ?? "?"))
            XCTAssertEqual(g.value["title"], .string(w[2] as? String ?? "?"))
            XCTAssertEqual(g.value["label"], .number(String(w[3] as? Int ?? -1)), "numbers stay numbers")
        }
    }

    func testAMalformedJSONLineIsBadAndTheNextLinesAreRead() throws {
        let all = items(try fixture("broken/bad_line.jsonl"), try source("format: jsonl"))
        XCTAssertEqual(documents(all).map(\.line), [1, 2, 4])
        XCTAssertEqual(bads(all).map(\.line), [3])
        XCTAssertEqual(bads(all).first?.reason, "malformed JSON")
        XCTAssertEqual(bads(all).first.map { $0.error(entry: "bad_line.jsonl").description },
                       "bad_line.jsonl:3: malformed JSON: unexpected end of input at column 46. Set `source.on_bad_entry: skip` to count and skip such lines instead")
    }

    // MARK: - Split by file name

    func testAFileStemSelectsTheSplit() throws {
        let s = try source("format: tsv, split_by_path: {ratings_train: train, ratings_test: test}, default_split: other")
        XCTAssertEqual(s.split(archive: "ratings_train.txt", entry: ""), "train")
        XCTAssertEqual(s.split(archive: "nsmc/ratings_test.txt", entry: ""), "test")
        XCTAssertEqual(s.split(archive: "nsmc.zip", entry: "nsmc-master/ratings_test.txt"), "test")
        XCTAssertEqual(s.split(archive: "ratings_train_small.txt", entry: ""), "other", "a stem must match whole")
    }

    // MARK: - Through the ingest

    private func run(_ yaml: String, data: String, in sandbox: RunnerSandbox) throws -> (PrepRunner.Report, [[String: Any]]) {
        let spec = try SpecLoader.parse(yaml.replacingOccurrences(of: "OUT", with: sandbox.out), file: "t.yaml")
        let report = try sandbox.run(spec, data: data)
        let text = try String(contentsOfFile: sandbox.out + "/records.jsonl", encoding: .utf8)
        let rows = try text.split(separator: "\n").map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        return (report, rows)
    }

    func testRecordsInAZipAreNamedEntryColonLine() throws {
        let sandbox = try RunnerSandbox("tabular-zip")
        let data = sandbox.dir + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        _ = try python("""
        import json, sys, zipfile
        with zipfile.ZipFile(sys.argv[2], "w") as z:
            z.write(sys.argv[1] + "/nsmc/ratings_train.txt", "nsmc/ratings_train.txt")
            z.write(sys.argv[1] + "/klue/ynat_train.jsonl", "klue/ynat_train.jsonl")
        print("[]")
        """, [Repo.path("fixtures/tabular"), data + "/corpus.zip"])
        let yaml = """
        name: t
        source: {root: data, archives: ["*.zip"], entries: "*.txt", format: tsv, split_by_path: {ratings_train: train}, default_split: other}
        record: {id: id, text: document, label: {from: label, map: {0: negative, 1: positive}}, where: $location}
        outputs: {dir: "OUT"}
        """
        let (report, rows) = try run(yaml, data: data, in: sandbox)
        XCTAssertEqual(rows.count, 40)
        XCTAssertEqual(report.stages.first?.rowsOut, 40)
        let first = try XCTUnwrap(rows.first)
        XCTAssertEqual(first["_archive"] as? String, "corpus.zip")
        XCTAssertEqual(first["_entry"] as? String, "nsmc/ratings_train.txt:2")
        XCTAssertEqual(first["where"] as? String, "corpus.zip!nsmc/ratings_train.txt:2")
        XCTAssertEqual(first["_split"] as? String, "train", "the entry's file name selects the split")
        let quoted = try XCTUnwrap(rows.first { ($0["_entry"] as? String) == "nsmc/ratings_train.txt:7" })
        XCTAssertEqual(quoted["text"] as? String, "처음엔 별로\t였는데\n두 번째 보니 좋다")
        XCTAssertEqual(quoted["label"] as? String, "positive")
        let empty = try XCTUnwrap(rows.first { ($0["_entry"] as? String) == "nsmc/ratings_train.txt:17" })
        XCTAssertTrue(empty["text"] is NSNull, "an empty document is null")
        XCTAssertEqual(Set(rows.compactMap { $0["label"] as? String }), ["negative", "positive"])
    }

    func testJSONLinesWithRecordsAndRootPaths() throws {
        let sandbox = try RunnerSandbox("tabular-jsonl")
        let data = sandbox.dir + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try Data("{\"doc\": \"d1\", \"sents\": [{\"id\": \"s1\", \"t\": \"가\"}, {\"id\": \"s2\", \"t\": \"나\"}]}\n\n{\"doc\": \"d2\", \"sents\": [{\"id\": \"s3\", \"t\": \"다\"}]}\n".utf8)
            .write(to: URL(fileURLWithPath: data + "/docs.jsonl"))
        let yaml = """
        name: t
        source: {root: data, files: ["*.jsonl"], format: jsonl, records: "sents[*]"}
        record: {id: id, text: t, doc: $root.doc, where: $location}
        outputs: {dir: "OUT"}
        """
        let (_, rows) = try run(yaml, data: data, in: sandbox)
        XCTAssertEqual(rows.map { $0["id"] as? String }, ["s1", "s2", "s3"])
        XCTAssertEqual(rows.map { $0["doc"] as? String }, ["d1", "d1", "d2"])
        XCTAssertEqual(rows.map { $0["_entry"] as? String }, ["docs.jsonl:1#sents[0]", "docs.jsonl:1#sents[1]", "docs.jsonl:3#sents[0]"])
        XCTAssertEqual(rows.map { $0["where"] as? String }, ["docs.jsonl:1#sents[0]", "docs.jsonl:1#sents[1]", "docs.jsonl:3#sents[0]"])
    }

    func testAFieldRuleErrorNamesTheLine() throws {
        let sandbox = try RunnerSandbox("tabular-rule")
        let yaml = """
        name: t
        source: {root: data, files: ["ratings_train.txt"], format: tsv}
        record: {id: id, text: documnet}
        outputs: {dir: "OUT"}
        """
        XCTAssertThrowsError(try run(yaml, data: Repo.path("fixtures/tabular/nsmc"), in: sandbox)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("ratings_train.txt:2: "), text)
            XCTAssertTrue(text.contains("document"), "did you mean the header's column: \(text)")
        }
    }
}
