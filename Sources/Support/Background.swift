import Dispatch

/// Work started on another thread now, whose result (or error) the caller takes later: the split
/// writer serialises the next batch of rows while it writes the one before.
///
///     var next = Background { try serialise(batches[0]) }
///     for k in batches.indices {
///         let lines = try next.wait()      // rethrows what the work threw
///         if k + 1 < batches.count { next = Background { try serialise(batches[k + 1]) } }
///         try write(lines)
///     }
///
/// The work must only read what the caller goes on using, and the caller must `wait` before it
/// reads what the work writes (`wait` is the point where the work's effects become visible).
public final class Background<T>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: Result<T, any Error>?

    public init(_ work: @escaping () throws -> T) {
        let box = Unchecked(work)
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = Result { try box.value() }
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
