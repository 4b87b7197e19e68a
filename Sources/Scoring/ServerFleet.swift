import Foundation

/// Scores items across several OpenAI-compatible servers that serve the same model (a fleet of
/// llama-servers, or vLLM), each with a bounded number of requests in flight.
///
/// Items are handed out one at a time from a shared queue, so a fast server takes more of them
/// and nothing is assigned to a server in advance. Each request is retried after a transient
/// failure (`RetryPolicy`: 5xx, no connection, timeout); when the tries run out the server is
/// taken out of the fleet for the rest of its life, and its item goes back to the queue for the
/// others. `score` fails only when no server is left (`FleetError.allServersDown`, naming each
/// server and its last error), or at once on an error that another server would repeat (a 4xx,
/// an answer that is not what was asked, an empty choice).
///
/// Results are kept by item, whichever server scored it: with the same model on every server
/// (checked by `probe`), and requests that each evaluate their whole prompt
/// (`reusesServerCache = false`, servers started with `-np 1`), the scores are bit-identical to a
/// one-server run; with prompt-cache reuse they differ by llama.cpp's rounding (see
/// `RemoteScorer`), and the predictions as a rule do not.
///
///     let fleet = try ServerFleet(urls: ["http://10.0.0.1:8080", "http://10.0.0.2:8080"])
///     let model = try fleet.probe()     // "SmolLM2-135M-Instruct.Q4_1.gguf n_params=..."
///     let scores = try fleet.score(items)
public final class ServerFleet: ChoiceScoring, Generating {
    /// One server of the fleet and how it has fared.
    public struct Server: Sendable, Equatable {
        public let url: String
        /// Requests in flight at once (`--per-server`, else the server's slot count, else 2).
        public internal(set) var concurrency: Int
        /// Items (or generations) it finished.
        public internal(set) var finished: Int
        /// The last error of a server taken out of the fleet; nil while it serves.
        public internal(set) var failure: String?
        public var isServing: Bool { failure == nil }
    }

    /// Requests in flight per server when neither `--per-server` nor the server says (vLLM and
    /// other servers batch requests themselves).
    public static let defaultConcurrency = 2

    public private(set) var servers: [Server]
    let model: String?
    let timeout: Double
    let retry: RetryPolicy
    let perServer: Int?
    /// Passed to every `RemoteScorer` (see there); false for bit-identical scores across servers.
    public var reusesServerCache = true
    private var methods: [RemoteScorer.Method?]
    private var served: String?

    /// Checks the URLs only; the servers are first contacted by `probe` (or the first `score`).
    /// - Parameters:
    ///   - urls: server roots (duplicates are dropped); a trailing `/v1` is accepted.
    ///   - perServer: requests in flight per server; nil: each llama-server's slot count, else 2.
    /// - Throws: `FleetError.noServers`, `ScoringError.invalidURL`.
    public init(urls: [String], model: String? = nil, perServer: Int? = nil, timeout: Double = 60, retry: RetryPolicy = .standard) throws {
        var seen = Set<String>(), list: [Server] = []
        for url in urls {
            let base = try RemoteScorer(baseURL: url, timeout: timeout).baseURL
            if seen.insert(base).inserted { list.append(Server(url: base, concurrency: max(1, perServer ?? 1), finished: 0, failure: nil)) }
        }
        guard !list.isEmpty else { throw FleetError.noServers }
        servers = list
        methods = Array(repeating: nil, count: list.count)
        self.model = model
        self.perServer = perServer.map { max(1, $0) }
        self.timeout = timeout
        self.retry = retry
    }

    /// Asks every server what it serves and how many slots it has; a server that does not answer
    /// is left out (see `servers`). Returns the served model (`RemoteScorer.servedModel`).
    /// - Throws: `FleetError.allServersDown` when none answers, `.modelMismatch` when they differ.
    @discardableResult
    public func probe() throws -> String {
        if let served { return served }
        var models: [(index: Int, model: String)] = []
        for (i, server) in servers.enumerated() where server.isServing {
            do {
                let remote = try RemoteScorer(baseURL: server.url, model: model, timeout: timeout, retry: retry)
                let name = try remote.servedModel()
                methods[i] = try remote.detectMethod()
                servers[i].concurrency = try perServer ?? remote.slotCount() ?? Self.defaultConcurrency
                models.append((i, name))
            } catch {
                servers[i].failure = "\(error)"
            }
        }
        guard let first = models.first else { throw FleetError.allServersDown(failures: failures) }
        if models.contains(where: { $0.model != first.model }) {
            throw FleetError.modelMismatch(models: models.map { FleetError.ServerFailure(url: servers[$0.index].url, reason: $0.model) })
        }
        served = first.model
        return first.model
    }

    public func score(_ items: [ChoiceItem], progress: (_ done: Int, _ tokens: Int) -> Void) throws -> [ChoiceScore] {
        try dispatch(items.count, progress: progress) { remote, index in
            let score = try remote.score([items[index]])[0]
            return (score, score.tokens.reduce(0, +))
        }
    }

    /// Greedy completion on whichever server is free (see `generate(prompts:maxTokens:stop:progress:)` for many).
    public func generate(prompt: String, maxTokens: Int, stop: [String]) throws -> String {
        try generate(prompts: [prompt], maxTokens: maxTokens, stop: stop, progress: { _ in })[0]
    }

    /// Greedy completions of all `prompts`, spread over the fleet, in the order given.
    public func generate(prompts: [String], maxTokens: Int, stop: [String], progress: (_ done: Int) -> Void) throws -> [String] {
        try dispatch(prompts.count, progress: { done, _ in progress(done) }) { remote, index in
            (try remote.generate(prompt: prompts[index], maxTokens: maxTokens, stop: stop), 0)
        }
    }

    /// Each server taken out of the fleet and its last error.
    var failures: [FleetError.ServerFailure] {
        servers.compactMap { s in s.failure.map { FleetError.ServerFailure(url: s.url, reason: $0) } }
    }

    /// Runs `job` for indices `0..<count` on the serving servers' workers; progress is reported on
    /// the calling thread.
    private func dispatch<R: Sendable>(_ count: Int, progress: (Int, Int) -> Void,
                                       job: @escaping @Sendable (RemoteScorer, Int) throws -> (R, Int)) throws -> [R] {
        guard count > 0 else { return [] }
        try probe()
        let board = FleetBoard<R>(count: count, serving: servers.map(\.isServing))
        for (s, server) in servers.enumerated() where server.isServing {
            for w in 0..<server.concurrency {
                var policy = retry
                policy.seed = retry.seed.map { $0 &+ UInt64(s * 1000 + w) }
                let worker = FleetWorker(server: s, url: server.url, model: model, timeout: timeout, retry: policy,
                                         reusesServerCache: reusesServerCache, method: methods[s])
                board.workerStarted()
                Thread { worker.run(board: board, job: job) }.start()
            }
        }
        while true {
            let news = board.waitForNews()
            if news.done > 0 || news.tokens > 0 { progress(news.done, news.tokens) }
            if news.over { break }
        }
        board.waitForWorkers()
        let outcome = board.outcome()
        for s in servers.indices {
            servers[s].finished += outcome.finished[s]
            if let failure = outcome.failures[s] { servers[s].failure = failure }
        }
        if let fatal = outcome.fatal { throw fatal }
        guard let results = outcome.results else { throw FleetError.allServersDown(failures: failures) }
        return results
    }
}

@available(*, unavailable)
extension ServerFleet: Sendable {}
