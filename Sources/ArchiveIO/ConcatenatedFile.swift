import Support
#if canImport(Glibc)
import Glibc
#endif

/// Several files read as one seekable byte stream (the parts of a split zip, in order).
final class ConcatenatedFile {
    private let paths: [String]
    private var fds: [Int32] = []
    private var starts: [Int64] = []
    let size: Int64
    private(set) var position: Int64 = 0
    /// Bytes handed to the reader so far (for compression-ratio checks).
    private(set) var bytesRead: Int64 = 0
    /// The block `read()` fills. Neither it nor the read-ahead window is cleared first: only the
    /// bytes a `pread` returned are ever looked at.
    var buffer = [UInt8](unsafeUninitializedCapacity: 1 << 16) { _, count in count = 1 << 16 }

    init(paths: [String]) throws {
        self.paths = paths
        var total: Int64 = 0
        for p in paths {
            let fd = open(p, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                fds.forEach { close($0) }
                throw ArchiveError.corrupt(archive: p, entry: nil, reason: FileSystem.lastError())
            }
            fds.append(fd)
            starts.append(total)
            total += FileSystem.size(p) ?? 0
        }
        size = total
    }

    deinit { fds.forEach { close($0) } }

    /// Reads up to the buffer size at the current position; returns the count (0 at the end).
    func read() -> Int {
        guard position < size else { return 0 }
        var part = starts.count - 1
        while starts[part] > position { part -= 1 }
        let local = position - starts[part]
        let n = buffer.withUnsafeMutableBytes { pread(fds[part], $0.baseAddress, $0.count, off_t(local)) }
        if n > 0 { position += Int64(n); bytesRead += Int64(n) }
        return max(n, n < 0 ? -1 : 0)
    }

    /// Reads into `out` at `offset` without moving, from one part at most; returns the count
    /// (0 at the end, -1 on an error). Not counted in `bytesRead`.
    ///
    /// `ahead`: how many bytes from `offset` the caller will read soon (at most `windowSize` are
    /// read at once). They are kept in a window, and later reads inside it are served from memory: a
    /// zip's small members are read in order, a local header and then the data, and one `pread` per
    /// header and per member was a tenth of the ingest's main thread. The caller says how far to
    /// read ahead (`DirectZip.readAhead`), so that a large member in between is not read for nothing.
    func read(into out: UnsafeMutableRawBufferPointer, at offset: Int64, ahead: Int = 0) -> Int {
        guard offset >= 0, offset < size, out.count > 0 else { return 0 }
        if offset >= windowStart, offset < windowStart + Int64(windowCount) {
            let from = Int(offset - windowStart)
            let n = min(out.count, windowCount - from)
            window.withUnsafeBytes { out.baseAddress!.copyMemory(from: $0.baseAddress! + from, byteCount: n) }
            return n
        }
        var part = starts.count - 1
        while starts[part] > offset { part -= 1 }
        let want = min(Self.windowSize, ahead)
        if want <= out.count {
            let n = pread(fds[part], out.baseAddress, out.count, off_t(offset - starts[part]))
            return n < 0 ? -1 : n
        }
        if window.isEmpty { window = [UInt8](unsafeUninitializedCapacity: Self.windowSize) { _, count in count = Self.windowSize } }
        let n = window.withUnsafeMutableBytes { pread(fds[part], $0.baseAddress, want, off_t(offset - starts[part])) }
        guard n > 0 else {
            windowCount = 0
            return n < 0 ? -1 : 0
        }
        windowStart = offset
        windowCount = n
        return read(into: out, at: offset)
    }

    /// The most `read(into:at:ahead:)` reads ahead.
    static let windowSize = 1 << 20
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0
    private var windowCount = 0

    func seek(to offset: Int64) -> Int64 {
        position = min(max(0, offset), size)
        return position
    }

    /// The last `count` bytes of the stream (fewer for a short stream), without moving.
    func tail(_ count: Int) -> [UInt8] {
        let saved = position
        defer { position = saved }
        position = max(0, size - Int64(count))
        var out: [UInt8] = []
        while position < size {
            let n = read()
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        bytesRead -= Int64(out.count)
        return out
    }

    /// `count` bytes at `offset` (fewer at the end), without moving.
    func read(at offset: Int64, count: Int) -> [UInt8] {
        let saved = position, savedRead = bytesRead
        defer { position = saved; bytesRead = savedRead }
        position = max(0, min(offset, size))
        var out: [UInt8] = []
        while out.count < count, position < size {
            let n = read()
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<min(n, count - out.count)])
            position = offset + Int64(out.count)
        }
        return out
    }

    /// The first bytes of the stream, without moving.
    func peek(_ count: Int) -> [UInt8] {
        guard let fd = fds.first else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        return Array(out.prefix(max(0, n)))
    }
}
