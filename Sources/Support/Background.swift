import Dispatch

/// Work started on another thread now, whose result (or error) the caller takes later: a stage's
/// removal ledger is written while the stages after it run.
///
///     let ledger = Background { try out.writeLines(count: n, to: "removed/x.jsonl", lines: make) }
///     ...                                  // the next stages
///     let written = try ledger.wait()      // rethrows what the work threw
///
/// The work must only read what the caller goes on using, and the caller must `wait` before it
/// reads what the work writes (`wait` is the point where the work's effects become visible).
public final class Background<T>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: Result<T, any Error>?
    /// How long the work ran, in seconds (set when it ends).
    public private(set) var seconds = 0.0

    public init(_ work: @escaping () throws -> T) {
        let box = Unchecked(work)
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            let started = Clock.now()
            let r = Result { try box.value() }
            self.seconds = Clock.now() - started
            self.result = r
            self.group.leave()
        }
    }

    /// Waits for the work to end; its result, or the error it threw.
    public func wait() throws -> T {
        group.wait()
        return try result!.get()
    }

    private struct Unchecked<V>: @unchecked Sendable {
        let value: V
        init(_ value: V) { self.value = value }
    }
}
