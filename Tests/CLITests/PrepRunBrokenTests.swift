import Foundation
import XCTest

/// Every fixtures/broken case: exit status 2, one `error:` line naming the archive (and the entry or
/// JSON position where there is one), no output folder, and earlier outputs untouched.
final class PrepRunBrokenTests: XCTestCase {
    static let archive = "146.낚시성 기사 탐지 데이터/01-1.정식개방데이터/Training/02.라벨링데이터/TL_Part1_Clickbait_Auto_EC.zip"

    /// Runs the clickbait spec on `fixtures/broken/<name>` in a fresh workspace.
    private func broken(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> (Workspace, Binaries.Result) {
        let w = try Workspace("broken-\(name)")
        let r = try w.prep(["run", "specs/clickbait.yaml", "--data", "fixtures/broken/\(name)"])
        XCTAssertEqual(r.status, 2, "exit status", file: file, line: line)
        XCTAssertEqual(r.stdout, "", "no summary for a failed run", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("error: "), r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "one line: \(r.stderr)", file: file, line: line)
        return (w, r)
    }

    func testCorruptDeflateDataNamesTheArchiveAndTheEntry() throws {
        // The corrupted entry is the zip's largest (fixtures/README.md); python finds it by size.
        let zip = Binaries.repo + "/fixtures/broken/corrupt/" + Self.archive
        let largest = try XCTUnwrap(try Python.json("import sys, json, zipfile; print(json.dumps(max(zipfile.ZipFile(sys.argv[1]).infolist(), key=lambda i: i.file_size).filename))", [zip]) as? String)
        let (_, r) = try broken("corrupt")
        XCTAssertTrue(r.stderr.hasPrefix("error: \(Self.archive) (entry \(largest)): cannot read the archive"), r.stderr)
    }

    func testATruncatedZipSaysItIsTruncated() throws {
        let (_, r) = try broken("truncated")
        XCTAssertTrue(r.stderr.hasPrefix("error: \(Self.archive): cannot read the archive"), r.stderr)
        XCTAssertTrue(r.stderr.contains("truncated"), r.stderr)
    }

    func testAMissingPartIsNamedByItsOffset() throws {
        let (_, r) = try broken("missing-part")
        XCTAssertTrue(r.stderr.hasPrefix("error: \(Self.archive): split archive is missing part 'TL_Part1_Clickbait_Auto_EC.zip.part608'"), r.stderr)
    }

    func testANotApprovedMessageIsQuoted() throws {
        let (_, r) = try broken("not-approved")
        XCTAssertTrue(r.stderr.hasPrefix("error: \(Self.archive): this is a text message, not an archive"), r.stderr)
        XCTAssertTrue(r.stderr.contains("승인되지 않은 데이터입니다."), r.stderr)
    }

    func testMalformedJSONNamesTheEntryAndTheLineAndColumn() throws {
        let (_, r) = try broken("malformed-json")
        // fixtures/README.md: the colon after "newsCategory" is missing on line 4 (column 20).
        XCTAssertTrue(r.stderr.hasPrefix("error: \(Self.archive)!EC_M01_000002_L.json: malformed JSON: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("line 4, column 20"), r.stderr)
    }

    func testPathTraversalAndAbsoluteEntriesAreRefused() throws {
        let (_, t) = try broken("traversal")
        XCTAssertTrue(t.stderr.hasPrefix("error: \(Self.archive): entry '../../evil_L.json' has an absolute path or '..'"), t.stderr)
        let (_, a) = try broken("absolute")
        XCTAssertTrue(a.stderr.hasPrefix("error: \(Self.archive): entry '/tmp/evil_L.json' has an absolute path or '..'"), a.stderr)
    }

    func testAZipBombIsStoppedWithAnHonestRatio() throws {
        let zip = Binaries.repo + "/fixtures/broken/bomb/" + Self.archive
        // The entry's real ratio, from the zip's own sizes: 20,971,522 / 20,390, about 1029.
        let ratio = try XCTUnwrap(try Python.json("import sys, json, zipfile; i = zipfile.ZipFile(sys.argv[1]).getinfo('EC_M01_000001_L.json'); print(json.dumps(i.file_size / i.compress_size))", [zip]) as? Double)
        let (_, r) = try broken("bomb")
        XCTAssertTrue(r.stderr.hasPrefix("error: \(Self.archive): entry 'EC_M01_000001_L.json' expands "), r.stderr)
        XCTAssertTrue(r.stderr.contains("over the limit of 200x (source.limits.max_ratio)"), r.stderr)
        let reported = try XCTUnwrap(r.stderr.components(separatedBy: "expands ").last?.split(separator: "x").first.flatMap { Int($0) }, r.stderr)
        // Measured part-way through, the ratio may differ from the final one, but not by orders of magnitude.
        XCTAssertLessThanOrEqual(Double(reported), ratio * 2, "reported \(reported)x for an entry that expands \(Int(ratio))x")
    }

    func testAnEmptyDataFolderSaysNothingMatched() throws {
        let (_, r) = try broken("empty")
        XCTAssertEqual(r.stderr, "error: no archive under 'fixtures/broken/empty' matches '**/02.라벨링데이터/*.zip'; files there include: .gitkeep\n")
    }

    static let cases = ["corrupt", "truncated", "missing-part", "not-approved", "malformed-json", "traversal", "absolute", "bomb", "empty"]

    /// A failing first run must not create the output folder (README: "leaves earlier outputs
    /// untouched"; the brief: "no output folder created").
    func testAFailedFirstRunCreatesNoOutputFolder() throws {
        var leftBehind: [String] = []
        for name in Self.cases {
            let w = try Workspace("broken-folder-\(name)")
            let r = try w.prep(["run", "specs/clickbait.yaml", "--data", "fixtures/broken/\(name)"])
            XCTAssertEqual(r.status, 2, name)
            if w.exists("out") { leftBehind.append(name + (w.snapshot().isEmpty ? " (empty out/clickbait)" : " (with files)")) }
        }
        XCTAssertEqual(leftBehind, [], "these cases left an output folder behind")
    }

    func testBrokenRunsAfterAGoodOneLeaveItsOutputsUntouched() throws {
        let w = try Workspace("broken-after-good")
        let good = try w.prep(["run", "specs/clickbait.yaml", "--data", "fixtures/aihub/variants/split"])
        XCTAssertEqual(good.status, 0, good.stderr)
        let before = w.snapshot()
        XCTAssertTrue(before.keys.contains("clickbait/train.jsonl"))
        for name in Self.cases {
            let r = try w.prep(["run", "specs/clickbait.yaml", "--data", "fixtures/broken/\(name)"])
            XCTAssertEqual(r.status, 2, name)
            XCTAssertEqual(w.snapshot(), before, "\(name) changed the outputs")
        }
        XCTAssertEqual(w.snapshot().keys.filter { $0.contains(".tmp-") }, [])
        let runs = try w.prep(["runs", "--limit", "20"])
        XCTAssertEqual(runs.stdout.components(separatedBy: "  failed  ").count - 1, 9, runs.stdout)
        XCTAssertEqual(runs.stdout.components(separatedBy: "  done  ").count - 1, 1, runs.stdout)
    }
}
