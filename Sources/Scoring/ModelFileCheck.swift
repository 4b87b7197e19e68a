import Support
#if canImport(Glibc)
import Glibc
#endif

/// Checks made before handing a file to llama.cpp, so that common mistakes get a clear message
/// instead of a crash or a long log.
enum ModelFileCheck {
    /// Throws unless `path` exists, starts with the GGUF magic and is no larger than
    /// `availableBytes` (by default MemAvailable; nil skips the check).
    static func validate(_ path: String, availableBytes: Int64? = availableMemory()) throws {
        guard FileSystem.exists(path), !FileSystem.isDirectory(path) else {
            throw ScoringError.modelNotFound(path: path)
        }
        let head = firstBytes(path, count: 4)
        guard head == Array("GGUF".utf8) else {
            throw ScoringError.notGGUF(path: path, firstBytes: describe(head))
        }
        if let size = FileSystem.size(path), let available = availableBytes, size > available {
            throw ScoringError.modelTooLarge(path: path, bytes: size, availableBytes: available)
        }
    }

    static func firstBytes(_ path: String, count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// The magic as text when printable, else as hex.
    static func describe(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "nothing (the file is empty)" }
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
        }
        return bytes.map { b in
            let h = String(b, radix: 16)
            return "0x" + (h.count == 1 ? "0" + h : h)
        }.joined(separator: " ")
    }

    /// `MemAvailable` from /proc/meminfo in bytes, or nil where there is no such file.
    static func availableMemory(meminfo: String = "/proc/meminfo") -> Int64? {
        guard let bytes = try? FileSystem.read(meminfo) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kb = Int64(fields[1]) else { return nil }
            return kb * 1024
        }
        return nil
    }
}
