import CCurl
import Foundation
import JSON

/// A small synchronous JSON-over-HTTP client (the system's libcurl underneath, loaded on first use:
/// see `ccurl.h`) whose failures are `ScoringError`s naming the URL. Transient failures (5xx, no
/// connection, timeouts) are retried as `retry` says; the last failure is the one reported. The
/// connection stays open between requests. Not for two threads at once.
final class HTTPClient {
    let base: String
    let timeout: Double
    let retry: RetryPolicy
    private var jitter: JitterSource
    /// Requests sent, retries included (for reports and tests).
    private(set) var requestsSent = 0

    /// - Parameter base: `scheme://host[:port][/path]`, without a trailing slash.
    init(base: String, timeout: Double, retry: RetryPolicy = .standard) throws {
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw ScoringError.invalidURL(base)
        }
        self.base = base
        self.timeout = timeout
        self.retry = retry
        jitter = JitterSource(seed: retry.seed)
    }

    deinit { ccurl_close(handle) }

    /// libcurl's handle, made on the first request (nil until then, and when libcurl cannot be loaded).
    private var handle: UnsafeMutableRawPointer?

    /// The HTTP status and body text of `GET base+path`.
    func get(_ path: String) throws -> (status: Int, body: String) {
        try send("GET", path, body: nil)
    }

    /// `POST base+path` with a JSON body; returns the parsed JSON answer of a 2xx response.
    /// - Throws: `.httpStatus` for other statuses, `.badResponse` when the answer is not JSON.
    func postJSON(_ path: String, _ body: JSONValue) throws -> JSONValue {
        let (status, text) = try send("POST", path, body: Array(JSONWriter.serialize(body).utf8))
        guard (200..<300).contains(status) else { throw ScoringError.httpStatus(url: base + path, status: status, body: text) }
        return try parse(text, from: path)
    }

    /// Parses a response body, or throws `.badResponse` quoting it.
    func parse(_ text: String, from path: String) throws -> JSONValue {
        do { return try JSONParser.parse(text) } catch {
            throw ScoringError.badResponse(url: base + path, reason: "not JSON: \(error)", body: text)
        }
    }

    /// Sends the request, again after a transient failure while tries are left (see `RetryPolicy`).
    private func send(_ method: String, _ path: String, body: [UInt8]?) throws -> (status: Int, body: String) {
        var tried = 0
        while true {
            tried += 1
            let answer: (status: Int, body: String)
            do {
                answer = try sendOnce(method, path, body: body)
            } catch let error as ScoringError where RetryPolicy.isTransient(error) && tried < retry.attempts {
                pause(afterTry: tried)
                continue
            }
            if answer.status >= 500, tried < retry.attempts {
                pause(afterTry: tried)
                continue
            }
            return answer
        }
    }

    private func pause(afterTry tried: Int) {
        let seconds = retry.delay(afterTry: tried, random: jitter.next())
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
    }

    private func sendOnce(_ method: String, _ path: String, body: [UInt8]?) throws -> (status: Int, body: String) {
        requestsSent += 1
        let urlText = base + path
        var message = [CChar](repeating: 0, count: 512)
        if handle == nil {
            handle = ccurl_open(&message, message.count)
            // Not the server's fault, and no retry will help: said as such.
            guard handle != nil else { throw ScoringError.httpUnavailable(reason: String(cString: message)) }
        }
        var status = 0
        var answer: UnsafeMutablePointer<CChar>?
        var size = 0
        let milliseconds = Int((timeout * 1000).rounded(.up))
        let failure: ccurl_failure
        if let body {
            // libcurl reads the body while the request runs; a terminator keeps an empty one a valid pointer.
            failure = (body + [0]).withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) {
                    ccurl_request(handle, urlText, method, $0.baseAddress, body.count, milliseconds, &status, &answer, &size, &message, message.count)
                }
            }
        } else {
            failure = ccurl_request(handle, urlText, method, nil, 0, milliseconds, &status, &answer, &size, &message, message.count)
        }
        defer { ccurl_free(answer) }
        switch failure {
        case CCURL_OK:
            let text = answer.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: size), as: UTF8.self) } ?? ""
            return (status, text)
        case CCURL_TIMEOUT: throw ScoringError.remoteTimeout(url: urlText, seconds: timeout)
        case CCURL_REFUSED: throw ScoringError.serverDown(url: urlText, reason: "connection refused")
        case CCURL_UNKNOWN_HOST: throw ScoringError.serverDown(url: urlText, reason: "unknown host")
        case CCURL_CLOSED: throw ScoringError.serverDown(url: urlText, reason: "the connection was closed (\(String(cString: message)))")
        case CCURL_BAD_URL: throw ScoringError.invalidURL(urlText)
        default: throw ScoringError.serverDown(url: urlText, reason: String(cString: message))
        }
    }
}

@available(*, unavailable)
extension HTTPClient: Sendable {}
