import CArchive
import Foundation
import Support

/// Streams the selected entries out of the archives under a data folder, without extracting to disk
/// (but for nested zips, each copied to a temporary file that has no name, see `TemporaryFile`).
///
/// Handles zip, tar (also compressed), zips inside tars and zips (each read from its central
/// directory, as Python's `zipfile` reads it, the nested ones from a temporary copy), zips split into
/// `X.zip.part<byte offset>` files, and entry names in UTF-8 or CP949.
///
///     let scanner = ArchiveScanner(root: "data", archives: [Glob("**/02.라벨링데이터/*.zip")],
///                                  entries: [Glob("*_L.json")])
///     try scanner.scan { entry in ... entry.data ... }
///
/// Not thread-safe: one scan at a time.
public final class ArchiveScanner {
    public let root: String
    public let archives: [Glob]
    public let entries: [Glob]
    public let limits: ArchiveLimits
    private nonisolated(unsafe) static var localeSet = false

    public init(root: String, archives: [Glob], entries: [Glob] = [Glob("*")], limits: ArchiveLimits = ArchiveLimits()) {
        self.root = root
        self.archives = archives
        self.entries = entries
        self.limits = limits
        if !Self.localeSet {
            // libarchive converts UTF-8-flagged zip names to the locale's charset: make that UTF-8,
            // so flagged names arrive intact and unflagged (CP949) ones arrive as raw bytes.
            setlocale(LC_CTYPE, "C.UTF-8")
            Self.localeSet = true
        }
    }

    /// The source files that the archive patterns select (tar files are also opened as containers
    /// to look for matching archives inside them).
    /// - throws: `ArchiveError.missingDataDirectory`, `.missingPart`, `.noArchiveMatched`.
    public func sources() throws -> [(file: SourceFile, matched: Bool)] {
        let all = try SourceFile.discover(root: root)
        let chosen = all.compactMap { f -> (SourceFile, Bool)? in
            if archives.contains(where: { $0.matches(f.path) }) { return (f, true) }
            if Self.isContainer(f.path) { return (f, false) }
            return nil
        }
        if chosen.isEmpty {
            throw ArchiveError.noArchiveMatched(root: root, patterns: archives.map(\.description), seen: all.map(\.path))
        }
        return chosen
    }

    private static func isContainer(_ path: String) -> Bool {
        let l = path.lowercased()
        return l.hasSuffix(".tar") || l.hasSuffix(".tar.gz") || l.hasSuffix(".tgz")
    }

    /// Calls `body` for every selected entry, in archive order. Stops at the first error.
    /// - throws: `ArchiveError` naming the archive and entry, or whatever `body` throws.
    public func scan(_ body: (ArchiveEntry) throws -> Void) throws {
        try scan(deferring: false) { try body(try reread($0)) }
    }

    /// Calls `body` for every selected entry, in archive order, as in `scan(_:)`; with `deferring`, the
    /// members of plain top-level zips come still compressed (see `DirectZip`), for `PendingEntry.load()`
    /// on another thread. Every check that needs no inflating (names, limits, encryption) is done here.
    /// - throws: `ArchiveError` naming the archive and entry, or whatever `body` throws.
    public func scan(deferring: Bool, _ body: (PendingEntry) throws -> Void) throws {
        LocalTimeZone.pin()
        var matchedAny = false
        for (file, matched) in try sources() {
            try scan(file: file, matched: matched, deferring: deferring, matchedAny: &matchedAny, body)
        }
        if !matchedAny {
            throw ArchiveError.noArchiveMatched(root: root, patterns: archives.map(\.description), seen: try sources().map(\.file.path))
        }
    }

