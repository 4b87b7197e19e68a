#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileSystem {
    /// Whether two paths name the same file (after resolving `.`, `..` and links); false when either is missing.
    public static func samePath(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let ra = realPath(a), let rb = realPath(b) else { return false }
        return ra == rb
    }

    /// The absolute, resolved path of an existing file.
    public static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Renames `path` to `target`, creating the target's folders. - throws: `IOError`.
    public static func move(_ path: String, to target: String) throws {
        if let slash = target.lastIndex(of: "/") { try makeDirectories(String(target[..<slash])) }
        if rename(path, target) != 0 { throw IOError.failed(path: path, reason: "cannot move it to \(target): " + lastError()) }
    }

    /// The names of the entries directly inside `dir` (without `.` and `..`), sorted; [] when it cannot be read.
    public static func entries(in dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let ent = readdir(d) {
            let name = withUnsafePointer(to: ent.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The names of the files directly inside `dir` (not in its subfolders), sorted.
    public static func files(in dir: String) -> [String] {
        entries(in: dir).filter { !isDirectory(dir + "/" + $0) }
    }
}

extension FileSystem {
    /// Calls `body` with each block of a file, in order (1 MiB at a time). - throws: `IOError`.
    public static func readBlocks(_ path: String, size: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw IOError.failed(path: path, reason: "cannot read: " + lastError()) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, size)
            if n < 0 { if errno == EINTR { continue }; throw IOError.failed(path: path, reason: "cannot read: " + lastError()) }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
