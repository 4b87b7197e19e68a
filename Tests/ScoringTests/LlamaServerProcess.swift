import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A real llama-server (.deps/llama/bin/llama-server) with the test model on a free loopback
/// port, with LlamaScorer's numerics (`-fa off -ctk f32 -ctv f32`) and one slot by default.
final class LlamaServerProcess {
    let process = Process()
    let url: String

    /// Starts the server and waits (up to 60 s) until `GET /health` answers ok.
    /// - throws: `XCTSkip` when the model or the server binary is missing.
    init(threads: Int = 1, slots: Int = 1) throws {
        try Fixtures.requireModel(tools: [Fixtures.server])
        let port = try RemoteScorerTests.freePort()
        url = "http://127.0.0.1:\(port)"
        process.executableURL = URL(fileURLWithPath: Fixtures.server)
        process.arguments = ["-m", Fixtures.model, "--host", "127.0.0.1", "--port", String(port), "-t", String(threads),
                             "-c", "2048", "-np", String(slots), "-fa", "off", "-ctk", "f32", "-ctv", "f32"]
        let log = FileHandle(forWritingAtPath: "/dev/null")
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if Fixtures.healthy(url) { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        stop()
        XCTFail("llama-server did not become healthy on \(url) within 60 s")
        throw XCTSkip("no server")
    }

    /// SIGKILL: the server dies without closing anything, as a crashed or preempted machine does.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}
