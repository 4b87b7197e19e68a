import Support
#if canImport(Glibc)
import Glibc
#endif

/// Rows waiting on disk while a whole-set stage decides on their keys (`StreamedHead`): each row is
/// one encoded line, appended once and read back by position. The file has no name (it is removed
/// as soon as it is made, in the output folder, beside the files the run writes), so nothing is
/// left behind whatever happens, and its pages are the page cache's, not the process's.
final class RowSpool: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// Bytes already in the file.
    private var flushed: Int64 = 0
    /// Where row `i` starts; the last element is where the next row will start.
    private var starts: [Int64] = [0]

    var count: Int { starts.count - 1 }

    /// Bytes of all rows appended so far.
    var bytes: Int64 { starts[starts.count - 1] }

    /// - throws: `PrepError.stage` when no file can be made in `dir`.
    init(dir: String) throws {
        var template = Array((dir + "/.rows.tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw PrepError.stage(name: "spool", detail: "cannot make a file in \(dir): " + String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { close(fd) }

    private static let bufferSize = 1 << 20

    /// Appends one row's bytes.
    func append(_ row: ArraySlice<UInt8>) throws {
        buffer.append(contentsOf: row)
        starts.append(starts[starts.count - 1] + Int64(row.count))
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Writes what is buffered; rows are readable once it has run.
    func flush() throws {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(flushed) + off_t(done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw PrepError.stage(name: "spool", detail: "cannot write the rows waiting on disk: " + String(cString: strerror(errno))) }
            done += n
        }
        flushed += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// `transform` of each row at `positions` (its offset in `positions`, its bytes), in that
    /// order, on every core (after `flush`). The rows are read in position order, a span of
    /// neighbouring rows (at most `spanBytes`, gaps included) with one read: one read per row cost
    /// more than the work on it.
    func rows<T>(_ positions: some RandomAccessCollection<Int>, spanBytes: Int = 1 << 20,
                 _ transform: (_ offset: Int, _ row: UnsafeRawBufferPointer) throws -> T) throws -> [T] {
        let wanted = Array(positions)
        guard !wanted.isEmpty else { return [] }
        precondition(wanted.allSatisfy { $0 >= 0 && $0 < count && starts[$0 + 1] <= flushed }, "RowSpool: rows read before flush")
        // Where each row goes in the output, in the order the rows lie in the file.
        let order = wanted.indices.sorted { wanted[$0] < wanted[$1] }
        var out = [T?](repeating: nil, count: wanted.count)
        var lo = 0
        while lo < order.count {
            let first = starts[wanted[order[lo]]]
            var hi = lo + 1
            while hi < order.count, starts[wanted[order[hi]] + 1] - first <= Int64(spanBytes) { hi += 1 }
            let buffer = try read(Int(starts[wanted[order[hi - 1]] + 1] - first), at: first)
            let span = order[lo..<hi], starts = self.starts
            let made = try buffer.withUnsafeBytes { raw in
                try Parallel.map(span, minimumPerWorker: 256) { k in
                    let at = Int(starts[wanted[k]] - first), end = Int(starts[wanted[k] + 1] - first)
                    return try transform(k, UnsafeRawBufferPointer(rebasing: raw[at..<end]))
                }
            }
            for (k, value) in zip(span, made) { out[k] = value }
            lo = hi
        }
        return out.map { $0! }
    }

    /// `length` bytes of the file from `offset`.
    private func read(_ length: Int, at offset: Int64) throws -> [UInt8] {
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { raw, initialized in
            var done = 0
            while done < length {
                let n = pread(fd, raw.baseAddress! + done, length - done, off_t(offset) + off_t(done))
                if n < 0, errno == EINTR { continue }
                if n <= 0 {
                    failure = n == 0 ? "the file ended early" : String(cString: strerror(errno))
                    break
                }
                done += n
            }
            initialized = done
        }
        if let failure { throw PrepError.stage(name: "spool", detail: "cannot read back the rows waiting on disk: " + failure) }
        return bytes
    }
}
