#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX helpers shared by the modules.
public enum FileSystem {
    public static func lastError() -> String { String(cString: strerror(errno)) }

    /// `mkdir -p`.
    public static func makeDirectories(_ path: String) throws {
        if path.isEmpty || path == "." || path == "/" { return }
        var st = stat()
        if stat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { return }
            throw IOError.failed(path: path, reason: "exists and is not a folder")
        }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectories(String(path[..<slash]))
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw IOError.failed(path: path, reason: lastError())
        }
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public static func size(_ path: String) -> Int64? {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : nil
    }

    /// Reads a whole file.
    public static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw IOError.failed(path: path, reason: "cannot read: " + lastError()) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw IOError.failed(path: path, reason: "cannot read: " + lastError()) }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Every regular file under `root` (recursively), as paths relative to `root`, sorted.
    public static func walk(_ root: String) -> [String] {
        var result: [String] = []
        func visit(_ rel: String) {
            let full = rel.isEmpty ? root : root + "/" + rel
            guard let dir = opendir(full) else { return }
            defer { closedir(dir) }
            while let ent = readdir(dir) {
                let name = withUnsafePointer(to: ent.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                let childRel = rel.isEmpty ? name : rel + "/" + name
                if isDirectory(root + "/" + childRel) { visit(childRel) } else { result.append(childRel) }
            }
        }
        visit("")
        return result.sorted()
    }
}

extension FileSystem {
    /// Modification time in nanoseconds since the epoch, or 0.
    public static func modificationTime(_ path: String) -> Int64 {
        var st = stat()
        guard stat(path, &st) == 0 else { return 0 }
        return Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    public static func remove(_ path: String) { unlink(path) }
}

extension FileSystem {
    /// Reads at most `limit` bytes from the start of a file.
    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw IOError.failed(path: path, reason: "cannot read: " + lastError()) }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: limit)
        var got = 0
        while got < limit {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, limit - got) }
            if n < 0 { if errno == EINTR { continue }; throw IOError.failed(path: path, reason: lastError()) }
            if n == 0 { break }
            got += n
        }
        return Array(out.prefix(got))
    }
}

extension FileSystem {
    /// Removes `path` and the folders below it when they hold no files (a failed run's leftovers).
    public static func removeEmptyDirectories(_ path: String) {
        guard isDirectory(path) else { return }
        for c in entries(in: path) where isDirectory(path + "/" + c) { removeEmptyDirectories(path + "/" + c) }
        rmdir(path)
    }
}

/// Facts about the machine.
public enum System {
    /// Online CPU cores (at least 1).
    public static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
