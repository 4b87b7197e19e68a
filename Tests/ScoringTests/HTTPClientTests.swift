import Foundation
import JSON
@testable import Scoring
import XCTest

/// HTTPClient over the system's libcurl (loaded on first use) against real loopback peers: a Python
/// standard-library server that echoes what it was sent, a socket that never answers, a closed port
/// and a host that does not resolve. Each failure must come out as the `ScoringError` the retries
/// and the messages rely on.
final class HTTPClientTests: XCTestCase {
    /// `POST /echo`: answers the body it got and the headers that matter, as JSON.
    /// `GET /big/<n>`: a JSON string of n bytes (a large answer arrives in many pieces).
    /// `GET /moved`: a redirect to `/big/30`.
    /// `GET /keep`: the client's port (the same on every request when the connection is kept).
    static let server = """
    import http.server, json
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def answer(self, status, value):
            body = json.dumps(value, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def do_POST(self):
            got = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            self.answer(200, {"body": got, "type": self.headers.get("Content-Type"), "accept": self.headers.get("Accept")})
        def do_GET(self):
            if self.path.startswith("/big/"):
                self.answer(200, "가" * (int(self.path[5:]) // 3))
            elif self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "/big/30")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/keep":
                self.answer(200, self.client_address[1])
            else:
                self.answer(404, "no such page")
    """

    private var python: PythonHTTPServer?
    private var sockets: [Int32] = []

    override func tearDown() {
        python?.stop()
        sockets.forEach { close($0) }
        super.tearDown()
    }

    private func startServer() throws -> String {
        let started = try PythonHTTPServer(handler: Self.server)
        python = started
        return started.base
    }

    /// A listening loopback socket that nobody accepts from: connections complete (the kernel's
    /// backlog), requests go out, and no answer ever comes.
    private func silentPeer() throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        sockets.append(fd)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw XCTSkip("cannot listen on a loopback socket") }
        return "http://127.0.0.1:\(UInt16(bigEndian: addr.sin_port))"
    }

    func testBodiesGoAndComeBackWhole() throws {
        let base = try startServer()
        let client = try HTTPClient(base: base, timeout: 10, retry: RetryPolicy(attempts: 1))
        let text = "낚시성 기사 \"탐지\"\n" + String(repeating: "본문 ", count: 5000)
        let echo = try client.postJSON("/echo", .object([("text", .string(text))]))
        XCTAssertEqual(echo["body"]?.scalarText, JSONWriter.serialize(.object([("text", .string(text))])), "the body arrives byte for byte")
        XCTAssertEqual(echo["type"]?.scalarText, "application/json")
        XCTAssertEqual(echo["accept"]?.scalarText, "application/json")
        let empty = try client.postJSON("/echo", .object([]))
        XCTAssertEqual(empty["body"]?.scalarText, "{}")
        // 3 MB in many pieces, then a 404 answer with its body.
        let big = try client.get("/big/3000000")
        XCTAssertEqual(big.status, 200)
        XCTAssertEqual(big.body.utf8.count, 3_000_000 + 2, "the whole answer, quotes included")
        let missing = try client.get("/nothing")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.body, "\"no such page\"")
        // A redirect is followed, as URLSession did (a server behind a proxy).
        let moved = try client.get("/moved")
        XCTAssertEqual(moved.status, 200)
        XCTAssertEqual(moved.body.utf8.count, 30 + 2)
        XCTAssertEqual(client.requestsSent, 5)
    }

    /// A path libcurl cannot put in a URL is the request's fault: `invalidURL`, never retried.
    func testAnUnusableURLIsNotRetried() throws {
        let base = try startServer()
        let client = try HTTPClient(base: base, timeout: 5, retry: RetryPolicy(attempts: 3, initialDelay: 0.1, jitter: 0))
        XCTAssertThrowsError(try client.get("/a b")) { error in
            XCTAssertEqual(error as? ScoringError, .invalidURL(base + "/a b"))
        }
        XCTAssertEqual(client.requestsSent, 1)
    }

    /// libcurl keeps the connection open between requests, as URLSession did: a scorer sends
    /// thousands of requests to one server.
    func testTheConnectionIsKept() throws {
        let base = try startServer()
        let client = try HTTPClient(base: base, timeout: 10, retry: RetryPolicy(attempts: 1))
        let ports = try (0..<3).map { _ in try client.get("/keep").body }
        XCTAssertEqual(Set(ports).count, 1, "one connection for three requests: \(ports)")
    }

    func testAServerThatNeverAnswersTimesOut() throws {
        let base = try silentPeer()
        let client = try HTTPClient(base: base, timeout: 0.5, retry: RetryPolicy(attempts: 1))
        let start = Date()
        XCTAssertThrowsError(try client.postJSON("/completion", .object([]))) { error in
            XCTAssertEqual(error as? ScoringError, .remoteTimeout(url: base + "/completion", seconds: 0.5))
        }
        let seconds = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(seconds, 0.45)
        XCTAssertLessThan(seconds, 5)
    }

    func testNothingListeningAndUnknownHostsAreServerDown() throws {
        let closed = "http://127.0.0.1:\(try RemoteScorerTests.freePort())"
        XCTAssertThrowsError(try HTTPClient(base: closed, timeout: 5, retry: RetryPolicy(attempts: 1)).get("/health")) { error in
            XCTAssertEqual(error as? ScoringError, .serverDown(url: closed + "/health", reason: "connection refused"))
        }
        // `.invalid` never resolves (RFC 6761).
        XCTAssertThrowsError(try HTTPClient(base: "http://no-such-host.invalid", timeout: 5, retry: RetryPolicy(attempts: 1)).get("/health")) { error in
            XCTAssertEqual(error as? ScoringError, .serverDown(url: "http://no-such-host.invalid/health", reason: "unknown host"))
        }
    }

    /// libcurl is loaded on the first request, so a machine without it learns it there: said as
    /// what it is (not "nothing answers"), and not retried.
    func testMissingLibcurlIsNamedAndNotRetried() {
        let error = ScoringError.httpUnavailable(reason: "cannot load libcurl.so.4: libcurl.so.4: cannot open shared object file")
        XCTAssertFalse(RetryPolicy.isTransient(error))
        XCTAssertEqual(error.description, "cannot send HTTP requests: cannot load libcurl.so.4: libcurl.so.4: cannot open shared object file; "
                       + "install libcurl (Debian 12: libcurl4, later releases: libcurl4t64)")
    }
}