    private func scan(file: SourceFile, matched: Bool, deferring: Bool, matchedAny: inout Bool, _ body: (PendingEntry) throws -> Void) throws {
        let concatenated = try ConcatenatedFile(paths: file.parts)
        var kind = FileKind.sniff(concatenated.peek(512))
        var directory = kind == .zip ? ZipDirectory(concatenated) : ZipDirectory.empty
        if kind != .zip, kind != .tar, kind != .compressed {
            // A zip after a prefix (a self-extractor stub, say) does not start with `PK`: its end
            // record, when it points at a central directory that is there, says what it is.
            let found = ZipDirectory(concatenated)
            if found.isValid { kind = .zip; directory = found }
        }
        if kind == .zip, !directory.hasEnd {
            throw ArchiveError.corrupt(archive: file.path, entry: nil, reason: "the end of the zip (its central directory) is missing"
                                       + (file.parts.count > 1 ? " (a split archive: is its last part missing?)" : ""))
        }
        switch kind {
        case .zip, .tar, .compressed:
            var walk = Walk(top: file.path, split: file.parts.count > 1, matchedAny: matchedAny)
            if deferring, kind == .zip,
               let zip = DirectZip(concatenated, directory: directory, recursesInto: { FileKind.looksLikeArchive($0) && (matched || selects(archive: $0)) }) {
                try walk.read(direct: zip, file: concatenated, directory: directory, parts: file.parts, matched: matched, scanner: self, body)
                matchedAny = walk.matchedAny
                return
            }
            // A zip whose directory was read is shown to libarchive as the zip alone (see ZipView).
            let stream: ByteStream = kind == .zip && directory.isValid ? ZipView(concatenated, directory: directory) : FileByteStream(concatenated)
            try walk.read(stream: stream, directory: directory, prefix: "", matched: matched, scanner: self, body)
            matchedAny = walk.matchedAny
        case let .text(message) where FileKind.looksLikeArchive(file.path):
            throw ArchiveError.notAnArchive(archive: file.path, message: message)
        case .unknown where FileKind.looksLikeArchive(file.path):
            throw ArchiveError.corrupt(archive: file.path, entry: nil, reason: "not a zip or tar file (unrecognised first bytes)")
        default:
            guard matched else { return }
            matchedAny = true
            let name = String(file.path.split(separator: "/").last ?? "")
            guard entries.contains(where: { $0.matches(name) }) else { return }
            if concatenated.size > limits.maxEntryBytes {
                throw ArchiveError.entryTooLarge(archive: file.path, entry: name, size: concatenated.size, limit: limits.maxEntryBytes)
            }
            let data = try file.parts.flatMap { try FileSystem.read($0) }
            try body(PendingEntry(ArchiveEntry(archive: file.path, entry: "", data: data)))
        }
    }

    /// The entry with its bytes: loaded, or else read again through libarchive, which throws the
    /// error that the bytes give (a member of a zip that `DirectZip` read: damaged data, a wrong CRC).
    /// - throws: `ArchiveError` naming the archive and entry.
    public func reread(_ pending: PendingEntry) throws -> ArchiveEntry {
        if let entry = pending.load() { return entry }
        let parts: [String]
        switch pending.content {
        case .ready: preconditionFailure("a ready entry loads")
        case let .member(_, _, _, p), let .unread(p): parts = p
        }
        let concatenated = try ConcatenatedFile(paths: parts)
        let directory = ZipDirectory(concatenated)
        var walk = Walk(top: pending.archive, split: parts.count > 1, matchedAny: false, only: pending.entry)
        var found: ArchiveEntry?
        try walk.read(stream: ZipView(concatenated, directory: directory), directory: directory, prefix: "", matched: true, scanner: self) {
            found = $0.load()
        }
        guard let found else {
            throw ArchiveError.corrupt(archive: pending.archive, entry: pending.entry, reason: "the entry could not be read again")
        }
        return found
    }

    func selects(entry path: String) -> Bool { entries.contains { $0.matches(path) } }
    func selects(archive path: String) -> Bool { archives.contains { $0.matches(path) } }
}

@available(*, unavailable)
extension ArchiveScanner: Sendable {}

/// One pass over one top-level file, recursing into nested archives.
struct Walk {
    let top: String
    let split: Bool
    var matchedAny: Bool
    /// Only this entry of a top-level zip, for `ArchiveScanner.reread`.
    var only: String?

