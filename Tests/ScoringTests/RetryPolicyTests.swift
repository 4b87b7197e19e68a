import Foundation
import JSON
@testable import Scoring
import XCTest

/// The retry policy, and HTTPClient following it against a real loopback HTTP server (a Python
/// standard-library responder) that answers each path with a scripted sequence of statuses.
final class RetryPolicyTests: XCTestCase {
    /// `POST /<name>/<s1>,<s2>,...`: the n-th request to a path gets status s_n (the last one
    /// repeats) and the body `{"n": n}` (the handler; `PythonHTTPServer` serves it).
    static let responder = """
    import http.server, json, sys, threading
    counts, lock = {}, threading.Lock()
    class H(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                counts[self.path] = n = counts.get(self.path, 0) + 1
            statuses = [int(s) for s in self.path.rsplit("/", 1)[1].split(",")]
            body = json.dumps({"n": n}).encode()
            self.send_response(statuses[min(n, len(statuses)) - 1])
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
    """

    private var responder: PythonHTTPServer?

    override func tearDown() {
        responder?.stop()
        super.tearDown()
    }

    private func startResponder() throws -> String {
        let server = try PythonHTTPServer(handler: Self.responder)
        responder = server
        return server.base
    }

    func testDelaysDoubleWithBoundedJitter() {
        let policy = RetryPolicy.standard
        XCTAssertEqual(policy.attempts, 3)
        XCTAssertEqual(policy.delay(afterTry: 1, random: 0), 0.5)
        XCTAssertEqual(policy.delay(afterTry: 2, random: 0), 1.0)
        XCTAssertEqual(policy.delay(afterTry: 3, random: 0), 2.0)
        XCTAssertEqual(policy.delay(afterTry: 1, random: 1), 0.375, "at most 25 % less")
        XCTAssertEqual(RetryPolicy(attempts: 0).attempts, 1)
        var a = JitterSource(seed: 42), b = JitterSource(seed: 42)
        let draws = (0..<100).map { _ in a.next() }
        XCTAssertEqual(draws, (0..<100).map { _ in b.next() }, "a seed replays the jitter")
        XCTAssertTrue(draws.allSatisfy { (0..<1).contains($0) })
        XCTAssertGreaterThan(Set(draws).count, 95)

        XCTAssertTrue(RetryPolicy.isTransient(.httpStatus(url: "u", status: 503, body: "")))
        XCTAssertTrue(RetryPolicy.isTransient(.httpStatus(url: "u", status: 500, body: "")))
        XCTAssertTrue(RetryPolicy.isTransient(.serverDown(url: "u", reason: "connection refused")))
        XCTAssertTrue(RetryPolicy.isTransient(.remoteTimeout(url: "u", seconds: 1)))
        XCTAssertFalse(RetryPolicy.isTransient(.httpStatus(url: "u", status: 400, body: "")))
        XCTAssertFalse(RetryPolicy.isTransient(.httpStatus(url: "u", status: 404, body: "")))
        XCTAssertFalse(RetryPolicy.isTransient(.badResponse(url: "u", reason: "not JSON", body: "")))
    }

    func test503ThenOKIsRetriedAfterTheBackoff() throws {
        let base = try startResponder()
        let policy = RetryPolicy(attempts: 3, initialDelay: 0.2, jitter: 0.5, seed: 7)
        var jitter = JitterSource(seed: 7)
        let waits = policy.delay(afterTry: 1, random: jitter.next()) + policy.delay(afterTry: 2, random: jitter.next())

        let client = try HTTPClient(base: base, timeout: 5, retry: policy)
        let start = Date()
        let answer = try client.postJSON("/a/503,503,200", .object([]))
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(answer["n"]?.scalarText, "3", "answered on the third try")
        XCTAssertEqual(client.requestsSent, 3)
        XCTAssertGreaterThanOrEqual(seconds, waits, "waited the seeded backoff (\(waits) s) before the tries")
        XCTAssertLessThan(seconds, waits + 2)

        // Still 503 on the last try: that answer is the error.
        let busy = try HTTPClient(base: base, timeout: 5, retry: policy)
        XCTAssertThrowsError(try busy.postJSON("/b/503,503,503,200", .object([]))) { error in
            XCTAssertEqual(error as? ScoringError, .httpStatus(url: base + "/b/503,503,503,200", status: 503, body: "{\"n\": 3}"))
        }
        XCTAssertEqual(busy.requestsSent, 3)

        // A 4xx is the request's fault: never retried.
        let wrong = try HTTPClient(base: base, timeout: 5, retry: policy)
        XCTAssertThrowsError(try wrong.postJSON("/c/400,200", .object([]))) { error in
            guard case let .httpStatus(_, status, _)? = error as? ScoringError else { return XCTFail("\(error)") }
            XCTAssertEqual(status, 400)
        }
        XCTAssertEqual(wrong.requestsSent, 1)
    }

    func testARefusedConnectionIsRetriedThenReported() throws {
        let url = "http://127.0.0.1:\(try RemoteScorerTests.freePort())"
        let client = try HTTPClient(base: url, timeout: 5, retry: RetryPolicy(attempts: 3, initialDelay: 0.1, jitter: 0))
        let start = Date()
        XCTAssertThrowsError(try client.postJSON("/completion", .object([]))) { error in
            guard case .serverDown? = error as? ScoringError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(client.requestsSent, 3)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.3, "0.1 s, then 0.2 s")
    }
}
