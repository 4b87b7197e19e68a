#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on an output folder, held by one process at a time through `flock(2)` on the
/// folder itself, so no lock file sits among the outputs. The kernel releases it when the process
/// exits, crashes included, so a killed run never leaves the folder locked.
///
///     let lock = try FolderLock(folder: "out/clickbait", waiting: { print("waiting for another run") })
///     defer { lock.release() }
public final class FolderLock {
    public let folder: String
    private var fd: Int32

    /// Takes the lock, creating the folder if needed. When another process holds it, calls `waiting`
    /// once and then blocks until the folder is free.
    /// - throws: `IOError` when the folder cannot be created or opened.
    public init(folder: String, waiting: () -> Void = {}) throws {
        try FileSystem.makeDirectories(folder)
        self.folder = folder
        fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw IOError.failed(path: folder, reason: "cannot open the folder to lock it: " + FileSystem.lastError()) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR {
                    let reason = FileSystem.lastError()
                    close(fd)
                    throw IOError.failed(path: folder, reason: "cannot lock the folder: " + reason)
                }
            }
        }
    }

    /// Releases the lock (also done by `deinit`, and by the kernel on exit).
    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}

@available(*, unavailable)
extension FolderLock: Sendable {}
