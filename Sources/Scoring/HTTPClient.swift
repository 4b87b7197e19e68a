import Foundation
import JSON
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small synchronous JSON-over-HTTP client (URLSession underneath) whose failures are
/// `ScoringError`s naming the URL. Transient failures (5xx, no connection, timeouts) are retried
/// as `retry` says; the last failure is the one reported.
final class HTTPClient {
    let base: String
    let timeout: Double
    let retry: RetryPolicy
    private var jitter: JitterSource
    /// Requests sent, retries included (for reports and tests).
    private(set) var requestsSent = 0
    private let session: URLSession

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
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = max(timeout, 1) * 4
        session = URLSession(configuration: config)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// The HTTP status and body text of `GET base+path`.
    func get(_ path: String) throws -> (status: Int, body: String) {
        try send("GET", path, body: nil)
    }

    /// `POST base+path` with a JSON body; returns the parsed JSON answer of a 2xx response.
    /// - Throws: `.httpStatus` for other statuses, `.badResponse` when the answer is not JSON.
    func postJSON(_ path: String, _ body: JSONValue) throws -> JSONValue {
        let (status, text) = try send("POST", path, body: Data(JSONWriter.serialize(body).utf8))
        guard (200..<300).contains(status) else { throw ScoringError.httpStatus(url: base + path, status: status, body: text) }
        return try parse(text, from: path)
    }

    /// Parses a response body, or throws `.badResponse` quoting it.
    func parse(_ text: String, from path: String) throws -> JSONValue {
        do { return try JSONParser.parse(text) } catch {
            throw ScoringError.badResponse(url: base + path, reason: "not JSON: \(error)", body: text)
        }
    }

    private final class Outcome: @unchecked Sendable {
        var data: Data?
        var response: URLResponse?
        var error: (any Error)?
    }

    /// Sends the request, again after a transient failure while tries are left (see `RetryPolicy`).
    private func send(_ method: String, _ path: String, body: Data?) throws -> (status: Int, body: String) {
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

    private func sendOnce(_ method: String, _ path: String, body: Data?) throws -> (status: Int, body: String) {
        requestsSent += 1
        let urlText = base + path
        guard let url = URL(string: urlText) else { throw ScoringError.invalidURL(urlText) }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        request.setValue("application/json", forHTTPHeaderField: "Accept")

        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            outcome.data = data
            outcome.response = response
            outcome.error = error
            done.signal()
        }
        task.resume()
        done.wait()

        if let error = outcome.error {
            if let urlError = error as? URLError, urlError.code == .timedOut {
                throw ScoringError.remoteTimeout(url: urlText, seconds: timeout)
            }
            throw ScoringError.serverDown(url: urlText, reason: Self.reason(error))
        }
        guard let http = outcome.response as? HTTPURLResponse else {
            throw ScoringError.badResponse(url: urlText, reason: "not an HTTP response", body: "")
        }
        return (http.statusCode, String(decoding: outcome.data ?? Data(), as: UTF8.self))
    }

    private static func reason(_ error: any Error) -> String {
        guard let urlError = error as? URLError else { return "\(error)" }
        switch urlError.code {
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost: return "unknown host"
        case .networkConnectionLost: return "the connection was closed"
        case .notConnectedToInternet: return "no network"
        default: return urlError.localizedDescription
        }
    }
}

@available(*, unavailable)
extension HTTPClient: Sendable {}
