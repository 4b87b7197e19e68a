import Foundation
import XCTest

/// Several commands started at once on a run store that does not exist yet (parallel CI jobs in one
/// workspace). Before the fix, one of them failed with "table runs already exists" (issue 18).
final class StoreConcurrencyTests: XCTestCase {
    /// Starts every command at once from one shell (`&` then `wait`), and returns each one's exit
    /// status and output.
    private func together(_ commands: [[String]], cwd: String) throws -> [(status: Int32, out: String)] {
        let bin = Binaries.productsDirectory.path
        var script = "export HARNESS_NO_PROGRESS=1\n"
        for (i, c) in commands.enumerated() {
            let quoted = c.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            script += "( \(bin)/\(quoted) >out.\(i) 2>&1; echo $? >rc.\(i) ) &\n"
        }
        script += "wait\n"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script]
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        try p.run()
        p.waitUntilExit()
        return try commands.indices.map { i in
            let rc = try String(contentsOfFile: "\(cwd)/rc.\(i)", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            return (Int32(rc) ?? -1, try String(contentsOfFile: "\(cwd)/out.\(i)", encoding: .utf8))
        }
    }

    func testCommandsStartedTogetherOnANewStoreAllSucceedWithTheirOwnRuns() throws {
        let w = try Workspace("concurrent")
        let predictions = w.dir + "/p.jsonl"
        try (1...6).map { #"{"id": "x\#($0)", "predicted": "clickbait", "gold": "\#($0 % 2 == 0 ? "clickbait" : "normal")"}"# }
            .joined(separator: "\n").write(toFile: predictions, atomically: true, encoding: .utf8)
        for round in 1...5 {
            let db = "c\(round).sqlite"
            let commands = [
                ["prep", "run", "specs/clickbait.yaml", "--db", db],
                ["prep", "run", "specs/clickbait.yaml", "--db", db],
                ["prep", "run", "specs/dialogue-inference.yaml", "--db", db],
                ["eval", "import", predictions, "--spec", "specs/news-pages.yaml", "--db", db],
                ["eval", "import", predictions, "--spec", "specs/news-pages.yaml", "--db", db],
                ["eval", "runs", "--db", db],
            ]
            let results = try together(commands, cwd: w.dir)
            for (c, r) in zip(commands, results) {
                XCTAssertEqual(r.status, 0, "round \(round): \(c.joined(separator: " ")): \(r.out)")
                XCTAssertFalse(r.out.contains("already exists"), r.out)
            }
            let check = try Python.json("""
                import sqlite3, sys, json
                db = sqlite3.connect(sys.argv[1])
                print(json.dumps({"integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
                                  "runs": [r for (r,) in db.execute("SELECT id FROM runs ORDER BY id")],
                                  "statuses": [s for (s,) in db.execute("SELECT status FROM runs ORDER BY id")],
                                  "version": db.execute("PRAGMA user_version").fetchone()[0]}))
                """, [w.dir + "/" + db]) as? [String: Any]
            XCTAssertEqual(check?["integrity"] as? String, "ok")
            XCTAssertEqual(check?["runs"] as? [Int], [1, 2, 3, 4, 5], "round \(round): five runs with distinct ids")
            XCTAssertEqual(check?["statuses"] as? [String], Array(repeating: "done", count: 5))
        }
        // Both runs of one spec wrote out/clickbait/ one after the other (the folder lock), and its
        // files are the last one's: the newest finished run's artifacts match the disk.
        let owner = try Python.json("""
            import sqlite3, sys, json, subprocess, os
            os.chdir(sys.argv[2])
            db = sqlite3.connect("c5.sqlite")
            run = db.execute("SELECT max(r.id) FROM runs r JOIN artifacts a ON a.run_id = r.id WHERE a.path LIKE 'out/clickbait/%'").fetchone()[0]
            rows = db.execute("SELECT path, digest FROM artifacts WHERE run_id = ?", (run,)).fetchall()
            # The recorded checksums are XXH3-128 (`xxh3:`), checked here with xxHash's own CLI.
            xxh = lambda p: 'xxh3:' + subprocess.run(['xxh128sum', p], check=True, capture_output=True, text=True).stdout.split()[0]
            print(json.dumps(len(rows) > 0 and all(xxh(p) == d for p, d in rows)))
            """, ["-", w.dir]) as? Bool
        XCTAssertEqual(owner, true)
    }
}
