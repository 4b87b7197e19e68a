import Foundation
import XCTest

/// `prep run specs/wrapped-records.yaml` on fixtures/aihub/wrapped: files shaped
/// `{"info": {...}, "data": [...]}` give one record per element of `data`, with `$root.info.*`
/// copied into each. Checked against an independent python reading of the same zips.
final class PrepRunWrappedTests: XCTestCase {
    static let spec = "specs/wrapped-records.yaml"

    /// python: every element of every file's `data`, with its file's info and split.
    static let reading = #"""
import json, os, sys, zipfile
rows = []
for dirpath, _, files in sorted(os.walk(sys.argv[1])):
    for name in sorted(files):
        split = "train" if "/Training/" in dirpath + "/" else "test"
        with zipfile.ZipFile(os.path.join(dirpath, name)) as z:
            for entry in sorted(z.namelist()):
                doc = json.loads(z.read(entry))
                for i, e in enumerate(doc["data"]):
                    rows.append({"id": e["sentence_id"], "text": e["text"], "polarity": str(e["polarity"]),
                                 "doc_id": doc["info"]["doc_id"], "category": doc["info"]["category"], "split": split,
                                 "entry": f"{entry}#data[{i}]", "files": len(z.namelist())})
print(json.dumps(rows, ensure_ascii=False))
"""#

    private func expected() throws -> [[String: Any]] {
        try XCTUnwrap(try Python.json(Self.reading, [Binaries.repo + "/fixtures/aihub/wrapped"]) as? [[String: Any]])
    }

    private func run(_ w: Workspace) throws -> Binaries.Result { try w.prep(["run", Self.spec]) }

    func testEachElementOfDataIsARecordWithItsFilesInfo() throws {
        let w = try Workspace("wrapped")
        let r = try run(w)
        XCTAssertEqual(r.status, 0, r.stderr)
        let want = try expected()
        XCTAssertEqual(want.count, 18, "13 Training + 5 Validation sentences; one Training file has an empty `data`")
        let rows = try Workspace.jsonl(w.dir + "/out/wrapped-records/records.jsonl")
        XCTAssertEqual(rows.count, want.count)
        let labels = ["1": "positive", "0": "neutral", "-1": "negative"]
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as? String ?? "?", $0) })
        for e in want {
            let id = try XCTUnwrap(e["id"] as? String)
            let row = try XCTUnwrap(byID[id], id)
            XCTAssertEqual(row["text"] as? String, e["text"] as? String, id)
            XCTAssertEqual(row["label"] as? String, labels[e["polarity"] as? String ?? ""], id)
            XCTAssertEqual(row["doc_id"] as? String, e["doc_id"] as? String, "$root.info.doc_id: \(id)")
            XCTAssertEqual(row["category"] as? String, e["category"] as? String, "$root.info.category: \(id)")
            XCTAssertEqual(row["_split"] as? String, e["split"] as? String, id)
            XCTAssertEqual(row["_entry"] as? String, e["entry"] as? String, "the entry names the element: \(id)")
        }
        XCTAssertTrue(r.stdout.contains("  ingest    8 -> 18"), "8 files in, 18 records out: \(r.stdout)")
        XCTAssertTrue(r.stdout.contains("splits: train 13, test 5"), r.stdout)
        XCTAssertTrue(r.stdout.contains("read 8 entries"), r.stdout)
    }

    func testRecordsPointingAtAnObjectNamesTheFileEntryAndPath() throws {
        let w = try Workspace("wrapped-notarray")
        try w.editSpec("wrapped-records.yaml", replacing: "records: \"data[*]\"", with: "records: \"info[*]\"")
        let r = try run(w)
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertEqual(r.stderr, "error: 리뷰 감성 분석 데이터/Training/02.라벨링데이터/TL_reviews.zip!RV_0001.json: `source.records` path 'info[*]':"
                       + " 'info' is an object, not an array. Point `records` at the array whose elements are the records, e.g. `records: \"data[*]\"`.\n")
        XCTAssertFalse(w.exists("out/wrapped-records/records.jsonl"), "nothing is written")
    }

    func testIdsMustBeUniqueAcrossFiles() throws {
        let w = try Workspace("wrapped-dupid")
        try w.editSpec("wrapped-records.yaml", replacing: "  id: sentence_id", with: "  id: sentence_no")
        let r = try run(w)
        XCTAssertEqual(r.status, 2, r.stdout)
        let zip = "리뷰 감성 분석 데이터/Training/02.라벨링데이터/TL_reviews.zip"
        XCTAssertEqual(r.stderr, "error: \(zip)!RV_0002.json#data[0]: id '1' was already read from \(zip)!RV_0001.json#data[0];"
                       + " with `source.records` every record needs its own id. Point `id` at a field unique across all files,"
                       + " or write `id: $location` (where the record was read, e.g. a.json#data[3])\n")
    }

    func testLocationGivesEveryElementAnId() throws {
        let w = try Workspace("wrapped-location")
        try w.editSpec("wrapped-records.yaml", replacing: "  id: sentence_id", with: "  id: $location")
        let r = try run(w)
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try Workspace.jsonl(w.dir + "/out/wrapped-records/records.jsonl")
        XCTAssertEqual(rows.count, 18)
        XCTAssertEqual(Set(rows.compactMap { $0["id"] as? String }).count, 18)
        XCTAssertEqual(rows.first?["id"] as? String, "리뷰 감성 분석 데이터/Training/02.라벨링데이터/TL_reviews.zip!RV_0001.json#data[0]")
    }

    func testTheDialogueArraysStillGiveOneRecordPerElement() throws {
        // No `records:`: a top-level JSON array is one record per element, as before.
        let w = try Workspace("wrapped-nikl")
        let r = try w.prep(["run", "specs/dialogue-inference.yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try Workspace.jsonl(w.dir + "/out/dialogue-inference/records.jsonl")
        XCTAssertEqual(rows.count, 40, "24 + 8 + 8 examples")
        XCTAssertTrue(rows.contains { $0["_archive"] as? String == "nikl_dev.json" && $0["_entry"] as? String == "[0]" })
    }
}
