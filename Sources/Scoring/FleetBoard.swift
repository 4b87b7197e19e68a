import Foundation

/// The shared state of one `ServerFleet` dispatch: the queue of item indices, the results, and
/// each server's fate, behind one condition variable. Workers take items (`next`) and report
/// (`finish`, `serverFailed`, `fail`); the calling thread waits for news to relay as progress.
final class FleetBoard<R: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Int]
    private var results: [R?]
    private var remaining: Int
    private var serving: [Bool]
    private var finished: [Int]
    private var failures: [String?]
    private var fatal: (any Error)?
    private var newDone = 0, newTokens = 0
    private var workers = 0

    init(count: Int, serving: [Bool]) {
        pending = Array(0..<count)
        results = Array(repeating: nil, count: count)
        remaining = count
        self.serving = serving
        finished = Array(repeating: 0, count: serving.count)
        failures = Array(repeating: nil, count: serving.count)
    }

    private var over: Bool { remaining == 0 || fatal != nil || !serving.contains(true) }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.broadcast(); condition.unlock() }
        return body()
    }

    /// The next item for a worker of `server`; nil when it should stop (all done, a fatal error,
    /// or its server is out). Waits while the queue is empty but items are in flight elsewhere:
    /// they come back if their server fails.
    func next(server: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if over || !serving[server] { return nil }
            if !pending.isEmpty { return pending.removeFirst() }
            condition.wait()
        }
    }

    func finish(_ index: Int, _ result: R, tokens: Int, server: Int) {
        locked {
            guard results[index] == nil else { return }
            results[index] = result
            remaining -= 1
            finished[server] += 1
            newDone += 1
            newTokens += tokens
        }
    }

    /// `server` is out (its tries ran out on `reason`); `index` goes back to the front of the queue.
    func serverFailed(_ index: Int, server: Int, reason: String) {
        locked {
            serving[server] = false
            failures[server] = reason
            pending.insert(index, at: 0)
        }
    }

    /// An error another server would repeat: the dispatch stops.
    func fail(_ error: any Error) {
        locked { if fatal == nil { fatal = error } }
    }

    func workerStarted() { locked { workers += 1 } }
    func workerExited() { locked { workers -= 1 } }

    /// Blocks until items were finished since the last call, or the dispatch is over.
    func waitForNews() -> (done: Int, tokens: Int, over: Bool) {
        condition.lock()
        defer { condition.unlock() }
        while newDone == 0 && newTokens == 0 && !over { condition.wait() }
        defer { newDone = 0; newTokens = 0 }
        return (newDone, newTokens, over)
    }

    /// Blocks until every worker has returned (each finishes the request it is on).
    func waitForWorkers() {
        condition.lock()
        defer { condition.unlock() }
        while workers > 0 { condition.wait() }
    }

    /// The results in item order (nil unless every item finished), what each server finished, the
    /// last error of each server that failed, and the fatal error if any.
    func outcome() -> (results: [R]?, finished: [Int], failures: [String?], fatal: (any Error)?) {
        locked {
            (remaining == 0 ? results.map { $0! } : nil, finished, failures, fatal)
        }
    }
}

/// One worker thread of a fleet: its own `RemoteScorer` (and HTTP session) on one server.
struct FleetWorker: Sendable {
    let server: Int
    let url: String
    let model: String?
    let timeout: Double
    let retry: RetryPolicy
    let reusesServerCache: Bool
    let method: RemoteScorer.Method?

    func run<R: Sendable>(board: FleetBoard<R>, job: @Sendable (RemoteScorer, Int) throws -> (R, Int)) {
        defer { board.workerExited() }
        let remote: RemoteScorer
        do {
            remote = try RemoteScorer(baseURL: url, model: model, timeout: timeout, retry: retry)
        } catch {
            return board.fail(error)
        }
        remote.reusesServerCache = reusesServerCache
        remote.detected = method
        while let index = board.next(server: server) {
            do {
                let (result, tokens) = try job(remote, index)
                board.finish(index, result, tokens: tokens, server: server)
            } catch let error as ScoringError where RetryPolicy.isTransient(error) {
                board.serverFailed(index, server: server, reason: "\(error)")
            } catch {
                board.fail(error)
            }
        }
    }
}
