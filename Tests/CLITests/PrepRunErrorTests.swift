import Foundation
import XCTest

/// `prep run` on bad input other than broken archives: exit status 2 and a message that says what
/// to do.
final class PrepRunErrorTests: XCTestCase {
    func testAMissingDataFolderIsNamed() throws {
        let w = try Workspace("nodata")
        let r = try w.prep(["run", "specs/clickbait.yaml", "--data", "no/such/folder"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: data folder 'no/such/folder' does not exist; pass the folder that holds the downloaded archives with --data DIR\n")
        XCTAssertFalse(w.exists("out"))
    }

    func testAnUnknownStageGetsADidYouMean() throws {
        let w = try Workspace("badstage")
        try w.editSpec("clickbait.yaml", replacing: "  - sample: {", with: "  - sampel: {")
        // The stage line, counted in the edited file.
        let text = try String(contentsOfFile: w.dir + "/specs/clickbait.yaml", encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  - sampel:") }) + 1
        for command in ["run", "check"] {
            let r = try command == "run" ? w.prep(["run", "specs/clickbait.yaml"]) : Binaries.run("prep", ["check", "specs/clickbait.yaml"], cwd: w.dir)
            XCTAssertEqual(r.status, 2, command)
            XCTAssertTrue(r.stderr.hasPrefix("error: specs/clickbait.yaml:\(line):"), r.stderr)
            XCTAssertTrue(r.stderr.contains("unknown stage 'sampel'; did you mean 'sample'? (known stages: refine, drop, dedup, sample, "), r.stderr)
        }
        XCTAssertFalse(w.exists("out"), "nothing runs")
    }

    func testASpecErrorIsLocatedInTheFile() throws {
        let w = try Workspace("badkey")
        try w.editSpec("clickbait.yaml", replacing: "  entries: \"*_L.json\"", with: "  entires: \"*_L.json\"")
        let r = try w.prep(["run", "specs/clickbait.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("error: specs/clickbait.yaml:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("source.entires: unknown key 'entires'; did you mean 'entries'?"), r.stderr)
    }

    /// The malformed-JSON message tells the user to set `source.on_bad_entry: skip`. Following that
    /// advice must give a spec that `prep` accepts.
    func testTheAdviceInTheMalformedJSONMessageIsAValidSetting() throws {
        let w = try Workspace("onbadentry")
        let failed = try w.prep(["run", "specs/clickbait.yaml", "--data", "fixtures/broken/malformed-json"])
        XCTAssertTrue(failed.stderr.contains("Set `source.on_bad_entry: skip`"), failed.stderr)
        try w.editSpec("clickbait.yaml", replacing: "  entries: \"*_L.json\"", with: "  entries: \"*_L.json\"\n  on_bad_entry: skip")
        let check = try Binaries.run("prep", ["check", "specs/clickbait.yaml"], cwd: w.dir)
        XCTAssertEqual(check.status, 0, check.stderr)
        let r = try w.prep(["run", "specs/clickbait.yaml", "--data", "fixtures/broken/malformed-json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("malformed JSON"), "the skipped entry is counted: \(r.stdout)")
        // And kept in the ingest's ledger, named by where it was read.
        let ledger = try Workspace.jsonl(w.clickbaitOut + "/removed/00-ingest.jsonl")
        XCTAssertEqual(ledger.count, 1)
        XCTAssertEqual(ledger.first?["reason"] as? String, "malformed JSON")
        XCTAssertEqual(ledger.first?["stage"] as? String, "ingest")
        XCTAssertTrue((ledger.first?["location"] as? String ?? "").contains(".zip!"), "\(ledger)")
        XCTAssertTrue(failed.stderr.contains(ledger.first?["location"] as? String ?? "?"), "the same place the error named: \(failed.stderr)")
    }

    /// A 1.3 MB label file that deflates 39x (well under the 200x limit) in a 33 KB zip: an ordinary
    /// long article, not a bomb. Made by python with zipfile, deterministically.
    func testALargeButOrdinaryEntryIsNotTakenForAZipBomb() throws {
        let w = try Workspace("benign")
        let folder = w.dir + "/data/Training/02.라벨링데이터"
        let info = try XCTUnwrap(try Python.json(#"""
import json, random, sys, zipfile, os
os.makedirs(sys.argv[1], exist_ok=True)
rng = random.Random(5)
syll = [chr(0xAC00 + i) for i in range(0, 11172, 37)]
pool = ["".join(rng.choice(syll) for _ in range(30)) + "." for _ in range(40)]
pad = " ".join(rng.choice(pool) for _ in range(14000))
doc = {"sourceDataInfo": {"newsID": "EC_M01_900001", "newsCategory": "경제", "newsTitle": "긴 기사", "newsSubTitle": "",
       "partNum": "P1", "processPattern": "00", "archiveNote": pad,
       "sentenceInfo": [{"sentenceNo": 1, "sentenceContent": "짧은 본문이다."}]},
       "labeledDataInfo": {"newTitle": "긴 기사", "clickbaitClass": 1}}
zi = zipfile.ZipInfo("EC_M01_900001_L.json", date_time=(2024, 1, 1, 0, 0, 0))
zi.compress_type = zipfile.ZIP_DEFLATED
path = os.path.join(sys.argv[1], "TL_Part1_NonClickbait_Auto_EC.zip")
with zipfile.ZipFile(path, "w") as z:
    z.writestr(zi, json.dumps(doc, ensure_ascii=False).encode())
i = zipfile.ZipFile(path).infolist()[0]
print(json.dumps({"size": i.file_size, "ratio": i.file_size / i.compress_size, "zip": os.path.getsize(path)}))
"""#, [folder]) as? [String: Double])
        XCTAssertGreaterThan(info["size"] ?? 0, 1_048_576, "over the 1 MiB floor where ratios are checked")
        XCTAssertLessThan(info["ratio"] ?? 999, 200, "under the limit")
        XCTAssertLessThan(info["zip"] ?? 1e9, 65536)
        let r = try w.prep(["run", "specs/clickbait.yaml", "--data", "data"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("splits: train 1"), r.stdout)
    }
}
