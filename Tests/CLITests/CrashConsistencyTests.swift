import Foundation
import XCTest

/// Crash consistency (issue 16, section 4): `prep run` and `eval score` killed with SIGKILL at chosen
/// points. After each kill the store passes `PRAGMA integrity_check`, no half-written output is
/// visible, and the same command, run again, finishes with outputs (and predictions) byte-identical
/// to an uninterrupted run's. No hook in the production code: the kill points are found by polling
/// the store read-only (Python's sqlite3) for the killed run's stage rows and the output folder for
/// its temporary files, plus a delay measured from an uninterrupted run's stage timings.
final class CrashConsistencyTests: XCTestCase {
    static let model = Binaries.repo + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"

    /// Generates a medium clickbait download (1500 documents) into `dir`: a debug-build `prep run`
    /// takes a few seconds on it.
    private func generateMedium(_ dir: String) throws {
        let status = try Python.run([Binaries.repo + "/fixtures/generate.py", "clickbait", "--out", dir, "--docs", "1500", "--seed", "5"])
        guard status == 0 else { throw NSError(domain: "CLITests", code: 4, userInfo: [NSLocalizedDescriptionKey: "generate.py failed: \(status)"]) }
    }

    // MARK: - Helpers (Python's sqlite3 and xxHash's xxh128sum: independent of the harness)

