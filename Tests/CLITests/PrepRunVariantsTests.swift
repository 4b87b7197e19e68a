import Foundation
import XCTest

/// The archive-format variants (fixtures/aihub/variants) give the records the plain layout gives.
/// The reference is the same data written unsplit by the generator (`--docs 60 --seed 1`), so the
/// comparison does not rely on anything `prep` computed.
final class PrepRunVariantsTests: XCTestCase {
    nonisolated(unsafe) static var reference: [String: [String: String]]?
    nonisolated(unsafe) static var referenceError: String?
    nonisolated(unsafe) static var refDir = ""

    override class func setUp() {
        super.setUp()
        do {
            refDir = NSTemporaryDirectory() + "clitests-ref60-\(UUID().uuidString)"
            let status = try Python.run([Binaries.repo + "/fixtures/generate.py", "clickbait", "--out", refDir, "--docs", "60", "--seed", "1"])
            guard status == 0 else { referenceError = "generate.py exited \(status)"; return }
            let w = try Workspace("ref60")
            let r = try w.prep(["run", "specs/clickbait.yaml", "--data", refDir])
            guard r.status == 0 else { referenceError = r.stderr; return }
            reference = try records(w)
        } catch {
            referenceError = "\(error)"
        }
    }

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: refDir)
        super.tearDown()
    }

    /// The ingest's records by id, without where they were read from (`_archive`, `_entry`).
    static func records(_ w: Workspace) throws -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for row in try Workspace.jsonl(w.clickbaitOut + "/records.jsonl") {
            var fields: [String: String] = [:]
            for (k, v) in row where k != "_archive" && k != "_entry" { fields[k] = v as? String ?? "<null>" }
            out[row["id"] as? String ?? "?"] = fields
        }
        return out
    }

    private func run(_ variant: String) throws -> (Workspace, [String: [String: String]], [[String: Any]]) {
        XCTAssertNil(Self.referenceError)
        let w = try Workspace("variant-\(variant)")
        let r = try w.prep(["run", "specs/clickbait.yaml", "--data", "fixtures/aihub/variants/\(variant)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (w, try Self.records(w), try Workspace.jsonl(w.clickbaitOut + "/records.jsonl"))
    }

    func testTheReferenceHasSixtyDocs() throws {
        XCTAssertNil(Self.referenceError)
        let ref = try XCTUnwrap(Self.reference)
        XCTAssertEqual(ref.count, 60)
        XCTAssertEqual(ref.values.filter { $0["_split"] == "train" }.count, 53)
        XCTAssertEqual(ref.values.filter { $0["_split"] == "test" }.count, 7)
    }

    func testASplitZipIsJoinedInNumericOrderOfItsByteOffsets() throws {
        // The variant really is split (lexical order part0, part1024, part512 would corrupt it).
        let folder = Binaries.repo + "/fixtures/aihub/variants/split/146.낚시성 기사 탐지 데이터/01-1.정식개방데이터/Training/02.라벨링데이터"
        let parts = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("TL_Part2_NonClickbait_Auto_IS.zip") }.sorted()
        XCTAssertEqual(parts, ["TL_Part2_NonClickbait_Auto_IS.zip.part0", "TL_Part2_NonClickbait_Auto_IS.zip.part1024", "TL_Part2_NonClickbait_Auto_IS.zip.part512"])
        let (_, records, rows) = try run("split")
        XCTAssertEqual(records, try XCTUnwrap(Self.reference))
        XCTAssertEqual(rows.filter { ($0["_archive"] as? String ?? "").hasSuffix("TL_Part2_NonClickbait_Auto_IS.zip") }.count, 2,
                       "the joined zip's 2 entries, under the archive's own name")
    }

    func testZipsInsideTheDownloadTarAreRead() throws {
        let (_, records, rows) = try run("tar")
        XCTAssertEqual(records, try XCTUnwrap(Self.reference))
        XCTAssertEqual(Set(rows.compactMap { $0["_archive"] as? String }), ["download.tar"])
        XCTAssertTrue(rows.allSatisfy { ($0["_entry"] as? String ?? "").contains(".zip!") }, "entries name the inner zip")
    }

    func testCP949EntryNamesAreDecoded() throws {
        let zip = Binaries.repo + "/fixtures/aihub/variants/cp949/146.낚시성 기사 탐지 데이터/01-1.정식개방데이터/Training/02.라벨링데이터/TL_Part1_CP949_Names_EC.zip"
        let names = try XCTUnwrap(try Python.json(FixtureScripts.cp949Names, [zip]) as? [String])
        XCTAssertEqual(names.count, 5)
        XCTAssertTrue(names.allSatisfy { $0.hasPrefix("라벨/경제_기사_") }, "\(names)")
        let (_, records, rows) = try run("cp949")
        let ref = try XCTUnwrap(Self.reference)
        XCTAssertEqual(records.count, ref.count + 5)
        XCTAssertEqual(records.filter { ref[$0.key] != nil }, ref, "the 60 ordinary docs are unchanged")
        let extra = rows.filter { ($0["_archive"] as? String ?? "").hasSuffix("TL_Part1_CP949_Names_EC.zip") }
        XCTAssertEqual(extra.compactMap { $0["_entry"] as? String }.sorted(), names)
        XCTAssertEqual(Set(extra.compactMap { $0["_split"] as? String }), ["train"])
        XCTAssertTrue(extra.allSatisfy { ($0["id"] as? String ?? "").hasPrefix("EC_M") })
    }
}
