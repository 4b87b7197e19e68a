/// The sizes a zip's central directory records for its entries: the exact compressed and
/// uncompressed sizes, known before any data is read (used for the zip-bomb ratio check).
struct ZipDirectory {
    struct Sizes: Equatable { let compressed: Int64; let uncompressed: Int64 }
    private(set) var sizes: [String: Sizes] = [:]
    /// Whether the end-of-central-directory record is there (absent in a truncated zip).
    private(set) var hasEnd = false

    /// Reads the directory at the end of a (split) zip; empty when it cannot be parsed.
    init(_ file: ConcatenatedFile) {
        let tail = file.tail(65_557)
        guard tail.count >= 22,
              let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { i in
                  tail[i] == 0x50 && tail[i + 1] == 0x4B && tail[i + 2] == 5 && tail[i + 3] == 6
              }) else { return }
        hasEnd = true
        var offset = Int64(Self.u32(tail, eocd + 16)), size = Int64(Self.u32(tail, eocd + 12))
        // Zip64: the locator sits just before the EOCD and points at the zip64 EOCD record.
        if (offset == 0xFFFF_FFFF || size == 0xFFFF_FFFF), eocd >= 20, Self.u32(tail, eocd - 20) == 0x0706_4B50 {
            let z64 = Int64(Self.u64(tail, eocd - 12))
            let rec = file.read(at: z64, count: 56)
            guard rec.count == 56, Self.u32(rec, 0) == 0x0606_4B50 else { return }
            size = Int64(Self.u64(rec, 40)); offset = Int64(Self.u64(rec, 48))
        }
        guard size > 0, size < 512 << 20, offset + size <= file.size else { return }
        let cd = file.read(at: offset, count: Int(size))
        var i = 0
        while i + 46 <= cd.count, Self.u32(cd, i) == 0x0201_4B50 {
            var compressed = Int64(Self.u32(cd, i + 20)), uncompressed = Int64(Self.u32(cd, i + 24))
            let nameLength = Int(Self.u16(cd, i + 28)), extraLength = Int(Self.u16(cd, i + 30)), commentLength = Int(Self.u16(cd, i + 32))
            guard i + 46 + nameLength + extraLength <= cd.count else { break }
            let name = NameDecoding.decode(Array(cd[(i + 46)..<(i + 46 + nameLength)]))
            var e = i + 46 + nameLength
            let end = e + extraLength
            while e + 4 <= end {
                let id = Self.u16(cd, e), len = Int(Self.u16(cd, e + 2))
                if id == 1 {
                    var p = e + 4
                    if uncompressed == 0xFFFF_FFFF, p + 8 <= e + 4 + len { uncompressed = Int64(Self.u64(cd, p)); p += 8 }
                    if compressed == 0xFFFF_FFFF, p + 8 <= e + 4 + len { compressed = Int64(Self.u64(cd, p)) }
                }
                e += 4 + len
            }
            if compressed != 0xFFFF_FFFF && uncompressed != 0xFFFF_FFFF { sizes[name] = Sizes(compressed: compressed, uncompressed: uncompressed) }
            i = end + commentLength
        }
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32 }
}

extension ZipDirectory {
    private init() {}
    static let empty = ZipDirectory()
}
