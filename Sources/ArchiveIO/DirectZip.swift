/// A top-level zip whose members can be read straight from its central directory and local headers,
/// without libarchive, so that the compressed bytes go to whichever thread inflates them.
///
/// Only a plain zip qualifies: a complete central directory, local headers that agree with it (same
/// name and flags, known sizes, extra fields that change nothing), stored or deflated regular files and
/// folders, nothing that a read would recurse into. Anything else (symlinks, other methods, unusual
/// extra fields, damage) returns nil and the zip goes to libarchive as before, which names the problem;
/// a member that then fails to inflate or check is read again through libarchive
/// (`ArchiveScanner.reread`), so errors and their messages stay libarchive's.
struct DirectZip {
    struct Member {
        let entry: ZipDirectory.Entry
        /// Where the member's (compressed) data starts, from the start of the zip.
        let dataOffset: Int64
        let sizes: ZipDirectory.Sizes
        /// The local header's flags (libarchive takes encryption from them).
        let localFlags: UInt16
        /// Regular file (else a folder, skipped as libarchive's entries of other types are).
        let isRegular: Bool
    }

    /// In the order libarchive's seekable reader gives them: by local header offset.
    let members: [Member]
    /// For each member, how many bytes from the start of its data to read at once (`readAhead`).
    let dataAhead: [Int]

    /// - parameter recursesInto: whether the scan would open a member of that name as a nested archive.
    init?(_ file: ConcatenatedFile, directory: ZipDirectory, recursesInto: (String) -> Bool) {
        guard directory.isValid, directory.isComplete, directory.entries.count == directory.locals.count else { return nil }
        let length = directory.end - directory.start
        var members: [Member] = []
        members.reserveCapacity(directory.locals.count)
        var previous: Int64 = -1
        var header = [UInt8](repeating: 0, count: 30 + 512)
        let headerAhead = Self.readAhead(directory.locals.map { (directory.start + $0.0, directory.start + $0.0 + Int64(30 + $0.1.rawName.count + 512)) })
        for (k, (offset, entry)) in directory.locals.enumerated() {
            guard offset > previous, let sizes = directory.sizes[entry.name],
                  let type = Self.fileType(entry), !entry.hasUnicodePath, !entry.rawName.contains(0x5C) else { return nil }
            previous = offset
            if entry.flags & 0x800 != 0, String(validating: entry.rawName, as: UTF8.self) == nil { return nil }
            let isRegular = type == 0o100000
            if isRegular {
                if recursesInto(entry.name) { return nil }
                // libarchive stops at an entry whose metadata is encrypted too (flags 0x2041).
                if entry.flags & 0x2041 == 0x2041 { return nil }
                let refused = entry.isEncrypted || entry.isDeflate64
                if !refused, entry.method != 0, entry.method != 8 { return nil }
            }
            // The local header, name and extra fields.
            let want = 30 + entry.rawName.count + 512
            if header.count < want { header = [UInt8](repeating: 0, count: want) }
            let got = Self.read(file, into: &header, count: want, at: directory.start + offset, ahead: headerAhead[k])
            guard got >= 30, ZipDirectory.u32(header, 0) == 0x0403_4B50 else { return nil }
            let localFlags = ZipDirectory.u16(header, 6), method = ZipDirectory.u16(header, 8)
            let nameLength = Int(ZipDirectory.u16(header, 26)), extraLength = Int(ZipDirectory.u16(header, 28))
            guard localFlags == entry.flags, method == entry.method, nameLength == entry.rawName.count,
                  30 + nameLength + extraLength <= got,
                  header[30..<(30 + nameLength)].elementsEqual(entry.rawName),
                  ZipDirectory.u32(header, 18) != 0xFFFF_FFFF, ZipDirectory.u32(header, 22) != 0xFFFF_FFFF,
                  Self.harmlessExtra(header[(30 + nameLength)..<(30 + nameLength + extraLength)]) else { return nil }
            let dataOffset = offset + Int64(30 + nameLength + extraLength)
            guard dataOffset + sizes.compressed <= length else { return nil }
            members.append(Member(entry: entry, dataOffset: dataOffset, sizes: sizes, localFlags: localFlags, isRegular: isRegular))
        }
        self.members = members
        dataAhead = Self.readAhead(members.map { (directory.start + $0.dataOffset, directory.start + $0.dataOffset + $0.sizes.compressed) })
    }

    /// For each span of bytes a reader wants, in order of offset: how many bytes from its start to
    /// read at once so that the spans after it come from the same read. A run of spans ends at the
    /// read-ahead window's size, and at a gap of more than `maxGap` bytes (a large member between two
    /// headers, or between two members' data, is not read for nothing).
    static func readAhead(_ spans: [(start: Int64, end: Int64)], maxGap: Int64 = 64 << 10) -> [Int] {
        var ahead = [Int](repeating: 0, count: spans.count)
        // The furthest span the current one reaches: it only moves forward as the start does.
        var j = 0
        for k in spans.indices {
            j = max(j, k)
            let limit = spans[k].start + Int64(ConcatenatedFile.windowSize)
            while j + 1 < spans.count, spans[j + 1].start - spans[j].end <= maxGap, spans[j + 1].end <= limit { j += 1 }
            ahead[k] = Int(min(limit, max(spans[j].end, spans[k].end)) - spans[k].start)
        }
        return ahead
    }

    /// The type libarchive gives the entry (0o100000 regular, 0o040000 folder), or nil for any other.
    private static func fileType(_ entry: ZipDirectory.Entry) -> UInt32? {
        var type: UInt32
        switch entry.madeBy >> 8 {
        case 3: type = (entry.external >> 16) & 0o170000
        case 0: type = entry.external & 0x10 != 0 ? 0o040000 : 0o100000
        default: type = 0
        }
        if type == 0o010000 { type = 0o100000 }  // a FIFO: libarchive's Info-ZIP workaround
        if entry.rawName.last == 0x2F { return 0o040000 }
        if type == 0 { type = 0o100000 }
        return type == 0o100000 || type == 0o040000 ? type : nil
    }

    /// Local extra fields that leave name, type and sizes as the central directory has them: zip64
    /// (read by libarchive only for sizes of 0xFFFFFFFF, refused above), timestamps, Unix ids, NTFS times.
    private static func harmlessExtra(_ extra: ArraySlice<UInt8>) -> Bool {
        var e = extra.startIndex
        while e + 4 <= extra.endIndex {
            let id = UInt16(extra[e]) | UInt16(extra[e + 1]) << 8, len = Int(UInt16(extra[e + 2]) | UInt16(extra[e + 3]) << 8)
            guard [0x0001, 0x5455, 0x7875, 0x7855, 0x000A].contains(id), e + 4 + len <= extra.endIndex else { return false }
            e += 4 + len
        }
        return e == extra.endIndex
    }

    /// Reads `count` bytes at `offset` into `buffer` (across split parts); returns how many were read.
    /// `ahead`: see `ConcatenatedFile.read(into:at:ahead:)`.
    static func read(_ file: ConcatenatedFile, into buffer: inout [UInt8], count: Int, at offset: Int64, ahead: Int = 0) -> Int {
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes {
                file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled..<count]), at: offset + Int64(filled), ahead: ahead - filled)
            }
            if n <= 0 { break }
            filled += n
        }
        return filled
    }
}
