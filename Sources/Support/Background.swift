import Dispatch
#if canImport(Glibc)
import Glibc
#endif

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
///
/// Work that itself waits for other work queued on the shared pool (writing files, whose writes
/// run on queues of their own) runs on a thread of its own (`ownThread`): the pool has a thread per
/// core, and while one of them waits libdispatch adds another only after a second.
public final class Background<T>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: Result<T, any Error>?

    public init(ownThread: Bool = false, _ work: @escaping () throws -> T) {
        let box = Unchecked(work)
        group.enter()
        let run: @Sendable () -> Void = {
            self.result = Result { try box.value() }
            self.group.leave()
        }
        if ownThread, Self.start(run) { return }
        DispatchQueue.global(qos: .userInitiated).async(execute: run)
    }

    /// Runs `body` on a new detached thread; false when no thread could be made.
    private static func start(_ body: @escaping () -> Void) -> Bool {
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let made = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        guard made == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
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

/// What a thread of its own runs (`Background(ownThread:)`), handed to it as one pointer.
private final class ThreadBody: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}
