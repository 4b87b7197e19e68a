import CWriteback
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that appears at its path only when complete: written to a temporary sibling, then renamed.
///
///     let out = try AtomicFile(path: "out/train.jsonl")
///     try out.write("{...}\n")
///     try out.commit()          // without commit, the temporary file is removed
///
/// Hashing and writing happen on a background queue, overlapping the caller's work.
/// Not thread-safe; one writer per file.
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var done = false
    public private(set) var bytesWritten = 0
    private let backend: Backend
    /// The checksum of everything written (`FileChecksum`); set by `commit()`.
    public private(set) var digest = ""

    /// The background side: owns the hasher and the writes; reports the first error.
    private final class Backend: @unchecked Sendable {
        let queue = DispatchQueue(label: "harness.atomicfile")
        /// At most this many chunks wait to be written (bounded memory).
        let inFlight = DispatchSemaphore(value: 4)
        let hasher = FileChecksum()
        var failure: String?
        let fd: Int32
        /// Bytes written, and where the disk was last asked to start writing them.
        var written: Int64 = 0
        var writebackFrom: Int64 = 0
        init(fd: Int32) { self.fd = fd }

        func write(_ bytes: [UInt8]) {
            guard failure == nil else { return }
            hasher.update(buffer: bytes)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = FileSystem.lastError()
                    return
                }
                offset += n
            }
            written += Int64(bytes.count)
            // The disk starts on every few megabytes at once, without waiting, so that the sync
            // before the rename finds little left to write (large outputs at the end of a run
            // waited a fifth of a second for it). Only a hint: an error here changes nothing.
            if written - writebackFrom >= AtomicFile.writebackBytes {
                _ = sync_file_range(fd, writebackFrom, written - writebackFrom, harness_sync_file_range_write)
                writebackFrom = written
            }
        }
    }

    /// How many written bytes make the disk start writing (see `Backend.write`).
    static let writebackBytes: Int64 = 1 << 20

    /// Opens a temporary file beside `path`, creating parent folders.
    /// - throws: `IOError.failed` when the folder cannot be created or written.
    public init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        try FileSystem.makeDirectories(dir)
        temporaryPath = dir + "/." + base + ".tmp-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw IOError.failed(path: path, reason: FileSystem.lastError()) }
        backend = Backend(fd: fd)
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        bytesWritten += text.utf8.count
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        let chunk = buffer
        buffer.removeAll(keepingCapacity: true)
        let backend = self.backend
        backend.inFlight.wait()
        backend.queue.async { backend.write(chunk); backend.inFlight.signal() }
    }

    /// Flushes, syncs and renames the file into place.
    public func commit() throws {
        guard try finishContents() else { return }
        if let error = Self.place(fd: fd, temporary: temporaryPath, path: path) { throw error }
    }

    /// Like `commit()`, but the sync and the rename are left to `commits`: when this returns the
    /// contents are final and `digest` is set; the file is at its path once `commits.wait()` returns.
    public func commit(deferringSyncTo commits: DeferredCommits) throws {
        guard try finishContents() else { return }
        commits.add(fd: fd, temporary: temporaryPath, path: path)
    }

    /// Writes what is buffered and sets `digest`; false when the file was already committed or
    /// aborted. After it returns true the file is the caller's to place (`place`).
    /// - throws: `IOError.failed` when a write failed (the temporary file is removed).
    private func finishContents() throws -> Bool {
        guard !done else { return false }
        try flush()
        let backend = self.backend
        let (hash, failure) = backend.queue.sync { (backend.hasher.text, backend.failure) }
        if let failure {
            abort()
            throw IOError.failed(path: path, reason: failure)
        }
        digest = hash
        done = true
        return true
    }

    /// Syncs `fd` (its writes finished), closes it and renames `temporary` to `path`; on failure the
    /// temporary file is removed and the error returned.
    static func place(fd: Int32, temporary: String, path: String) -> IOError? {
        if fsync(fd) != 0 {
            let error = IOError.failed(path: path, reason: FileSystem.lastError())
            close(fd)
            unlink(temporary)
            return error
        }
        close(fd)
        if rename(temporary, path) != 0 {
            let error = IOError.failed(path: path, reason: FileSystem.lastError())
            unlink(temporary)
            return error
        }
        return nil
    }

    /// Drops the temporary file; the previous file at `path`, if any, stays as it was.
    public func abort() {
        guard !done else { return }
        done = true
        let backend = self.backend
        backend.queue.sync {}
        close(fd)
        unlink(temporaryPath)
    }

    deinit { abort() }

    /// Writes a whole file atomically.
    public static func write(_ text: String, to path: String) throws {
        let f = try AtomicFile(path: path)
        try f.write(text)
        try f.commit()
    }
}

@available(*, unavailable)
extension AtomicFile: Sendable {}
