extension Walk {
    /// Reads a top-level zip that `DirectZip` vouches for without libarchive: the same checks, in the
    /// same order, as `read(stream:...)` makes on each entry (names, encryption, size and ratio limits),
    /// then hands each selected member to `body` still compressed.
    mutating func read(direct zip: DirectZip, file: ConcatenatedFile, directory: ZipDirectory, parts: [String], matched: Bool,
                       scanner: ArchiveScanner, _ body: (PendingEntry) throws -> Void) throws {
        if matched { matchedAny = true }
        let limits = scanner.limits
        for (k, member) in zip.members.enumerated() where member.isRegular {
            let name = member.entry.name
            if Self.isUnsafe(name) {
                throw ArchiveError.unsafeEntryName(archive: top, entry: name)
            }
            guard matched, scanner.selects(entry: name) else { continue }
            try refuseUnreadable(encrypted: member.localFlags & 0x41 != 0, member.entry, name: name)
            let r = member.sizes
            if r.uncompressed > limits.maxEntryBytes {
                throw ArchiveError.entryTooLarge(archive: top, entry: name, size: r.uncompressed, limit: limits.maxEntryBytes)
            }
            if r.uncompressed > limits.ratioFloorBytes, r.uncompressed / max(1, r.compressed) > Int64(limits.maxRatio) {
                throw ArchiveError.compressionRatioTooHigh(archive: top, entry: name, ratio: Int(r.uncompressed / max(1, r.compressed)), limit: limits.maxRatio)
            }
            let count = Int(r.compressed)
            var compressed = [UInt8](unsafeUninitializedCapacity: count) { _, n in n = count }
            let got = DirectZip.read(file, into: &compressed, count: count, at: directory.start + member.dataOffset, ahead: zip.dataAhead[k])
            let content: PendingEntry.Content = got == count
                ? .member(compressed: compressed, method: member.entry.method, crc: member.entry.crc, parts: parts)
                : .unread(parts: parts)
            try body(PendingEntry(archive: top, entry: name, size: Int(r.uncompressed), content: content))
        }
    }
}
