import Dispatch

/// The last step of `AtomicFile` commits (sync to disk, then rename into place), run in the
/// background so that a run goes on computing while the disk catches up; `wait()` returns when
/// every file is in place, or throws the first failure.
///
///     let commits = DeferredCommits()
///     try file.commit(deferringSyncTo: commits)   // digest known; the file appears later
///     try commits.wait()                          // every file is at its path
///
/// A run waits before it looks at its folder again or reports success.
public final class DeferredCommits: @unchecked Sendable {
    private let queue = DispatchQueue(label: "harness.deferred-commits", attributes: .concurrent)
    private let group = DispatchGroup()
    private let lock = DispatchQueue(label: "harness.deferred-commits.lock")
    private var failure: IOError?

    public init() {}

    /// Syncs `fd` (whose writes are finished), closes it and renames `temporary` to `path`.
    func add(fd: Int32, temporary: String, path: String) {
        queue.async(group: group) {
            if let error = AtomicFile.place(fd: fd, temporary: temporary, path: path) {
                self.lock.sync { if self.failure == nil { self.failure = error } }
            }
        }
    }

    /// Waits for every commit so far. - throws: the first `IOError.failed`, if any file could not be placed.
    public func wait() throws {
        group.wait()
        if let failure = lock.sync(execute: { failure }) { throw failure }
    }
}
