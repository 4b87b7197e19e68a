import CArchive
import Foundation
import Support

/// Streams the selected entries out of the archives under a data folder, without extracting to disk.
///
/// Handles zip, tar (also compressed), zips inside tars and zips, zips split into
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
        LocalTimeZone.pin()
        var matchedAny = false
        for (file, matched) in try sources() {
            try scan(file: file, matched: matched, matchedAny: &matchedAny, body)
        }
        if !matchedAny {
            throw ArchiveError.noArchiveMatched(root: root, patterns: archives.map(\.description), seen: try sources().map(\.file.path))
        }
    }

    private func scan(file: SourceFile, matched: Bool, matchedAny: inout Bool, _ body: (ArchiveEntry) throws -> Void) throws {
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
            var walk = Walk(top: file.path, split: file.parts.count > 1, matchedAny: matchedAny,
                            directory: directory)
            // A zip whose directory was read is shown to libarchive as the zip alone (see ZipView).
            let stream: ByteStream = kind == .zip && directory.isValid ? ZipView(concatenated, directory: directory) : FileByteStream(concatenated)
            try walk.read(stream: stream, prefix: "", matched: matched, scanner: self, body)
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
            try body(ArchiveEntry(archive: file.path, entry: "", data: data))
        }
    }

    fileprivate func selects(entry path: String) -> Bool { entries.contains { $0.matches(path) } }
    fileprivate func selects(archive path: String) -> Bool { archives.contains { $0.matches(path) } }
}

@available(*, unavailable)
extension ArchiveScanner: Sendable {}

/// One pass over one top-level file, recursing into nested archives.
private struct Walk {
    let top: String
    let split: Bool
    var matchedAny: Bool
    /// Sizes from the top-level zip's central directory (exact ratios for the bomb check).
    let directory: ZipDirectory

    mutating func read(stream: ByteStream, prefix: String, matched: Bool, scanner: ArchiveScanner,
                       _ body: (ArchiveEntry) throws -> Void) throws {
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
            if name.hasPrefix("/") || name.split(separator: "/").contains("..") || name.contains("\\..") {
                throw ArchiveError.unsafeEntryName(archive: top, entry: full)
            }
            let recorded = prefix.isEmpty ? directory.entries[name] : nil
            if FileKind.looksLikeArchive(name) && (matched || scanner.selects(archive: name)) {
                try refuseUnreadable(entry, recorded, name: full)
                let inner = EntryByteStream(outer: a)
                do {
                    try read(stream: inner, prefix: full + "!", matched: true, scanner: scanner, body)
                } catch is ArchiveError where inner.failure.map(Self.isDeflate64) == true {
                    // The nested archive itself is stored with Deflate64 in its outer zip.
                    throw ArchiveError.deflate64(archive: top, entry: full)
                }
                continue
            }
            guard matched, scanner.selects(entry: name) else { continue }
            try refuseUnreadable(entry, recorded, name: full)
            let data = try readData(a, entry: entry, name: full, limits: scanner.limits, stream: stream,
                                    recorded: prefix.isEmpty ? directory.sizes[name] : nil)
            try body(ArchiveEntry(archive: top, entry: full, data: data))
        }
    }

    /// Reads an entry's bytes within the limits. The ratio check uses the sizes the zip's central
    /// directory records when known (exact, before reading); otherwise, for streamed nested archives,
    /// the compressed bytes consumed while reading, once there are enough to measure.
    private func readData(_ a: OpaquePointer, entry: OpaquePointer, name: String, limits: ArchiveLimits, stream: ByteStream,
                          recorded: ZipDirectory.Sizes?) throws -> [UInt8] {
        if archive_entry_size_is_set(entry) != 0, archive_entry_size(entry) > limits.maxEntryBytes {
            throw ArchiveError.entryTooLarge(archive: top, entry: name, size: archive_entry_size(entry), limit: limits.maxEntryBytes)
        }
        if let r = recorded, r.uncompressed > limits.ratioFloorBytes, r.uncompressed / max(1, r.compressed) > Int64(limits.maxRatio) {
            throw ArchiveError.compressionRatioTooHigh(archive: top, entry: name, ratio: Int(r.uncompressed / max(1, r.compressed)), limit: limits.maxRatio)
        }
        let before = stream.consumed
        var out: [UInt8] = []
        if archive_entry_size_is_set(entry) != 0 { out.reserveCapacity(Int(archive_entry_size(entry))) }
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
            out.append(contentsOf: chunk[0..<n])
            if Int64(out.count) > limits.maxEntryBytes {
                throw ArchiveError.entryTooLarge(archive: top, entry: name, size: Int64(out.count), limit: limits.maxEntryBytes)
            }
            let consumed = stream.consumed - before
            if recorded == nil, Int64(out.count) > limits.ratioFloorBytes, consumed >= 256 << 10 {
                let ratio = Int64(out.count) / consumed
                if ratio > Int64(limits.maxRatio) {
                    throw ArchiveError.compressionRatioTooHigh(archive: top, entry: name, ratio: Int(ratio), limit: limits.maxRatio)
                }
            }
        }
        return out
    }

    /// Entries that no amount of downloading again would make readable get their own message,
    /// before libarchive's read fails and reads as damage.
    private func refuseUnreadable(_ entry: OpaquePointer, _ recorded: ZipDirectory.Entry?, name: String) throws {
        if archive_entry_is_encrypted(entry) != 0 || recorded?.isEncrypted == true {
            throw ArchiveError.encrypted(archive: top, entry: name)
        }
        if recorded?.isDeflate64 == true { throw ArchiveError.deflate64(archive: top, entry: name) }
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
