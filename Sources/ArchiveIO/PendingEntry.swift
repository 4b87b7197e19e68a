import CDeflate

/// A selected entry whose bytes may still be compressed: `load()` inflates them on the caller's
/// thread, so that a scan on one thread can leave inflating to the threads that use the bytes.
///
///     try scanner.scan(deferring: true) { pending in batch.append(pending) }
///     // on a worker:
///     let entry = pending.load()          // nil: read it again with `scanner.reread(pending)`
public struct PendingEntry: Sendable {
    /// The top-level source file, relative to the data folder (see `ArchiveEntry.archive`).
    public let archive: String
    /// The path inside it (see `ArchiveEntry.entry`).
    public let entry: String
    /// The entry's size once loaded, as far as it is known before (the zip's central directory records it).
    public let size: Int
    let content: Content

    enum Content: Sendable {
        case ready([UInt8])
        /// A member of a top-level zip read by `DirectZip`, as stored: method 0 (stored) or 8 (deflated),
        /// with the CRC and size the central directory records. `parts`: the zip's files, to read it again.
        case member(compressed: [UInt8], method: UInt16, crc: UInt32, parts: [String])
        /// A member whose bytes could not be read: only `reread` says why.
        case unread(parts: [String])
    }

    /// An entry whose bytes are already there.
    public init(_ entry: ArchiveEntry) {
        archive = entry.archive
        self.entry = entry.entry
        size = entry.data.count
        content = .ready(entry.data)
    }

    init(archive: String, entry: String, size: Int, content: Content) {
        self.archive = archive
        self.entry = entry
        self.size = size
        self.content = content
    }

    /// `archive` and `entry` together, for messages.
    public var location: String { entry.isEmpty ? archive : archive + "!" + entry }

    /// The entry with its bytes, or nil when they do not inflate to exactly what the zip's directory
    /// records (size and CRC): then `ArchiveScanner.reread` reads it through libarchive, which names the damage.
    /// `inflater`: the calling thread's decompressor, when it loads many entries (see `Inflater`).
    public func load(using inflater: Inflater? = nil) -> ArchiveEntry? {
        switch content {
        case let .ready(data):
            return ArchiveEntry(archive: archive, entry: entry, data: data)
        case .unread:
            return nil
        case let .member(compressed, method, crc, _):
            let data: [UInt8]?
            switch method {
            case 0: data = compressed.count == size ? compressed : nil
            case 8: data = (inflater ?? Inflater()).inflate(compressed, size: size)
            default: data = nil
            }
            guard let data, Self.crc32(data) == crc else { return nil }
            return ArchiveEntry(archive: archive, entry: entry, data: data)
        }
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { libdeflate_crc32(0, $0.baseAddress, $0.count) }
    }
}
