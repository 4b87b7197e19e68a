/// A zip's central directory, read the way Python's `zipfile` reads it: from the end record back.
///
/// It gives the exact compressed and uncompressed sizes of the entries before any data is read
/// (for the zip-bomb ratio check), their methods and encryption flags (for clear messages), and
/// where the zip lies in the file: a self-extractor stub or other bytes may come before it, and
/// padding after it. `ZipView` uses that to show libarchive only the zip itself.
struct ZipDirectory {
    struct Sizes: Equatable { let compressed: Int64; let uncompressed: Int64 }
    /// What the central directory records for one entry.
    struct Entry {
        /// The name as recorded (UTF-8 or CP949 bytes) and decoded.
        let rawName: [UInt8]
        let name: String
        /// Version made by (the high byte names the host system: 0 MS-DOS, 3 Unix) and external attributes.
        let madeBy: UInt16
        let external: UInt32
        /// Whether the record has an Info-ZIP Unicode Path extra field (0x7075), which libarchive may read the name from.
        let hasUnicodePath: Bool
        let flags: UInt16
        let method: UInt16
        let crc: UInt32
        /// The 32-bit size fields as written (0xFFFFFFFF when the zip64 extra field holds the size).
        let compressed32: UInt32
        let uncompressed32: UInt32
        /// The local header's offset from the start of the zip.
        let localOffset: Int64

        /// ZipCrypto (flag bit 0), strong encryption (bit 6) or WinZip AES (method 99).
        var isEncrypted: Bool { flags & 0x41 != 0 || method == 99 }
        var isDeflate64: Bool { method == 9 }
    }

    private(set) var sizes: [String: Sizes] = [:]
    private(set) var entries: [String: Entry] = [:]
    /// The local headers' offsets from the start of the zip, ascending, with their directory records.
    private(set) var locals: [(offset: Int64, entry: Entry)] = []
    /// Whether the end-of-central-directory record is there (absent in a truncated zip).
    private(set) var hasEnd = false
    /// Whether the end record points at a central directory that is there (or records no entry):
    /// then the file is a zip whatever its first bytes are.
    private(set) var isValid = false
    /// Whether every record the end record counts was read, and nothing but records fills the directory.
    private(set) var isComplete = false
    /// Where the zip starts in the file: after a prefix (self-extractor stub), as Python computes it
    /// (the central directory's position less the offset the end record gives for it).
    private(set) var start: Int64 = 0
    /// Where the end record ends; bytes past it (a comment, padding) are left out of the view.
    private(set) var end: Int64 = 0
    /// Bytes to change, at offsets from `start`, so that the end record and the zip64 locator
    /// describe the zip as the view shows it (no comment; the zip64 record where it is).
    private(set) var endPatches: [(offset: Int64, bytes: [UInt8])] = []

