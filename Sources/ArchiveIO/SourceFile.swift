import Support

/// One logical input file under the data folder: a plain file, or a zip split into byte-offset parts.
public struct SourceFile: Equatable, Sendable {
    /// The logical path relative to the data folder (`.../X.zip` for `X.zip.part0`, ...), NFC.
    public let path: String
    /// The real files, in order; one for an unsplit file.
    public let parts: [String]
    public let size: Int64

    /// Groups the files under `root` into logical source files, joining split parts in numeric order
    /// of their byte-offset suffix and checking that no part is missing.
    /// - throws: `ArchiveError.missingDataDirectory`, `ArchiveError.missingPart`.
    public static func discover(root: String) throws -> [SourceFile] {
        guard FileSystem.isDirectory(root) else { throw ArchiveError.missingDataDirectory(root) }
        var plain: [SourceFile] = []
        var split: [String: [(offset: Int64, file: String)]] = [:]
        for rel in FileSystem.walk(root) {
            let name = NameDecoding.nfc(rel)
            if let range = name.range(of: ".part", options: .backwards),
               let offset = Int64(name[range.upperBound...]), !name[range.upperBound...].isEmpty {
                split[String(name[..<range.lowerBound]), default: []].append((offset, rel))
            } else {
                plain.append(SourceFile(path: name, parts: [root + "/" + rel], size: FileSystem.size(root + "/" + rel) ?? 0))
            }
        }
        for (logical, pieces) in split {
            let sorted = pieces.sorted { $0.offset < $1.offset }
            var expected: Int64 = 0
            var files: [String] = []
            for piece in sorted {
                let base = String(logical.split(separator: "/").last ?? "")
                guard piece.offset == expected else {
                    throw ArchiveError.missingPart(archive: logical, expectedPart: "\(base).part\(expected)",
                                                   have: sorted.map { "\(base).part\($0.offset)" })
                }
                let full = root + "/" + piece.file
                files.append(full)
                expected += FileSystem.size(full) ?? 0
            }
            plain.append(SourceFile(path: logical, parts: files, size: expected))
        }
        return plain.sorted { $0.path < $1.path }
    }
}
