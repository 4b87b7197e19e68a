import Foundation
import XCTest

/// `eval score --lora` and `--each` end to end: the real `eval` binary, llama.cpp, the SmolLM2 model
/// and the adapters fixtures/lora/make_adapter.py writes. Expected scores come from the base model's
/// own run (scale 0 must give them exactly); digests from Python's hashlib; runs from Python's sqlite3.
final class EvalScoreLoraTests: XCTestCase {
    static let model = Binaries.repo + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let a = "fixtures/lora/smollm2-a.gguf", b = "fixtures/lora/smollm2-b.gguf", wrongArch = "fixtures/lora/wrong-arch.gguf"

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: Self.model) else { throw XCTSkip("\(Self.model) is missing; run `make setup`") }
    }

    private func score(_ w: Workspace, _ extra: [String], env: [String: String] = [:]) throws -> Binaries.Result {
        try Self.run("eval", ["score", "specs/clickbait.yaml", "--model", Self.model, "--limit", "4", "--db", w.db] + extra, cwd: w.dir, env: env)
    }

    /// Each stored prediction's scores (item id -> JSON text), read with Python's sqlite3.
    private func scores(_ w: Workspace, run: Int) throws -> [String: String] {
        try Python.json("import sqlite3,sys,json; c=sqlite3.connect(sys.argv[1]); print(json.dumps(dict(c.execute('select item_id, scores from predictions where run_id=?', (int(sys.argv[2]),)).fetchall())))",
                        [w.db, String(run)]) as? [String: String] ?? [:]
    }

    /// A run's `settings.lora` and status, and the number of runs.
    private func run(_ w: Workspace, _ id: Int) throws -> (lora: [[String: Any]], status: String, runs: Int) {
        let r = try Python.json("import sqlite3,sys,json; c=sqlite3.connect(sys.argv[1]); s,st=c.execute('select settings, status from runs where id=?', (int(sys.argv[2]),)).fetchone(); print(json.dumps([json.loads(s).get('lora', []), st, c.execute('select count(*) from runs').fetchone()[0]]))",
                                [w.db, String(id)]) as? [Any] ?? []
        return (r[0] as? [[String: Any]] ?? [], r[1] as? String ?? "", r[2] as? Int ?? -1)
    }

    private func sha256(_ path: String) throws -> String {
        try Python.json("import hashlib,sys,json; print(json.dumps(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest()))", [path]) as? String ?? ""
    }

    /// `run-N: scored ...` lines -> N.
    private func runIDs(_ stdout: String) -> [Int] {
        stdout.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("run-"), let n = line.dropFirst(4).split(separator: ":").first else { return nil }
            return Int(n)
        }
    }

    func testLoraIsRecordedAndChangesScoresAndTheSpecCanNameIt() throws {
        let w = try Workspace("eval-lora")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let base = try score(w, [])
        XCTAssertEqual(base.status, 0, base.stderr)
        let adapted = try score(w, ["--lora", Self.a])
        XCTAssertEqual(adapted.status, 0, adapted.stderr)
        let (baseRun, adaptedRun) = (try XCTUnwrap(runIDs(base.stdout).first), try XCTUnwrap(runIDs(adapted.stdout).first))
        XCTAssertNotEqual(baseRun, adaptedRun)
        let recorded = try run(w, adaptedRun).lora
        XCTAssertEqual(recorded.count, 1)
        XCTAssertEqual(recorded.first?["path"] as? String, Self.a)
        XCTAssertEqual(recorded.first?["scale"] as? Double, 1)
        XCTAssertEqual(recorded.first?["sha256"] as? String, try sha256(Binaries.repo + "/" + Self.a))
        XCTAssertTrue(try run(w, baseRun).lora.isEmpty, "the base run records no adapter")
        let (s0, s1) = (try scores(w, run: baseRun), try scores(w, run: adaptedRun))
        XCTAssertEqual(s0.count, 4)
        XCTAssertEqual(Set(s0.keys), Set(s1.keys))
        for id in s0.keys { XCTAssertNotEqual(s0[id], s1[id], "item \(id): the adapter changes every score") }

        // The same adapter named in the spec scores the same.
        try w.editSpec("clickbait.yaml", replacing: "  normalize: mean", with: "  lora: [{path: \(Self.a), scale: 1.0}]\n  normalize: mean")
        let fromSpec = try score(w, [])
        XCTAssertEqual(fromSpec.status, 0, fromSpec.stderr)
        let specRun = try XCTUnwrap(runIDs(fromSpec.stdout).first)
        XCTAssertEqual(try scores(w, run: specRun), s1)
        XCTAssertEqual(try run(w, specRun).lora.first?["path"] as? String, Self.a)
    }

    func testEachScoresOneRunPerAdapterWithOneModelLoad() throws {
        let w = try Workspace("eval-lora-each")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let base = try score(w, [])
        XCTAssertEqual(base.status, 0, base.stderr)
        let baseRun = try XCTUnwrap(runIDs(base.stdout).first)

        let sweep = try score(w, ["--lora", Self.a + ":0", "--lora", Self.b, "--each"], env: ["HARNESS_LLAMA_LOG": "1"])
        XCTAssertEqual(sweep.status, 0, String(sweep.stderr.suffix(3000)))
        let runs = runIDs(sweep.stdout)
        XCTAssertEqual(runs.count, 2, sweep.stdout)
        XCTAssertTrue(sweep.stdout.contains("[LoRA \(Self.a):0.0]") && sweep.stdout.contains("[LoRA \(Self.b):1.0]"), sweep.stdout)
        XCTAssertTrue(sweep.stdout.contains("bin/eval compare run-\(runs[0]) run-\(runs[1])"), sweep.stdout)
        // llama.cpp logs each model load once ("llama_model_loader: loaded meta data ...") and each adapter load.
        XCTAssertEqual(sweep.stderr.components(separatedBy: "llama_model_loader: loaded meta data").count - 1, 1, "the base model is loaded once")
        XCTAssertEqual(sweep.stderr.components(separatedBy: "llama_adapter_lora_init: loading lora adapter").count - 1, 2)
        XCTAssertEqual(try run(w, runs[0]).lora.map { $0["path"] as? String }, [Self.a])
        XCTAssertEqual(try run(w, runs[0]).lora.first?["scale"] as? Double, 0)
        XCTAssertEqual(try run(w, runs[1]).lora.map { $0["path"] as? String }, [Self.b])
        let baseScores = try scores(w, run: baseRun)
        XCTAssertEqual(try scores(w, run: runs[0]), baseScores, "scale 0 scores exactly as the base model")
        let other = try scores(w, run: runs[1])
        XCTAssertEqual(other.count, 4)
        for id in baseScores.keys { XCTAssertNotEqual(other[id], baseScores[id], "item \(id)") }

        let compare = try Self.run("eval", ["compare", "run-\(runs[0])", "run-\(runs[1])", "--out", "reports/sweep.html", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(compare.status, 0, compare.stderr)
        XCTAssertTrue(w.exists("reports/sweep.html"))

        // An adapter llama.cpp refuses stops the sweep before any run is recorded, and says why.
        let before = try run(w, baseRun).runs
        let refused = try score(w, ["--lora", Self.b, "--lora", Self.wrongArch, "--each"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("error: llama.cpp refused the LoRA adapter \(Self.wrongArch)"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("model arch and LoRA arch mismatch"), refused.stderr)
        XCTAssertEqual(try run(w, baseRun).runs, before, "no run was recorded")

        let missing = try score(w, ["--lora", Self.b, "--lora", "fixtures/lora/nope.gguf", "--each"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("LoRA adapter fixtures/lora/nope.gguf does not exist"), missing.stderr)
        XCTAssertEqual(try run(w, baseRun).runs, before)

        let none = try score(w, ["--each"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("--each scores one run per LoRA adapter, but none is given"), none.stderr)
        let bad = try score(w, ["--lora", Self.a + ":nan"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("is not an adapter; give FILE or FILE:SCALE"), bad.stderr)
    }

    /// An interrupted run is resumed only with the same adapter bytes and scale.
    func testAnInterruptedRunIsNotResumedWithAnotherAdapter() throws {
        let w = try Workspace("eval-lora-resume")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let ckpt = w.dir + "/ckpt.gguf"
        try FileManager.default.copyItem(atPath: Binaries.repo + "/" + Self.a, toPath: ckpt)
        let first = try score(w, ["--lora", "ckpt.gguf"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let id = try XCTUnwrap(runIDs(first.stdout).first)
        // Make it look interrupted after two items (as Ctrl-C leaves a run: status and fewer predictions).
        func interrupt(_ run: Int) throws {
            _ = try Python.json("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=int(sys.argv[2]); c.execute(\"update runs set status='interrupted' where id=?\", (r,)); c.execute('delete from predictions where run_id=? and item_id in (select item_id from predictions where run_id=? order by item_id limit 2)', (r, r)); c.commit(); print(1)", [w.db, String(run)])
        }
        try interrupt(id)
        let otherScale = try score(w, ["--lora", "ckpt.gguf:0.5"])
        XCTAssertEqual(otherScale.status, 0, otherScale.stderr)
        XCTAssertTrue(otherScale.stdout.hasPrefix("run-\(id + 1): scored 4 items in"), otherScale.stdout)

        // Another checkpoint saved at the same path: a new run, not the interrupted one.
        try FileManager.default.removeItem(atPath: ckpt)
        try FileManager.default.copyItem(atPath: Binaries.repo + "/" + Self.b, toPath: ckpt)
        let replaced = try score(w, ["--lora", "ckpt.gguf"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(replaced.stdout.hasPrefix("run-\(id + 2): scored 4 items in"), replaced.stdout)

        // The same bytes again: the interrupted run is resumed.
        try FileManager.default.removeItem(atPath: ckpt)
        try FileManager.default.copyItem(atPath: Binaries.repo + "/" + Self.a, toPath: ckpt)
        let resumed = try score(w, ["--lora", "ckpt.gguf"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.hasPrefix("run-\(id): scored 2 items (resumed; 2 were already scored)"), resumed.stdout)
    }

    /// `Binaries.run` with extra environment variables.
    static func run(_ name: String, _ args: [String], cwd: String, env extra: [String: String] = [:]) throws -> Binaries.Result {
        let p = Process()
        p.executableURL = Binaries.productsDirectory.appendingPathComponent(name)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var env = ProcessInfo.processInfo.environment
        env["HARNESS_NO_PROGRESS"] = "1"
        env.merge(extra) { $1 }
        p.environment = env
        // stderr goes to a file: llama.cpp's full log would fill a pipe that nobody reads yet.
        let errPath = NSTemporaryDirectory() + "eval-lora-stderr-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let out = Pipe(), err = try XCTUnwrap(FileHandle(forWritingAtPath: errPath))
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try err.close()
        let e = FileManager.default.contents(atPath: errPath) ?? Data()
        return Binaries.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
