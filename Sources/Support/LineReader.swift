#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file line by line in constant memory (`\n` or `\r\n` endings).
///
///     let reader = try LineReader(path: "out/train.jsonl")
///     while let line = try reader.next() { ... }
public final class LineReader {
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    /// The 1-based number of the line last returned.
    public private(set) var lineNumber = 0

    public init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw IOError.failed(path: path, reason: "cannot open: " + FileSystem.lastError()) }
    }

    deinit { close(fd) }

    /// The next line without its ending, or nil at the end of the file.
    public func next() throws -> String? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                var end = nl
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = nl + 1
                lineNumber += 1
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                lineNumber += 1
                return line
            }
            if start > 0 { buffer.removeFirst(start); start = 0 }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw IOError.failed(path: path, reason: FileSystem.lastError()) }
            if n == 0 { eof = true } else { buffer.append(contentsOf: chunk[0..<n]) }
        }
    }
}

@available(*, unavailable)
extension LineReader: Sendable {}
