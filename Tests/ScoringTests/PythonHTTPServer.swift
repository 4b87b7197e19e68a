import Foundation
import XCTest

/// A loopback HTTP server written with Python's standard library, for HTTPClient tests that need a
/// peer answering exactly as scripted. `handler` imports what it needs and defines the request
/// handler class `H` (a `http.server.BaseHTTPRequestHandler`); the server on a free port, quiet,
/// one thread per request, is added here.
final class PythonHTTPServer {
    let process = Process()
    /// `http://127.0.0.1:<port>`.
    let base: String

    /// - throws: `XCTSkip` when python3 does not start the server.
    init(handler: String) throws {
        let serve = """
        H.log_message = lambda self, *args: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", handler + "\n" + serve]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw XCTSkip("the Python HTTP server did not start")
        }
        base = "http://127.0.0.1:\(port)"
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}