    /// Reads one archive. `directory`: the zip's central directory when `stream` is a `ZipView` of it
    /// (exact sizes for the bomb check, encryption and method flags), else empty.
    mutating func read(stream: ByteStream, directory: ZipDirectory, prefix: String, matched: Bool, scanner: ArchiveScanner,
                       _ body: (PendingEntry) throws -> Void) throws {
        guard let a = archive_read_new() else { throw ArchiveError.corrupt(archive: top, entry: nil, reason: "out of memory") }
        defer { archive_read_free(a) }
        archive_read_support_format_zip(a)
        archive_read_support_format_tar(a)
        archive_read_support_format_gnutar(a)
        archive_read_support_filter_all(a)
        let ref = Unmanaged.passUnretained(stream).toOpaque()
        archive_read_set_callback_data(a, ref)
        archive_read_set_read_callback(a, streamRead)
        if stream.seekable { archive_read_set_seek_callback(a, streamSeek) }
        try check(archive_read_open1(a), a, entry: prefix.isEmpty ? nil : String(prefix.dropLast()))
        if matched { matchedAny = true }

        var entry: OpaquePointer?
        while true {
            let r = archive_read_next_header(a, &entry)
            if r == ARCHIVE_EOF { break }
            try check(r, a, entry: prefix.isEmpty ? nil : String(prefix.dropLast()))
            guard let entry, archive_entry_filetype(entry) == 0o100000 else { continue }
            let raw = archive_entry_pathname(entry).map { Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: strlen($0))) } ?? []
            let name = NameDecoding.decode(raw)
            let full = prefix + name
            if let only, name != only { continue }
            if Self.isUnsafe(name) {
                throw ArchiveError.unsafeEntryName(archive: top, entry: full)
            }
            let recorded = directory.entries[name]
            if FileKind.looksLikeArchive(name) && (matched || scanner.selects(archive: name)) {
                try refuseUnreadable(entry, recorded, name: full)
                if name.lowercased().hasSuffix(".zip") {
                    try readNestedZip(a, entry: entry, name: full, stream: stream, recorded: directory.sizes[name], scanner: scanner, body)
                    continue
                }
                let inner = EntryByteStream(outer: a)
                do {
                    try read(stream: inner, directory: .empty, prefix: full + "!", matched: true, scanner: scanner, body)
                } catch is ArchiveError where inner.failure.map(Self.isDeflate64) == true {
                    // The nested archive itself is stored with Deflate64 in its outer zip.
                    throw ArchiveError.deflate64(archive: top, entry: full)
                }
                continue
            }
            guard matched, scanner.selects(entry: name) else { continue }
            try refuseUnreadable(entry, recorded, name: full)
            let data = try readData(a, entry: entry, name: full, limits: scanner.limits, stream: stream, recorded: directory.sizes[name])
            try body(PendingEntry(ArchiveEntry(archive: top, entry: full, data: data)))
        }
    }

    /// A zip inside an archive is read like a top-level one (after a prefix, with padding or stray
    /// bytes, sizes 4 GiB off): copied to a temporary file within `maxNestedZipBytes` and the ratio
    /// limit, then shown to libarchive through a `ZipView` of its central directory. One that has no
    /// readable directory goes to libarchive as it is, which names the damage.
    private mutating func readNestedZip(_ a: OpaquePointer, entry: OpaquePointer, name: String, stream: ByteStream,
                                        recorded: ZipDirectory.Sizes?, scanner: ArchiveScanner, _ body: (PendingEntry) throws -> Void) throws {
        let temp = try TemporaryFile(for: top, entry: name)
        defer { temp.close() }
        let limit = scanner.limits.maxNestedZipBytes, top = self.top
        try readData(a, entry: entry, name: name, limit: limit, limits: scanner.limits, stream: stream, recorded: recorded,
                     tooLarge: { ArchiveError.nestedZipTooLarge(archive: top, entry: name, size: $0, limit: limit) }) {
            try temp.write($0, archive: top, entry: name)
        }
        let file = try ConcatenatedFile(paths: [temp.path])
        temp.close()
        let directory = ZipDirectory(file)
        if !directory.hasEnd, FileKind.sniff(file.peek(512)) == .zip {
            throw ArchiveError.corrupt(archive: top, entry: name, reason: "the end of the nested zip (its central directory) is missing")
        }
        let view: ByteStream = directory.isValid ? ZipView(file, directory: directory) : FileByteStream(file)
        try read(stream: view, directory: directory.isValid ? directory : .empty, prefix: name + "!", matched: true, scanner: scanner, body)
    }

    /// Reads an entry's bytes within the limits. The ratio check uses the sizes the zip's central
    /// directory records when known (exact, before reading); otherwise, for streamed nested archives,
    /// the compressed bytes consumed while reading, once there are enough to measure.
    private func readData(_ a: OpaquePointer, entry: OpaquePointer, name: String, limits: ArchiveLimits, stream: ByteStream,
                          recorded: ZipDirectory.Sizes?) throws -> [UInt8] {
        var out: [UInt8] = []
        if archive_entry_size_is_set(entry) != 0, archive_entry_size(entry) <= limits.maxEntryBytes { out.reserveCapacity(Int(archive_entry_size(entry))) }
        let top = self.top
        try readData(a, entry: entry, name: name, limit: limits.maxEntryBytes, limits: limits, stream: stream, recorded: recorded,
                     tooLarge: { ArchiveError.entryTooLarge(archive: top, entry: name, size: $0, limit: limits.maxEntryBytes) }) {
            out.append(contentsOf: $0)
        }
        return out
    }

    /// Hands an entry's bytes to `sink` chunk by chunk, within `limit` bytes (`tooLarge` says what
    /// is thrown past it) and the ratio limit.
    private func readData(_ a: OpaquePointer, entry: OpaquePointer, name: String, limit: Int64, limits: ArchiveLimits, stream: ByteStream,
                          recorded: ZipDirectory.Sizes?, tooLarge: (Int64) -> ArchiveError, _ sink: (ArraySlice<UInt8>) throws -> Void) throws {
        if archive_entry_size_is_set(entry) != 0, archive_entry_size(entry) > limit { throw tooLarge(archive_entry_size(entry)) }
        if let r = recorded, r.uncompressed > limits.ratioFloorBytes, r.uncompressed / max(1, r.compressed) > Int64(limits.maxRatio) {
            throw ArchiveError.compressionRatioTooHigh(archive: top, entry: name, ratio: Int(r.uncompressed / max(1, r.compressed)), limit: limits.maxRatio)
        }
        let before = stream.consumed
        var total: Int64 = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if let message = archive_error_string(a).map({ String(cString: $0) }), Self.isDeflate64(message) {
                    throw ArchiveError.deflate64(archive: top, entry: name)
                }
                throw ArchiveError.corrupt(archive: top, entry: name, reason: describe(a))
            }
            total += Int64(n)
            if total > limit { throw tooLarge(total) }
            try sink(chunk[0..<n])
            let consumed = stream.consumed - before
            if recorded == nil, total > limits.ratioFloorBytes, consumed >= 256 << 10 {
                let ratio = total / consumed
                if ratio > Int64(limits.maxRatio) {
                    throw ArchiveError.compressionRatioTooHigh(archive: top, entry: name, ratio: Int(ratio), limit: limits.maxRatio)
                }
            }
        }
    }

    /// Entries that no amount of downloading again would make readable get their own message,
    /// before libarchive's read fails and reads as damage.
    private func refuseUnreadable(_ entry: OpaquePointer, _ recorded: ZipDirectory.Entry?, name: String) throws {
        try refuseUnreadable(encrypted: archive_entry_is_encrypted(entry) != 0, recorded, name: name)
    }

    func refuseUnreadable(encrypted: Bool, _ recorded: ZipDirectory.Entry?, name: String) throws {
        if encrypted || recorded?.isEncrypted == true {
            throw ArchiveError.encrypted(archive: top, entry: name)
        }
        if recorded?.isDeflate64 == true { throw ArchiveError.deflate64(archive: top, entry: name) }
    }

    /// A name that starts at the root or climbs out of the folder (a `..` component, or `\..`).
    /// Most names have neither a leading `/` nor `..`: their bytes say so without Foundation's search.
    static func isUnsafe(_ name: String) -> Bool {
        var previous: UInt8 = 0, dots = false
        for byte in name.utf8 {
            if byte == 0x2E, previous == 0x2E { dots = true; break }
            previous = byte
        }
        guard dots || name.utf8.first == 0x2F else { return false }
        return name.hasPrefix("/") || name.split(separator: "/").contains("..") || name.contains("\\..")
    }

    /// libarchive's message for zip method 9 ("Unsupported ZIP compression method (9: deflation-64-bit)").
    private static func isDeflate64(_ message: String) -> Bool { message.contains("deflation-64-bit") }

    private func describe(_ a: OpaquePointer) -> String {
        var reason = archive_error_string(a).map { String(cString: $0) } ?? "unknown libarchive error"
        if split { reason += " (a split archive: is a part missing or cut short?)" }
        return reason
    }

    private func check(_ r: Int32, _ a: OpaquePointer, entry: String?) throws {
        if r >= ARCHIVE_WARN { return }
        throw ArchiveError.corrupt(archive: top, entry: entry, reason: describe(a))
    }
}
