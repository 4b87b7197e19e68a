/// What can go wrong while finding and reading archives. Every case names the file and entry.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
    /// The data folder does not exist.
    case missingDataDirectory(String)
    /// No file under the data folder matched the spec's archive patterns.
    case noArchiveMatched(root: String, patterns: [String], seen: [String])
    /// libarchive could not read the file or an entry (corrupt, truncated, unsupported).
    case corrupt(archive: String, entry: String?, reason: String)
    /// A split archive whose byte-offset parts do not line up.
    case missingPart(archive: String, expectedPart: String, have: [String])
    /// A file holding a text message (AI Hub's answer to an unapproved download) instead of an archive.
    case notAnArchive(archive: String, message: String)
    /// An entry whose name escapes the archive (`..` or an absolute path).
    case unsafeEntryName(archive: String, entry: String)
    /// An entry larger than the configured limit, or compressed beyond the ratio limit.
    case entryTooLarge(archive: String, entry: String, size: Int64, limit: Int64)
    case compressionRatioTooHigh(archive: String, entry: String, ratio: Int, limit: Int)
    /// An entry compressed with Deflate64 (zip method 9), which libarchive cannot read.
    case deflate64(archive: String, entry: String)
    /// An encrypted entry (ZipCrypto, AES or strong encryption): reading it needs a password.
    case encrypted(archive: String, entry: String)
    /// A zip inside another archive larger than `ArchiveLimits.maxNestedZipBytes`, the most copied
    /// to a temporary file to be read like a top-level zip.
    case nestedZipTooLarge(archive: String, entry: String, size: Int64, limit: Int64)
    /// A nested zip could not be copied to a temporary file (no space, no permission).
    case temporaryFile(archive: String, entry: String, reason: String)

    public var description: String {
        switch self {
        case let .missingDataDirectory(d):
            return "data folder '\(d)' does not exist; pass the folder that holds the downloaded archives with --data DIR"
        case let .noArchiveMatched(root, patterns, seen):
            var s = "no archive under '\(root)' matches \(patterns.map { "'\($0)'" }.joined(separator: ", "))"
            if seen.isEmpty { s += " (the folder is empty)" }
            else { s += "; files there include: " + seen.prefix(5).joined(separator: ", ") }
            return s
        case let .corrupt(archive, entry, reason):
            return "\(archive)\(entry.map { " (entry \($0))" } ?? ""): cannot read the archive: \(reason). The file is corrupt or truncated; download it again"
        case let .missingPart(archive, expected, have):
            return "\(archive): split archive is missing part '\(expected)' (found: \(have.joined(separator: ", "))); parts are named by byte offset and must follow each other"
        case let .notAnArchive(archive, message):
            return "\(archive): this is a text message, not an archive: \"\(message)\". AI Hub sends this when a download is not approved; request approval and download again"
        case let .unsafeEntryName(archive, entry):
            return "\(archive): entry '\(entry)' has an absolute path or '..'; refusing to read an archive that escapes its folder"
        case let .entryTooLarge(archive, entry, size, limit):
            return "\(archive): entry '\(entry)' is \(size) bytes, over the limit of \(limit) bytes (source.limits.max_entry_mb)"
        case let .compressionRatioTooHigh(archive, entry, ratio, limit):
            return "\(archive): entry '\(entry)' expands \(ratio)x, over the limit of \(limit)x (source.limits.max_ratio); this looks like a zip bomb"
        case let .deflate64(archive, entry):
            return "\(archive): entry '\(entry)' uses Deflate64, which is not supported; re-zip it with ordinary deflate (zip -r)"
        case let .encrypted(archive, entry):
            return "\(archive): entry '\(entry)' is encrypted; a password is required"
        case let .nestedZipTooLarge(archive, entry, size, limit):
            return "\(archive): nested zip '\(entry)' is at least \(size) bytes, more than the \(limit) bytes harness copies out to read a nested zip; "
                + "extract it and point source.root at the extracted zip"
        case let .temporaryFile(archive, entry, reason):
            return "\(archive): cannot copy nested zip '\(entry)' to a temporary file: \(reason); free some space there or set TMPDIR to a roomier folder"
        }
    }
}
