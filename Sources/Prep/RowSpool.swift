import Support
#if canImport(Glibc)
import Glibc
#endif

/// Rows waiting on disk while a whole-set stage decides on their keys (`StreamedHead`): each row is
/// one encoded line, appended once and read back by position. The file has no name (it is removed
/// as soon as it is made, in the output folder, beside the files the run writes), so nothing is
/// left behind whatever happens, and its pages are the page cache's, not the process's.
///
/// A row whose bytes are already in another file (the ingest's `records.jsonl`, for every row no
/// refine changed) is kept as where it lies there (`reference`), not written again: writing the
/// rows a second time was a tenth of the main thread's time during the ingest.
final class RowSpool: @unchecked Sendable {
    private let fd: Int32
    /// The file rows may lie in (`readingAlso`), or -1.
    private var source: Int32 = -1
    private var buffer: [UInt8] = []
    /// Bytes already in the spool file, and all bytes appended to it.
    private var flushed: Int64 = 0
    private var appended: Int64 = 0
    /// Where row `i` lies: its offset, with `Self.inSource` set when it is in `source`, and length.
    private var offsets: [Int64] = []
    private var lengths: [Int32] = []
    private static let inSource: Int64 = 1 << 62

    var count: Int { offsets.count }

    /// Bytes of all rows so far, wherever they lie.
    private(set) var bytes: Int64 = 0

    /// - throws: `PrepError.stage` when no file can be made in `dir`.
    init(dir: String) throws {
        var template = Array((dir + "/.rows.tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw PrepError.stage(name: "spool", detail: "cannot make a file in \(dir): " + String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit {
        close(fd)
        if source >= 0 { close(source) }
    }

    private static let bufferSize = 1 << 20

    /// Rows may be taken from the file at `path` (`reference`): it is opened now, so that it stays
    /// readable if it is renamed. Its bytes must be written before they are read back.
    func readingAlso(_ path: String) throws {
        precondition(source < 0, "RowSpool: one source file")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PrepError.stage(name: "spool", detail: "cannot read \(path): " + String(cString: strerror(errno))) }
        source = fd
    }

    var hasSource: Bool { source >= 0 }

    /// Appends one row's bytes.
    func append(_ row: ArraySlice<UInt8>) throws {
        offsets.append(appended)
        lengths.append(Int32(row.count))
        buffer.append(contentsOf: row)
        appended += Int64(row.count)
        bytes += Int64(row.count)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Appends a row whose bytes are `length` bytes at `offset` of the source file (`readingAlso`).
    func reference(offset: Int64, length: Int) {
        precondition(source >= 0 && offset >= 0 && offset < Self.inSource, "RowSpool: a reference needs a source file")
        offsets.append(offset | Self.inSource)
        lengths.append(Int32(length))
        bytes += Int64(length)
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
    /// order, on every core (after `flush`). The rows are read in file order, a span of
    /// neighbouring rows of one file (at most `spanBytes`, gaps included) with one read: one read
    /// per row cost more than the work on it. Each span is read and changed by one worker: reading
    /// them all on the calling thread (copying 20 MB from the page cache for a sample's ledger)
    /// left the other core idle.
    func rows<T>(_ positions: some RandomAccessCollection<Int>, spanBytes: Int = 256 << 10,
                 _ transform: (_ offset: Int, _ row: UnsafeRawBufferPointer) throws -> T) throws -> [T] {
        let wanted = Array(positions)
        guard !wanted.isEmpty else { return [] }
        let offsets = self.offsets, lengths = self.lengths
        precondition(wanted.allSatisfy { $0 >= 0 && $0 < count && (offsets[$0] >= Self.inSource || offsets[$0] + Int64(lengths[$0]) <= flushed) },
                     "RowSpool: rows read before flush")
        // Where each row goes in the output, in the order the rows lie (spool first, then source).
        let order = wanted.indices.sorted { offsets[wanted[$0]] < offsets[wanted[$1]] }
        func end(_ k: Int) -> Int64 { offsets[wanted[k]] + Int64(lengths[wanted[k]]) }
        // The spans, as ranges of `order`, and the bytes each covers.
        var spans: [(rows: Range<Int>, from: Int64, to: Int64)] = []
        var lo = 0
        while lo < order.count {
            // (An empty row lies where the next one starts: the span ends where its longest row does.)
            let first = offsets[wanted[order[lo]]], file = first >= Self.inSource
            var hi = lo + 1, last = end(order[lo])
            while hi < order.count, (offsets[wanted[order[hi]]] >= Self.inSource) == file, end(order[hi]) - first <= Int64(spanBytes) {
                last = max(last, end(order[hi]))
                hi += 1
            }
            spans.append((lo..<hi, first, last))
            lo = hi
        }
        let made = try Parallel.map(spans, minimumPerWorker: 1) { span -> [T] in
            let file = span.from >= Self.inSource
            let buffer = try read(Int(span.to - span.from), at: span.from & ~Self.inSource, from: file ? source : fd)
            return try buffer.withUnsafeBytes { raw in
                try span.rows.map { i in
                    let k = order[i], at = Int(offsets[wanted[k]] - span.from), n = Int(lengths[wanted[k]])
                    return try transform(k, UnsafeRawBufferPointer(rebasing: raw[at..<at + n]))
                }
            }
        }
        var out = [T?](repeating: nil, count: wanted.count)
        for (span, values) in zip(spans, made) {
            for (i, value) in zip(span.rows, values) { out[order[i]] = value }
        }
        return out.map { $0! }
    }

    /// `length` bytes of `file` from `offset`.
    private func read(_ length: Int, at offset: Int64, from file: Int32) throws -> [UInt8] {
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { raw, initialized in
            var done = 0
            while done < length {
                let n = pread(file, raw.baseAddress! + done, length - done, off_t(offset) + off_t(done))
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
