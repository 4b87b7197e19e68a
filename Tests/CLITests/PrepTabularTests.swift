import Foundation
import XCTest

/// `prep run` / `prep check` on tables and JSON lines (`source.format: tsv | csv | jsonl`), with the
/// fixtures in fixtures/tabular (fixtures/tabular/make_tabular.py). Expected rows come from Python's
/// `csv` and `json` modules reading the same files.
final class PrepTabularTests: XCTestCase {
    static let spec = "specs/nsmc-sentiment.yaml"

    /// python: the NSMC spec's record, refine and drop rules applied to fixtures/tabular/nsmc with the
    /// csv module. Prints {"rows": [{id, text, label, split, line}], "kept": {split: {label: n}},
    /// "missing": n, "dups": n}.
    static let nsmcReading = #"""
import csv, json, os, re, sys, unicodedata
root, rows = sys.argv[1], []
for name, split in [("ratings_test.txt", "test"), ("ratings_train.txt", "train")]:
    with open(os.path.join(root, name), encoding="utf-8-sig", newline="") as f:
        r = csv.reader(f, delimiter="\t", strict=True)
        header, last = None, 0
        for row in r:
            start, last = last + 1, r.line_num
            if not row: continue
            if header is None: header = row; continue
            d = dict(zip(header, row))
            rows.append({"id": d["id"], "text": d["document"] or None, "label": {"0": "negative", "1": "positive"}[d["label"]],
                         "split": split, "line": start})
kept, seen, missing, dups = {}, {"train": set(), "test": set()}, 0, 0
for r in rows:
    t = re.sub(r"\s+", " ", r["text"] or "").strip()
    if not t: missing += 1; continue
    key = " ".join(unicodedata.normalize("NFC", t).lower().split())
    if key in seen[r["split"]]: dups += 1; continue
    seen[r["split"]].add(key)
    kept.setdefault(r["split"], {}).setdefault(r["label"], 0)
    kept[r["split"]][r["label"]] += 1
print(json.dumps({"rows": rows, "kept": kept, "missing": missing, "dups": dups}, ensure_ascii=False))
"""#

    private func reading() throws -> [String: Any] {
        try XCTUnwrap(try Python.json(Self.nsmcReading, [Binaries.repo + "/fixtures/tabular/nsmc"]) as? [String: Any])
    }

    /// Writes `specs/<name>.yaml` into the workspace.
    private func write(_ w: Workspace, _ name: String, _ yaml: String) throws {
        try yaml.write(toFile: w.dir + "/specs/\(name).yaml", atomically: true, encoding: .utf8)
    }

    private func check(_ w: Workspace, _ name: String) throws -> Binaries.Result {
        try Binaries.run("prep", ["check", "specs/\(name).yaml"], cwd: w.dir)
    }

    // MARK: - The bundled NSMC spec

    func testTheNSMCSpecIsValid() throws {
        let r = try Binaries.run("prep", ["check", Self.spec])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("\(Self.spec): ok"), r.stdout)
    }

    func testTheNSMCSpecRunsEndToEnd() throws {
        let w = try Workspace("nsmc")
        let r = try w.prep(["run", Self.spec])
        XCTAssertEqual(r.status, 0, r.stderr)
        let want = try reading()
        let wantRows = try XCTUnwrap(want["rows"] as? [[String: Any]])
        XCTAssertEqual(wantRows.count, 80)

        // records.jsonl: every row, as python's csv module reads it, labels mapped, split by file name.
        let out = w.dir + "/out/nsmc-sentiment"
        let rows = try Workspace.jsonl(out + "/records.jsonl")
        XCTAssertEqual(rows.count, wantRows.count)
        for (got, exp) in zip(rows, wantRows) {
            let file = exp["split"] as? String == "train" ? "ratings_train.txt" : "ratings_test.txt"
            XCTAssertEqual(got["id"] as? String, exp["id"] as? String)
            XCTAssertEqual(got["text"] as? String, exp["text"] as? String, "\(file):\(exp["line"] ?? "")")
            XCTAssertEqual(got["label"] as? String, exp["label"] as? String)
            XCTAssertEqual(got["_split"] as? String, exp["split"] as? String)
            XCTAssertEqual(got["_entry"] as? String, "\(file):\(exp["line"] as? Int ?? 0)")
        }
        let trainCount = wantRows.filter { $0["split"] as? String == "train" }.count
        XCTAssertTrue(r.stdout.contains("  ingest    2 -> 80"), r.stdout)
        XCTAssertTrue(r.stdout.contains("splits: test \(80 - trainCount), train \(trainCount)"), r.stdout)
        let missing = try XCTUnwrap(want["missing"] as? Int), dups = try XCTUnwrap(want["dups"] as? Int)
        XCTAssertEqual([missing, dups], [1, 1], "the fixture has one empty review and one repeated row")
        XCTAssertTrue(r.stdout.contains("drop      80 -> \(80 - missing - dups)  removed: \(missing) missing text, \(dups) duplicate text (train)"), r.stdout)

        // sample: 15 per label from train, 90/10 into train and valid; test untouched.
        let kept = try XCTUnwrap(want["kept"] as? [String: [String: Int]])
        XCTAssertGreaterThanOrEqual(kept["train"]?.values.min() ?? 0, 15, "both labels have 15 training rows to sample")
        let train = try Workspace.jsonl(out + "/train.jsonl"), valid = try Workspace.jsonl(out + "/valid.jsonl")
        let test = try Workspace.jsonl(out + "/test.jsonl")
        XCTAssertEqual(train.count + valid.count, 30)
        // 10% of 15 is 1.5 per label: the sampler places whole rows, so valid holds 2 or 3.
        XCTAssertTrue((2...3).contains(valid.count), "\(valid.count) valid rows")
        XCTAssertEqual(Set(valid.compactMap { $0["label"] as? String }), ["positive", "negative"])
        for label in ["positive", "negative"] {
            XCTAssertEqual((train + valid).filter { $0["label"] as? String == label }.count, 15, label)
        }
        XCTAssertEqual(test.count, kept["test"]?.values.reduce(0, +))
        XCTAssertEqual(Set(test.compactMap { $0["_entry"] as? String }.map { String($0.prefix(while: { $0 != ":" })) }), ["ratings_test.txt"])

        // instruct: the alpaca file says 긍정/부정 for the mapped labels.
        let alpaca = try Workspace.jsonl(out + "/train.alpaca.jsonl")
        XCTAssertEqual(alpaca.count, train.count)
        for (a, row) in zip(alpaca, train) {
            XCTAssertEqual(a["output"] as? String, row["label"] as? String == "positive" ? "긍정" : "부정")
            XCTAssertEqual(a["input"] as? String, row["text"] as? String)
            XCTAssertTrue((a["instruction"] as? String ?? "").contains("영화 리뷰"))
        }
        XCTAssertFalse(alpaca.contains { ($0["input"] as? String ?? "").contains("\t") }, "refine turned the tab into a space")
    }

    // MARK: - Charsets

    func testACP949CSVGivesTheSameRecordsAsItsUTF8Twin() throws {
        let w = try Workspace("cp949")
        for (name, file, charset) in [("utf8", "reviews_utf8.csv", ""), ("cp949", "reviews_cp949.csv", ", charset: CP949")] {
            try write(w, name, """
            name: \(name)
            source: {root: fixtures/tabular/cp949, files: ["\(file)"], format: csv\(charset)}
            record: {id: id, text: review, rating: rating}
            """)
            let r = try w.prep(["run", "specs/\(name).yaml"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let strip = { (rows: [[String: Any]]) in rows.map { $0.filter { !$0.key.hasPrefix("_") } as NSDictionary } }
        let utf8 = try Workspace.jsonl(w.dir + "/out/utf8/records.jsonl"), cp949 = try Workspace.jsonl(w.dir + "/out/cp949/records.jsonl")
        XCTAssertEqual(utf8.count, 12)
        XCTAssertEqual(strip(cp949), strip(utf8))
        XCTAssertEqual(cp949.map { ($0["_entry"] as? String ?? "").replacingOccurrences(of: "cp949", with: "utf8") }, utf8.map { $0["_entry"] as? String ?? "" })
        XCTAssertTrue(cp949.contains { ($0["text"] as? String ?? "").contains("똠양꿍") })
    }

    func testInvalidUTF8IsAnErrorNamingFileAndLine() throws {
        let w = try Workspace("badutf8")
        try write(w, "raw", """
        name: raw
        source: {root: fixtures/tabular/cp949, files: ["reviews_cp949.csv"], format: csv}
        record: {id: id, text: review}
        """)
        let r = try w.prep(["run", "specs/raw.yaml"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.hasPrefix("error: reviews_cp949.csv:2: byte 0xB3 at column 6 is not UTF-8"), r.stderr)
        XCTAssertTrue(r.stderr.contains("set `source.charset: CP949`"), r.stderr)
        XCTAssertFalse(w.exists("out/raw/records.jsonl"))
    }

    // MARK: - Malformed lines

    func testAMalformedRowStopsTheRunAndSkipCountsIt() throws {
        let w = try Workspace("badrow")
        try write(w, "rows", """
        name: rows
        source: {root: fixtures/tabular/broken, files: ["bad_row.tsv"], format: tsv}
        record: {id: id, text: document, label: label}
        """)
        let r = try w.prep(["run", "specs/rows.yaml"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertEqual(r.stderr, "error: bad_row.tsv:4: the row has 4 fields, the header (line 1) has 3: id, document, label;"
                       + " a field holding the delimiter must be quoted. Set `source.on_bad_entry: skip` to count and skip such rows instead\n")
        XCTAssertFalse(w.exists("out/rows/records.jsonl"), "nothing is written")

        try w.editSpec("rows.yaml", replacing: "format: tsv}", with: "format: tsv, on_bad_entry: skip}")
        let s = try w.prep(["run", "specs/rows.yaml"])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(s.stdout.contains("  ingest    1 -> 3  removed: 1 wrong number of fields"), s.stdout)
        let rows = try Workspace.jsonl(w.dir + "/out/rows/records.jsonl")
        XCTAssertEqual(rows.map { $0["id"] as? String }, ["1", "2", "4"])
        XCTAssertEqual(rows.map { $0["_entry"] as? String }, ["bad_row.tsv:2", "bad_row.tsv:3", "bad_row.tsv:5"])
    }

    func testAMalformedJSONLineStopsTheRunAndSkipCountsIt() throws {
        let w = try Workspace("badline")
        try write(w, "lines", """
        name: lines
        source: {root: fixtures/tabular/broken, files: ["bad_line.jsonl"], format: jsonl}
        record: {id: guid, title: title, label: label}
        """)
        let r = try w.prep(["run", "specs/lines.yaml"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.hasPrefix("error: bad_line.jsonl:3: malformed JSON: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("`source.on_bad_entry: skip`"), r.stderr)

        try w.editSpec("lines.yaml", replacing: "format: jsonl}", with: "format: jsonl, on_bad_entry: skip}")
        let s = try w.prep(["run", "specs/lines.yaml"])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(s.stdout.contains("  ingest    1 -> 3  removed: 1 malformed JSON"), s.stdout)
        XCTAssertEqual(try Workspace.jsonl(w.dir + "/out/lines/records.jsonl").map { $0["id"] as? String }, ["b1", "b2", "b4"])
    }

    func testAnUnclosedQuoteNamesTheLineItOpens() throws {
        let w = try Workspace("unclosed")
        try write(w, "q", """
        name: q
        source: {root: fixtures/tabular/broken, files: ["unclosed.tsv"], format: tsv}
        record: {id: id, text: document}
        """)
        let r = try w.prep(["run", "specs/q.yaml"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.hasPrefix("error: unclosed.tsv:3: a quoted field is not closed"), r.stderr)
        XCTAssertTrue(r.stderr.contains("`source.quoting: none`"), r.stderr)
    }

    // MARK: - JSON lines

    func testJSONLinesNameEachRecordByItsLine() throws {
        let w = try Workspace("klue")
        try write(w, "ynat", """
        name: ynat
        source: {root: fixtures/tabular/klue, files: ["*.jsonl"], format: jsonl}
        record:
          id: guid
          title: title
          label: {from: label, map: {0: IT과학, 1: 경제, 2: 사회, 3: 생활문화, 4: 세계, 5: 스포츠, 6: 정치}}
          where: $location
        """)
        let r = try w.prep(["run", "specs/ynat.yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let want = try XCTUnwrap(try Python.json("""
        import json, sys
        print(json.dumps([[n, json.loads(l)["guid"], json.loads(l)["label"]] for n, l in enumerate(open(sys.argv[1], encoding="utf-8"), 1) if l.strip()]))
        """, [Binaries.repo + "/fixtures/tabular/klue/ynat_train.jsonl"]) as? [[Any]])
        let rows = try Workspace.jsonl(w.dir + "/out/ynat/records.jsonl")
        XCTAssertEqual(rows.count, want.count)
        XCTAssertEqual(rows.count, 12)
        let names = ["IT과학", "경제", "사회", "생활문화", "세계", "스포츠", "정치"]
        for (row, exp) in zip(rows, want) {
            let line = exp[0] as? Int ?? 0
            XCTAssertEqual(row["id"] as? String, exp[1] as? String)
            XCTAssertEqual(row["label"] as? String, names[exp[2] as? Int ?? 0])
            XCTAssertEqual(row["_entry"] as? String, "ynat_train.jsonl:\(line)")
            XCTAssertEqual(row["where"] as? String, "ynat_train.jsonl:\(line)")
        }
        XCTAssertFalse(rows.contains { $0["_entry"] as? String == "ynat_train.jsonl:7" }, "line 7 is blank")
    }

    // MARK: - Spec errors

    func testSpecErrorsAreLocated() throws {
        let w = try Workspace("tabular-check")
        let cases: [(yaml: String, message: String)] = [
            ("source: {root: d, format: tsvv}", "source.format: 'tsvv' is not one of json, jsonl, csv, tsv; did you mean 'tsv'?"),
            ("source: {root: d, kind: html, format: csv, fields: {title: //title}}",
             "source.format: `format` says how JSON sources hold records (json, jsonl, csv, tsv); a `kind: html` source reads pages"),
            ("source: {root: d, format: csv, records: \"data[*]\"}",
             "source.records: `records` picks records out of JSON documents; with `format: csv` every row is one record"),
            ("source: {root: d, format: jsonl, quoting: none}", "source.quoting: `quoting` applies to `format: csv` and `format: tsv`"),
            ("source: {root: d, format: tsv, quoting: minimal}", "source.quoting: 'minimal' is not one of rfc4180, none"),
            ("source: {root: d, format: csv, charset: CP94}", "source.charset: 'CP94' is not a charset this system's iconv knows"),
        ]
        for (i, c) in cases.enumerated() {
            try write(w, "bad\(i)", "name: bad\n\(c.yaml)\nrecord: {id: id}\n")
            let r = try check(w, "bad\(i)")
            XCTAssertEqual(r.status, 2, c.yaml)
            XCTAssertTrue(r.stderr.hasPrefix("error: specs/bad\(i).yaml:2:"), r.stderr)
            XCTAssertTrue(r.stderr.contains(c.message), "\(c.yaml): \(r.stderr)")
        }
        // The formats that fit: jsonl with records, csv with a charset.
        try write(w, "good", "name: good\nsource: {root: d, format: jsonl, records: \"data[*]\", charset: CP949}\nrecord: {id: id}\n")
        XCTAssertEqual(try check(w, "good").status, 0)
    }
}
