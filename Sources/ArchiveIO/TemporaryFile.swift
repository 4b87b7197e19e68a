import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private temporary file (mode 0600, in `TMPDIR` or /tmp) whose name is removed as soon as it is
/// made, so that nothing is left behind whatever happens: it is written once, then opened again
/// through `/proc/self/fd` (by `ConcatenatedFile`), and its bytes go when the last descriptor closes.
final class TemporaryFile {
    private var fd: Int32

    /// - throws: `ArchiveError.temporaryFile` when no file can be made.
    init(for archive: String, entry: String) throws {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((dir + "/harness-nested-XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ArchiveError.temporaryFile(archive: archive, entry: entry, reason: String(cString: strerror(errno)) + " (in \(dir))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit { close() }

    /// A path that opens the file while this descriptor is open.
    var path: String { "/proc/self/fd/\(fd)" }

    /// Appends bytes. - throws: `ArchiveError.temporaryFile` (a full disk, say).
    func write(_ bytes: ArraySlice<UInt8>, archive: String, entry: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw ArchiveError.temporaryFile(archive: archive, entry: entry, reason: String(cString: strerror(errno))) }
            done += n
        }
    }

    /// Closes this descriptor (once); the bytes stay while another one is open.
    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }
}

@available(*, unavailable)
extension TemporaryFile: Sendable {}
