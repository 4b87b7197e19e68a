import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `eval score --backend openai` on a fleet of real llama-servers (.deps/llama/bin/llama-server,
/// the test model, free loopback ports): every server killed mid-run fails the run with each
/// server named, and the same command on another fleet resumes it.
final class EvalScoreFleetTests: XCTestCase {
    static let serverBinary = Binaries.repo + "/.deps/llama/bin/llama-server"

    /// A llama-server on a free loopback port, healthy, killed with SIGKILL by `kill()` or at the end.
    final class Server {
        let process = Process()
        let url: String

        init() throws {
            guard FileManager.default.fileExists(atPath: EvalScoreFleetTests.serverBinary),
                  FileManager.default.fileExists(atPath: EvalScoreTests.model) else { throw XCTSkip("run `make setup` for llama-server and the model") }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 } }
            close(fd)
            let port = Int(UInt16(bigEndian: addr.sin_port))
            url = "http://127.0.0.1:\(port)"
            process.executableURL = URL(fileURLWithPath: EvalScoreFleetTests.serverBinary)
            process.arguments = ["-m", EvalScoreTests.model, "--host", "127.0.0.1", "--port", String(port), "-t", "1", "-np", "1", "-c", "2048"]
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, process.isRunning {
                if Self.healthy(port: port) { return }
                Thread.sleep(forTimeInterval: 0.2)
            }
            kill()
            throw XCTSkip("llama-server did not start on \(url)")
        }

        /// Whether `GET /health` on the loopback port answers ok, asked over a plain socket (the test
        /// binaries do not link URLSession, so `Data(contentsOf:)` cannot fetch an http URL).
        static func healthy(port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else { return false }
            var wait = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            let request = Array("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return false }
            var answer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                answer += chunk[..<n]
            }
            let text = String(decoding: answer, as: UTF8.self)
            return text.hasPrefix("HTTP/1.1 200") && text.contains("ok")
        }

        func kill() {
            guard process.isRunning else { return }
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit { kill() }
    }

    /// Counts the stored predictions with Python's sqlite3 module (independent of the harness).
    static func storedPredictions(_ db: String) throws -> Int {
        (try Python.json("import sqlite3,sys,json; c=sqlite3.connect(sys.argv[1]); print(json.dumps(c.execute('select count(*) from predictions').fetchone()[0]))", [db]) as? Int) ?? -1
    }

    func testEveryServerKilledFailsTheRunAndAnotherFleetResumesIt() throws {
        let a = try Server(), b = try Server()
        let w = try Workspace("eval-fleet")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let hosts = w.dir + "/hosts.txt"
        try "# the fleet\n\(a.url)\n\n  \(b.url)   # second machine\n".write(toFile: hosts, atomically: true, encoding: .utf8)
        let common = ["score", "specs/clickbait.yaml", "--backend", "openai", "--model", "smollm", "--limit", "40", "--db", w.db]

        let p = Process()
        p.executableURL = Binaries.productsDirectory.appendingPathComponent("eval")
        p.arguments = common + ["--hosts", hosts]
        p.currentDirectoryURL = URL(fileURLWithPath: w.dir)
        p.environment = ProcessInfo.processInfo.environment.merging(["HARNESS_NO_PROGRESS": "1"]) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let deadline = Date().addingTimeInterval(300)
        while p.isRunning, Date() < deadline, (try? Self.storedPredictions(w.db)) ?? 0 < 16 { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertTrue(p.isRunning, "40 items outlast the first chunk of 16")
        a.kill()
        b.kill()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 2, message)
        XCTAssertTrue(message.contains("every server failed"), message)
        XCTAssertTrue(message.contains("  \(a.url): nothing answers at \(a.url)/") && message.contains("  \(b.url): nothing answers at \(b.url)/"), message)
        let kept = try Self.storedPredictions(w.db)
        XCTAssertTrue([16, 32].contains(kept), "whole chunks are kept: \(kept)")

        // Another fleet serving the same model resumes the run: the URLs are not part of its identity.
        let c = try Server()
        let resumed = try Binaries.run("eval", common + ["--url", c.url], cwd: w.dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.hasPrefix("run-2: scored \(40 - kept) items (resumed; \(kept) were already scored)"), resumed.stdout)
        XCTAssertEqual(try Self.storedPredictions(w.db), 40)

        let run = try Python.json("""
            import sqlite3,sys,json
            r=sqlite3.connect(sys.argv[1]).execute('select settings, summary, status from runs where id=2').fetchone()
            print(json.dumps([json.loads(r[0]), json.loads(r[1]), r[2]]))
            """, [w.db]) as? [Any]
        let settings = run?[0] as? [String: Any], summary = run?[1] as? [String: Any]
        XCTAssertEqual(run?[2] as? String, "done")
        XCTAssertEqual(settings?["servers"] as? [String], [a.url, b.url], "the fleet the run started on")
        let served = settings?["served_model"] as? String ?? ""
        XCTAssertTrue(served.hasPrefix("SmolLM2-135M-Instruct.Q4_1.gguf ") && served.contains(" n_params=134515008"), served)
        let servers = summary?["servers"] as? [[String: Any]]
        XCTAssertEqual(servers?.first?["url"] as? String, c.url, "the fleet that finished it")
        XCTAssertEqual(servers?.first?["finished"] as? Int, 40 - kept)

        // Usage errors.
        let noURL = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--backend", "openai", "--model", "m", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(noURL.status, 64, noURL.stderr)
        XCTAssertTrue(noURL.stderr.contains("--backend openai needs --url (repeatable) or --hosts FILE"), noURL.stderr)
        try "# nothing\n\n".write(toFile: hosts, atomically: true, encoding: .utf8)
        let empty = try Binaries.run("eval", common + ["--hosts", hosts], cwd: w.dir)
        XCTAssertNotEqual(empty.status, 0)
        XCTAssertTrue(empty.stderr.contains("lists no server"), empty.stderr)
    }
}
