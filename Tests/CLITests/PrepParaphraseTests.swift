import Foundation
import Store
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `specs/clickbait-paraphrase.yaml` run by the real `prep` with SmolLM2: paraphrased training
/// copies with provenance, a cached rerun, and Ctrl-C in the middle of generating.
final class PrepParaphraseTests: XCTestCase {
    private let spec = "specs/clickbait-paraphrase.yaml"
    private let model = Binaries.repo + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"

    private func workspace(_ label: String) throws -> Workspace {
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("run make setup for the test model") }
        let ws = try Workspace(label)
        try ws.editSpec("clickbait-paraphrase.yaml", replacing: "model: models/", with: "model: \(Binaries.repo)/models/")
        // A few rows per type keep the generations to about 60 (a debug build samples slowly).
        try ws.editSpec("clickbait-paraphrase.yaml", replacing: "per_class: 1000", with: "per_class: 3")
        return ws
    }

    private func augmentDetails(_ ws: Workspace) throws -> (generated: Int, cached: Int, added: Int, paraphrases: Int) {
        let store = try RunStore(path: ws.db)
        let run = try XCTUnwrap(try store.runs(limit: 1).first)
        let stage = try XCTUnwrap(try store.stages(run: run.id).first { $0.name == "augment" })
        func n(_ key: String) -> Int { stage.details[key]?.scalarText.flatMap(Int.init) ?? -1 }
        return (n("generated"), n("from_cache"), n("added"), n("paraphrases"))
    }

    func testParaphrasedCopiesHaveProvenanceAndARerunReusesTheCache() throws {
        let ws = try workspace("paraphrase")
        let first = try ws.prep(["run", spec])
        XCTAssertEqual(first.status, 0, first.stderr)
        let d = try augmentDetails(ws)
        XCTAssertGreaterThan(d.paraphrases, 0)
        XCTAssertEqual(d.generated, d.paraphrases, "a first run generates every paraphrase")
        let out = ws.dir + "/out/clickbait-paraphrase"
        let train = try Workspace.jsonl(out + "/train.jsonl")
        let copies = train.filter { ($0["_origin"] as? String) != nil }
        XCTAssertEqual(copies.count, d.added)
        let originals = Dictionary(uniqueKeysWithValues: train.filter { $0["_origin"] is NSNull || $0["_origin"] == nil }.map { ($0["id"] as! String, $0) })
        for c in copies {
            let origin = try XCTUnwrap(c["_origin"] as? String)
            XCTAssertNotNil(originals[origin], "copies point at a training row")
            XCTAssertTrue((c["id"] as? String)?.hasPrefix(origin + "#para") ?? false)
            XCTAssertTrue((c["_generator"] as? String)?.contains("SmolLM2-135M-Instruct.Q4_1.gguf") ?? false)
            XCTAssertTrue((c["_prompt"] as? String)?.contains(originals[origin]!["title"] as! String) ?? false)
            XCTAssertNotNil(c["_raw"] as? String)
            XCTAssertEqual(c["output"] as? String, originals[origin]!["output"] as? String)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/test.jsonl"))
        // (3 rows per type leave valid empty on these fixtures, and an empty split has no file.)
        for split in ["valid", "test"] where FileManager.default.fileExists(atPath: out + "/\(split).jsonl") {
            let rows = try Workspace.jsonl(out + "/\(split).jsonl")
            XCTAssertTrue(rows.allSatisfy { $0["_origin"] is NSNull || $0["_origin"] == nil }, "\(split) is never paraphrased")
        }
        // The fine-tuning file holds the copies, without the provenance fields.
        let alpaca = try Workspace.jsonl(out + "/train.alpaca.jsonl")
        XCTAssertEqual(alpaca.count, train.count)
        XCTAssertEqual(Set(alpaca.flatMap { $0.keys }), ["instruction", "input", "output"])

        let firstBytes = try Data(contentsOf: URL(fileURLWithPath: out + "/train.jsonl"))
        // --force runs the stage again, but every text comes from the store (another seed, another
        // sample: ParaphraseTests checks that).
        let again = try ws.prep(["run", spec, "--force"])
        XCTAssertEqual(again.status, 0, again.stderr)
        let d2 = try augmentDetails(ws)
        XCTAssertEqual(d2.generated, 0)
        XCTAssertEqual(d2.cached, d.paraphrases)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/train.jsonl")), firstBytes, "the same copies, byte for byte, as the first run")
    }

    /// Ctrl-C while paraphrasing: exit 130, the run is marked interrupted, what was generated stays in
    /// the store, and the next run generates only the rest.
    func testCtrlCKeepsWhatWasGeneratedAndTheNextRunFinishesIt() throws {
        let ws = try workspace("paraphrase-int")
        let p = Process()
        p.executableURL = Binaries.productsDirectory.appendingPathComponent("prep")
        p.arguments = ["run", spec, "--db", ws.db]
        p.currentDirectoryURL = URL(fileURLWithPath: ws.dir)
        var env = ProcessInfo.processInfo.environment
        env["HARNESS_NO_PROGRESS"] = "1"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // Wait for the first generations to be kept, then press Ctrl-C.
        let deadline = Date().addingTimeInterval(300)
        var kept = 0
        while Date() < deadline, p.isRunning {
            if FileManager.default.fileExists(atPath: ws.db), let store = try? RunStore(path: ws.db), let n = try? store.generationCount(), n >= 3 {
                kept = n
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(p.isRunning, "prep was still generating when interrupted")
        kill(p.processIdentifier, SIGINT)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("interrupted during augment (paraphrase)"), stderr)
        XCTAssertTrue(stderr.contains("Run the same command again"), stderr)
        let store = try RunStore(path: ws.db)
        XCTAssertEqual(try store.runs(limit: 1).first?.status, .interrupted)
        let afterStop = try store.generationCount()
        XCTAssertGreaterThanOrEqual(afterStop, kept)
        XCTAssertFalse(ws.exists("out/clickbait-paraphrase/train.jsonl"), "no outputs from an interrupted run")

        let rerun = try ws.prep(["run", spec])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        let d = try augmentDetails(ws)
        XCTAssertEqual(d.cached, afterStop, "what the stopped run made is reused")
        XCTAssertEqual(d.generated, d.paraphrases - afterStop, "only the rest is generated")
        XCTAssertGreaterThan(d.generated, 0)
    }
}
