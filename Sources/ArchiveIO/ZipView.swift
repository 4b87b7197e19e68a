#if canImport(Glibc)
import Glibc
#endif

/// A top-level zip as libarchive should see it: only the bytes from the zip's start (after any
/// self-extractor stub or prefix) to its end record (without padding or comment after it), seekable,
/// so that libarchive's seekable reader takes its entries from the central directory, as Python's
/// `zipfile` does, and stray bytes between entries do not matter.
///
/// Where a local header's CRC or sizes disagree with the central directory (zip64 writers that put
/// sizes 4 GiB apart in the two), the local fields are shown as zero: libarchive then takes the
/// central directory's values, which are the ones Python uses. The headers are patched as libarchive
/// reads them, so nothing is read ahead of it.
final class ZipView: ByteStream {
    private let file: ConcatenatedFile
    private let directory: ZipDirectory
    /// The zip's length in the view.
    private let length: Int64
    private var position: Int64 = 0
    private var total: Int64 = 0
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    init(_ file: ConcatenatedFile, directory: ZipDirectory) {
        self.file = file
        self.directory = directory
        length = directory.end - directory.start
    }

    override var consumed: Int64 { total }
    override var seekable: Bool { true }

    override func read(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        let want = Int(min(Int64(buffer.count), length - position))
        guard want > 0 else { return 0 }
        let n = buffer.withUnsafeMutableBytes { file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]), at: directory.start + position) }
        guard n > 0 else { return n }
        patch(from: position, count: n)
        position += Int64(n)
        total += Int64(n)
        buffer.withUnsafeBytes { out.pointee = $0.baseAddress }
        return n
    }

    override func seek(_ offset: Int64, whence: Int32) -> Int64 {
        let target: Int64
        switch whence {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = position + offset
        case SEEK_END: target = length + offset
        default: return -1
        }
        position = min(max(0, target), length)
        return position
    }

    /// Applies the end-record patches and the local-header fixes that fall in the buffer's first `count` bytes.
    private func patch(from at: Int64, count: Int) {
        for (offset, bytes) in directory.endPatches { put(bytes, at: offset, from: at, count: count) }
        // Local headers whose CRC and size fields (bytes 14..<26) overlap the buffer.
        let locals = directory.locals
        var lo = 0, hi = locals.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if locals[mid].offset + 26 <= at { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        while i < locals.count, locals[i].offset + 14 < at + Int64(count) {
            if let fields = fixedFields(locals[i].offset, locals[i].entry) { put(fields, at: locals[i].offset + 14, from: at, count: count) }
            i += 1
        }
    }

    /// The CRC and sizes to show for the local header at `offset`, or nil to leave them as they are.
    private func fixedFields(_ offset: Int64, _ entry: ZipDirectory.Entry) -> [UInt8]? {
        var header = [UInt8](repeating: 0, count: 26)
        var filled = 0
        while filled < 26 {  // more than one read where the header crosses from one split part to the next
            let n = header.withUnsafeMutableBytes { file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]), at: directory.start + offset + Int64(filled)) }
            if n <= 0 { return nil }
            filled += n
        }
        guard ZipDirectory.u32(header, 0) == 0x0403_4B50 else { return nil }
        var fields = Array(header[14..<26])
        let crc = ZipDirectory.u32(header, 14), compressed = ZipDirectory.u32(header, 18), uncompressed = ZipDirectory.u32(header, 22)
        var changed = false
        if crc != 0, crc != entry.crc { fields.replaceSubrange(0..<4, with: [0, 0, 0, 0]); changed = true }
        // Both sizes or neither: libarchive reads the local zip64 field only for the sizes that are 0xFFFFFFFF.
        if (compressed != 0 || uncompressed != 0), compressed != entry.compressed32 || uncompressed != entry.uncompressed32 {
            fields.replaceSubrange(4..<12, with: [UInt8](repeating: 0, count: 8)); changed = true
        }
        return changed ? fields : nil
    }

    private func put(_ bytes: [UInt8], at offset: Int64, from at: Int64, count: Int) {
        for (k, byte) in bytes.enumerated() {
            let i = offset + Int64(k) - at
            if i >= 0, i < Int64(count) { buffer[Int(i)] = byte }
        }
    }
}
