import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// Where a libarchive reader pulls bytes from: a (split) file on disk, or an entry of an outer archive.
class ByteStream {
    /// Compressed bytes consumed so far.
    var consumed: Int64 { 0 }
    func read(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int { 0 }
    var seekable: Bool { false }
    func seek(_ offset: Int64, whence: Int32) -> Int64 { -1 }
}

final class FileByteStream: ByteStream {
    let file: ConcatenatedFile
    init(_ file: ConcatenatedFile) { self.file = file }
    override var consumed: Int64 { file.bytesRead }
    override var seekable: Bool { true }
    override func read(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        let n = file.read()
        file.buffer.withUnsafeBytes { out.pointee = $0.baseAddress }
        return n
    }
    override func seek(_ offset: Int64, whence: Int32) -> Int64 {
        switch whence {
        case SEEK_SET: return file.seek(to: offset)
        case SEEK_CUR: return file.seek(to: file.position + offset)
        case SEEK_END: return file.seek(to: file.size + offset)
        default: return -1
        }
    }
}

/// The data of the current entry of an outer archive, streamed (nested zip or tar).
final class EntryByteStream: ByteStream {
    private let outer: OpaquePointer
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var total: Int64 = 0
    private(set) var failure: String?
    init(outer: OpaquePointer) { self.outer = outer }
    override var consumed: Int64 { total }
    override func read(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        let n = buffer.withUnsafeMutableBytes { archive_read_data(outer, $0.baseAddress, $0.count) }
        if n < 0 { failure = String(cString: archive_error_string(outer)); return -1 }
        total += Int64(n)
        buffer.withUnsafeBytes { out.pointee = $0.baseAddress }
        return n
    }
}

// C callbacks: libarchive hands back the stream as its client data.
func streamRead(_ a: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t {
    let stream = Unmanaged<ByteStream>.fromOpaque(data!).takeUnretainedValue()
    return la_ssize_t(stream.read(out!))
}

func streamSeek(_ a: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ offset: la_int64_t, _ whence: Int32) -> la_int64_t {
    let stream = Unmanaged<ByteStream>.fromOpaque(data!).takeUnretainedValue()
    return la_int64_t(stream.seek(Int64(offset), whence: whence))
}