    /// Reads the directory at the end of a (split) zip; empty when it cannot be parsed.
    init(_ file: ConcatenatedFile) {
        let tail = file.tail(65_557)
        guard tail.count >= 22,
              let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { i in
                  tail[i] == 0x50 && tail[i + 1] == 0x4B && tail[i + 2] == 5 && tail[i + 3] == 6
              }) else { return }
        hasEnd = true
        let eocdAt = file.size - Int64(tail.count) + Int64(eocd)
        var offset = Int64(Self.u32(tail, eocd + 16)), size = Int64(Self.u32(tail, eocd + 12))
        var count = Int64(Self.u16(tail, eocd + 10))
        var directoryEnd = eocdAt
        var locatorAt: Int64?
        // Zip64: the locator sits just before the end record; the zip64 end record (56 bytes with no
        // extensible data) just before the locator, where Python looks for it, else where the locator says.
        if eocd >= 20, Self.u32(tail, eocd - 20) == 0x0706_4B50 {
            let pointer = Int64(Self.u64(tail, eocd - 12))
            for at in [eocdAt - 20 - 56, pointer] where at >= 0 {
                let rec = file.read(at: at, count: 56)
                guard rec.count == 56, Self.u32(rec, 0) == 0x0606_4B50 else { continue }
                size = Int64(Self.u64(rec, 40)); offset = Int64(Self.u64(rec, 48)); count = Int64(Self.u64(rec, 32))
                directoryEnd = at
                locatorAt = eocdAt - 20
                break
            }
        }
        let directoryStart = directoryEnd - size
        guard size >= 0, size < 512 << 20, directoryStart >= 0, offset >= 0, directoryStart - offset >= 0 else { return }
        start = directoryStart - offset
        end = eocdAt + 22
        if Self.u16(tail, eocd + 20) != 0 { endPatches.append((eocdAt + 20 - start, [0, 0])) }
        if let locatorAt {
            endPatches.append((locatorAt + 8 - start, Self.le64(UInt64(directoryEnd - start))))
        }
        let cd = file.read(at: directoryStart, count: Int(size))
        isValid = cd.count == Int(size) && (size == 0 ? count == 0 : cd.count >= 4 && Self.u32(cd, 0) == 0x0201_4B50)
        guard isValid else { return }
        // Sized once from the count the end record gives (bounded: a count may be corrupt).
        let expected = Int(min(max(count, 0), Int64(cd.count / 46)))
        sizes.reserveCapacity(expected)
        entries.reserveCapacity(expected)
        locals.reserveCapacity(expected)
        var i = 0
        while i + 46 <= cd.count, Self.u32(cd, i) == 0x0201_4B50 {
            let compressed32 = Self.u32(cd, i + 20), uncompressed32 = Self.u32(cd, i + 24), local32 = Self.u32(cd, i + 42)
            var compressed = Int64(compressed32), uncompressed = Int64(uncompressed32), local = Int64(local32)
            let nameLength = Int(Self.u16(cd, i + 28)), extraLength = Int(Self.u16(cd, i + 30)), commentLength = Int(Self.u16(cd, i + 32))
            guard i + 46 + nameLength + extraLength <= cd.count else { break }
            let rawName = Array(cd[(i + 46)..<(i + 46 + nameLength)])
            let name = NameDecoding.decode(rawName)
            var e = i + 46 + nameLength
            let end = e + extraLength
            var hasUnicodePath = false
            while e + 4 <= end {
                let id = Self.u16(cd, e), len = Int(Self.u16(cd, e + 2))
                if id == 0x7075 { hasUnicodePath = true }
                if id == 1 {
                    var p = e + 4
                    let stop = min(end, e + 4 + len)
                    if uncompressed == 0xFFFF_FFFF, p + 8 <= stop { uncompressed = Int64(Self.u64(cd, p)); p += 8 }
                    if compressed == 0xFFFF_FFFF, p + 8 <= stop { compressed = Int64(Self.u64(cd, p)); p += 8 }
                    if local == 0xFFFF_FFFF, p + 8 <= stop { local = Int64(Self.u64(cd, p)) }
                }
                e += 4 + len
            }
            if compressed != 0xFFFF_FFFF && uncompressed != 0xFFFF_FFFF { sizes[name] = Sizes(compressed: compressed, uncompressed: uncompressed) }
            let entry = Entry(rawName: rawName, name: name, madeBy: Self.u16(cd, i + 4), external: Self.u32(cd, i + 38), hasUnicodePath: hasUnicodePath,
                              flags: Self.u16(cd, i + 8), method: Self.u16(cd, i + 10), crc: Self.u32(cd, i + 16),
                              compressed32: compressed32, uncompressed32: uncompressed32, localOffset: local)
            entries[name] = entry
            locals.append((local, entry))
            i = end + commentLength
        }
        isComplete = i == cd.count && Int64(locals.count) == count
        locals.sort { $0.offset < $1.offset }
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32 }
    static func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }
}

extension ZipDirectory {
    private init() {}
    static let empty = ZipDirectory()
}