    /// Starts a command, polls the store (read-only) until `sql` (given the largest run id before the
    /// start) returns at least `min`, then (with `glob`) until a file matching `glob` appears, and
    /// (with `gone`) until no file matches it any more, waits `delay` seconds more, and sends
    /// SIGKILL. Prints what it saw: whether the process was still running when killed, when, and the
    /// stage rows and runs the killed command left in the store.
    private static let killer = #"""
        import sqlite3, subprocess, time, sys, os, json, signal, glob
        cfg = json.loads(sys.argv[1])
        def q(sql, args=()):
            try:
                c = sqlite3.connect('file:%s?mode=ro' % cfg['db'], uri=True, timeout=0.05)
                try: return c.execute(sql, args).fetchall()
                finally: c.close()
            except sqlite3.Error:
                return None
        before = ((q('SELECT max(id) FROM runs') or [[0]])[0][0]) or 0
        env = dict(os.environ, HARNESS_NO_PROGRESS='1')
        t0 = time.time()
        p = subprocess.Popen(cfg['cmd'], cwd=cfg['cwd'], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = t0 + cfg['timeout']
        fired = None
        def ready():
            r = q(cfg['sql'], [before])
            return bool(r) and r[0][0] is not None and r[0][0] >= cfg['min']
        def present():
            return len(glob.glob(os.path.join(cfg['cwd'], cfg['glob']), recursive=True)) > 0
        step = 0
        while p.poll() is None and time.time() < deadline:
            if step == 0 and ready(): step = 1 if cfg.get('glob') else 3
            if step == 1 and present(): step = 2 if cfg.get('gone') else 3
            if step == 2 and not present(): step = 3
            if step == 3:
                fired = time.time() - t0
                break
            time.sleep(0.005)
        if fired is not None:
            end = time.time() + cfg['delay']
            while p.poll() is None and time.time() < end: time.sleep(0.002)
        killed = p.poll() is None
        if killed: p.send_signal(signal.SIGKILL)
        p.wait()
        at = time.time() - t0
        err = p.stderr.read().decode('utf-8', 'replace')
        stages = q('SELECT name FROM stages WHERE run_id > ? ORDER BY run_id, position', [before]) or []
        runs = q('SELECT id, kind, status FROM runs WHERE id > ?', [before]) or []
        print(json.dumps({'killed': killed, 'fired': fired, 'at': at, 'rc': p.returncode, 'stderr': err[-2000:],
                          'stages': [s for (s,) in stages], 'runs': runs}))
        """#

    struct Kill {
        let killed: Bool
        let fired: Double?
        let at: Double
        let stages: [String]
        let stderr: String
    }

    /// Runs `binary args` in `w` under the killer (see `killer`).
    private func kill(_ w: Workspace, _ binary: String, _ args: [String], when sql: String, atLeast min: Int,
                      glob: String? = nil, gone: Bool = false, delay: Double) throws -> Kill {
        var config: [String: Any] = [
            "cmd": [Binaries.productsDirectory.appendingPathComponent(binary).path] + args,
            "cwd": w.dir, "db": w.db, "sql": sql, "min": min, "delay": delay, "timeout": 120, "gone": gone,
        ]
        if let glob { config["glob"] = glob }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        let o = try Python.json(Self.killer, [json]) as? [String: Any] ?? [:]
        return Kill(killed: o["killed"] as? Bool ?? false, fired: o["fired"] as? Double, at: o["at"] as? Double ?? -1,
                    stages: o["stages"] as? [String] ?? [], stderr: o["stderr"] as? String ?? "")
    }

    /// `PRAGMA integrity_check` of a store, read with Python's sqlite3.
    private func integrity(_ db: String) throws -> String {
        try Python.json("import sqlite3,sys,json; print(json.dumps(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0]))", [db]) as? String ?? "?"
    }

    /// path (relative to the workspace) -> SHA-256 of every artifact recorded by a finished run
    /// (or, with `killed`, by the newest run, the one that was killed).
    private func artifacts(_ db: String, killed: Bool = false) throws -> [String: Set<String>] {
        let which = killed ? "r.id = (SELECT max(id) FROM runs)" : "r.status = 'done'"
        let rows = try Python.json("""
            import sqlite3, sys, json
            db = sqlite3.connect(sys.argv[1])
            print(json.dumps(db.execute("SELECT a.path, a.digest FROM artifacts a JOIN runs r ON r.id = a.run_id WHERE \(which)").fetchall()))
            """, [db]) as? [[String]] ?? []
        var out: [String: Set<String>] = [:]
        for r in rows where r.count == 2 { out[r[0], default: []].insert(r[1]) }
        return out
    }

    /// path (relative to the workspace) -> the checksum the store records (`xxh3:` and XXH3-128) of
    /// every file now in the output folder, by `xxh128sum` (xxHash's own CLI, not the harness).
    private func digests(_ w: Workspace) throws -> [String: String] {
        try Python.json("""
            import sys, os, json, subprocess
            os.chdir(sys.argv[1])
            paths = [os.path.join(d, n) for d, _, names in os.walk('out/clickbait') for n in names]
            out = {}
            if paths:
                listed = subprocess.run(['xxh128sum', *paths], check=True, capture_output=True, text=True).stdout
                for line, p in zip(listed.splitlines(), paths):
                    h, _, name = line.partition('  ')
                    assert name == p, (name, p)
                    out[p] = 'xxh3:' + h
            print(json.dumps(out))
            """, [w.dir]) as? [String: String] ?? [:]
    }

    private static func isTemporary(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasPrefix(".") && name.contains(".tmp-")
    }

    /// Where a kill landed, from the stage rows the killed run recorded.
    private static func phase(_ stages: [String]) -> String {
        guard let last = stages.last else { return "ingest" }
        if stages.contains("write") { return "after write" }
        if last == "augment" { return "write" }
        return "shaping"
    }

    /// The files of a workspace's output folder that a trainer would read (temporary files left out).
    private func visible(_ w: Workspace) -> [String: Data] {
        w.snapshot().filter { !Self.isTemporary($0.key) }
    }

    // MARK: - prep run

    func testPrepRunKilledAtEveryPhaseLeavesAConsistentStoreAndFolderAndTheRerunMatches() throws {
        let data = NSTemporaryDirectory() + "crash-medium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        try generateMedium(data)
        let command = ["run", "specs/clickbait.yaml", "--data", data]

        // The reference: an uninterrupted run in its own workspace, with a fresh store.
        let reference = try Workspace("crash-reference")
        let started = Date()
        let r = try reference.prep(command)
        let duration = Date().timeIntervalSince(started)
        XCTAssertEqual(r.status, 0, r.stderr)
        let expected = visible(reference)
        XCTAssertFalse(expected.isEmpty)
        let referenceDigests = try artifacts(reference.db)
        let seconds = try Python.json("""
            import sqlite3, sys, json
            db = sqlite3.connect(sys.argv[1])
            print(json.dumps(dict(db.execute("SELECT name, seconds FROM stages WHERE run_id = 1"))))
            """, [reference.db]) as? [String: Double] ?? [:]
        let order = ["ingest", "refine", "drop", "dedup", "sample", "instruct", "augment", "write"]
        XCTAssertEqual(Set(seconds.keys), Set(order), "\(seconds)")
        print("crash: reference run \(String(format: "%.1f", duration)) s; stages: " + order.map { "\($0) \(String(format: "%.2f", seconds[$0] ?? 0))" }.joined(separator: ", "))

        // Kill points: (label, a count of the new run's rows to wait for, a file to wait for, then a
        // delay). The run row itself means the ingest has started; 7 stage rows end with `augment`,
        // the last shaping stage. The write phase first writes temporary files (".train.jsonl.tmp-PID"),
        // renames them into place, then records them in the store.
        let stagesOfNewRun = "SELECT count(*) FROM stages WHERE run_id > ?"
        let runsAfter = "SELECT count(*) FROM runs WHERE id > ?"
        let points: [(label: String, sql: String, min: Int, glob: String?, gone: Bool, delay: Double)] = [
            ("during the ingest", runsAfter, 1, nil, false, 0.4 * (seconds["ingest"] ?? 0)),
            ("between ingest and refine", stagesOfNewRun, 1, nil, false, 0),
            ("during dedup", stagesOfNewRun, 3, nil, false, 0.5 * (seconds["dedup"] ?? 0)),
            ("between augment and write", stagesOfNewRun, 7, nil, false, 0),
            ("while the write's temporary files grow", stagesOfNewRun, 7, "out/clickbait/.train.jsonl.tmp-*", false, 0.02),
            ("after the write's renames, before the store records them", stagesOfNewRun, 7, "out/clickbait/.*.tmp-*", true, 0.05),
        ]

        // One workspace for every kill. Before each, a finished run on the bundled fixtures (other
        // data, so the killed run redoes everything and overwrites files an earlier run left).
        let w = try Workspace("crash-prep")
        var phases: [String] = []
        for point in points {
            let previous = try w.prep(["run", "specs/clickbait.yaml"])
            XCTAssertEqual(previous.status, 0, previous.stderr)
            let left = try digests(w)

            let k = try kill(w, "prep", command + ["--db", w.db], when: point.sql, atLeast: point.min, glob: point.glob, gone: point.gone, delay: point.delay)
            XCTAssertTrue(k.killed, "\(point.label): the run ended before the kill (\(k.stderr))")
            let phase = Self.phase(k.stages)
            phases.append(phase)

            // The store is intact, and the killed run reads as interrupted, not running.
            XCTAssertEqual(try integrity(w.db), "ok", point.label)
            let runs = try w.prep(["runs"])
            XCTAssertTrue(runs.stdout.split(separator: "\n").first?.contains("interrupted") ?? false, "\(point.label): \(runs.stdout)")

            // Every file of the folder is complete: what the previous finished run left, what a
            // finished run recorded (in this store, or the reference run of the same command), or a
            // temporary file.
            let recorded = try artifacts(w.db)
            let recordedByKilled = try artifacts(w.db, killed: true)
            var temporary = 0, replaced: [String] = [], unrecorded: [String] = []
            for (path, digest) in try digests(w).sorted(by: { $0.key < $1.key }) {
                if Self.isTemporary(path) { temporary += 1; continue }
                if left[path] == digest { continue }
                if recorded[path]?.contains(digest) == true || referenceDigests[path]?.contains(digest) == true {
                    // The killed run's file, complete (it equals the uninterrupted run's).
                    replaced.append(path)
                    if recordedByKilled[path]?.contains(digest) != true { unrecorded.append(path) }
                    continue
                }
                XCTFail("\(point.label) (\(phase), after \(k.stages.last ?? "nothing")): \(path) is neither absent nor complete: \(digest)")
            }
            let short = { (paths: [String]) in paths.map { String($0.dropFirst("out/clickbait/".count)) }.joined(separator: ", ") }
            print("crash: killed \(point.label) at \(String(format: "%.2f", k.at)) s: phase \(phase), stages recorded [\(k.stages.joined(separator: ", "))], " +
                  "\(temporary) temporary files, \(replaced.count) files replaced by the killed run's complete ones" +
                  (unrecorded.isEmpty ? "" : ", \(unrecorded.count) of them not recorded in the store (" + short(unrecorded) + ")"))

            // The same command again (no --force) finishes, with exactly the reference's files.
            let again = try w.prep(command)
            XCTAssertEqual(again.status, 0, "\(point.label): " + again.stderr)
            let got = visible(w)
            XCTAssertEqual(Set(got.keys), Set(expected.keys), point.label)
            for (path, bytes) in expected where got[path] != nil {
                XCTAssertTrue(got[path] == bytes, "\(point.label): \(path) differs from the uninterrupted run's")
            }
            XCTAssertEqual(w.snapshot().keys.filter { Self.isTemporary($0) }, [], "\(point.label): temporary files left after the rerun")
            XCTAssertEqual(try integrity(w.db), "ok", point.label)
        }
        var landed: [String] = []
        for (point, phase) in zip(points, phases) { landed.append(point.label + " -> " + phase) }
        print("crash: prep kills landed in: " + landed.joined(separator: "; "))
        for needed in ["ingest", "shaping", "write"] {
            XCTAssertTrue(phases.contains(needed), "no kill landed in the \(needed) phase: \(phases)")
        }
    }

    // MARK: - eval score

    /// A short prompt and one-token choices, so that 40 items score in seconds on two shared cores.
    /// The crash semantics (chunks of 16 stored in a transaction each) do not depend on the prompt.
    private func scoringWorkspace(_ label: String) throws -> Workspace {
        let w = try Workspace(label)
        try w.editSpec("clickbait.yaml", replacing: #"  prompt: "{instruction}\n\n제목: {title}\n답:""#, with: #"  prompt: "{id}:""#)
        try w.editSpec("clickbait.yaml", replacing: #"verbalize: {clickbait: " 낚시성 기사", normal: " 정상 기사"}"#,
                       with: #"verbalize: {clickbait: " yes", normal: " no"}"#)
        let prep = try w.prep(["run", "specs/clickbait.yaml"])
        XCTAssertEqual(prep.status, 0, prep.stderr)
        return w
    }

    /// Every stored prediction of a store, in item order: item_id, gold, predicted, scores, fields.
    private func predictions(_ db: String) throws -> [[String?]] {
        (try Python.json("""
            import sqlite3, sys, json
            db = sqlite3.connect(sys.argv[1])
            print(json.dumps(db.execute("SELECT item_id, gold, predicted, scores, fields FROM predictions ORDER BY item_id").fetchall()))
            """, [db]) as? [[Any]] ?? []).map { row in row.map { $0 as? String } }
    }

    func testEvalScoreKilledInTheMiddleOfAChunkKeepsWholeChunksAndResumesToTheSamePredictions() throws {
        guard FileManager.default.fileExists(atPath: Self.model) else { throw XCTSkip("no model at \(Self.model); run make setup") }
        let args = ["score", "specs/clickbait.yaml", "--model", Self.model, "--limit", "40", "--exact"]

        // The reference: uninterrupted, in a fresh workspace.
        let reference = try scoringWorkspace("crash-eval-reference")
        let started = Date()
        let r = try Binaries.run("eval", args + ["--db", reference.db], cwd: reference.dir)
        let duration = Date().timeIntervalSince(started)
        XCTAssertEqual(r.status, 0, r.stderr)
        let expected = try predictions(reference.db)
        XCTAssertEqual(expected.count, 40)

        // Killed half a chunk's time after the first chunk of 16 is stored: in the middle of the second.
        let w = try scoringWorkspace("crash-eval")
        let k = try kill(w, "eval", args + ["--db", w.db], when: "SELECT count(*) FROM predictions WHERE run_id > ?", atLeast: 16,
                         delay: 0.5 * duration * 16 / 40)
        XCTAssertTrue(k.killed, "scoring ended before the kill: \(k.stderr)")
        XCTAssertEqual(try integrity(w.db), "ok")
        let kept = try predictions(w.db)
        print("crash: eval reference \(String(format: "%.1f", duration)) s; killed at \(String(format: "%.2f", k.at)) s with \(kept.count) predictions stored")
        XCTAssertTrue([16, 32].contains(kept.count), "whole chunks of 16, and not all 40: \(kept.count)")
        for row in kept {
            XCTAssertEqual(row.count, 5)
            guard row.count == 5, let id = row[0] else { XCTFail("incomplete row \(row)"); continue }
            XCTAssertTrue(["clickbait", "normal"].contains(row[1] ?? ""), "gold of \(id): \(row)")
            XCTAssertTrue(["clickbait", "normal"].contains(row[2] ?? ""), "prediction of \(id): \(row)")
            let scores = (try? JSONSerialization.jsonObject(with: Data((row[3] ?? "").utf8))) as? [String: Any]
            XCTAssertEqual(Set(scores?.keys.map { $0 } ?? []), ["clickbait", "normal"], "scores of \(id): \(row)")
            XCTAssertNotNil((try? JSONSerialization.jsonObject(with: Data((row[4] ?? "").utf8))) as? [String: Any], "fields of \(id): \(row)")
        }

        // The same command resumes the killed run and scores only the rest.
        let resumed = try Binaries.run("eval", args + ["--db", w.db], cwd: w.dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.hasPrefix("run-2: scored \(40 - kept.count) items (resumed; \(kept.count) were already scored)"), resumed.stdout)
        XCTAssertEqual(try integrity(w.db), "ok")
        let got = try predictions(w.db)
        XCTAssertEqual(got.count, 40)
        // item_id, gold, predicted and scores byte for byte (scores are bit-identical under --exact).
        XCTAssertEqual(got.map { Array($0.prefix(4)) }, expected.map { Array($0.prefix(4)) })
        // What was stored before the kill is kept as it was.
        let before = Dictionary(uniqueKeysWithValues: kept.compactMap { row in row[0].map { ($0, row) } })
        for row in got { if let id = row[0], let old = before[id] { XCTAssertEqual(row, old, "\(id) changed on resume") } }
    }
}
