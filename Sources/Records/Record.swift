/// One flat row: named text fields (absent = null), the split it belongs to, and where it came from.
public struct Record: Equatable, Sendable {
    public var fields: Fields
    /// `train`, `valid`, `test`, ... or nil before a split is assigned.
    public var split: String?
    /// The archive (or file) the record was read from, relative to the data root.
    public var archive: String
    /// The entry inside the archive (nested archives joined with `!`), or "" for a plain file.
    public var entry: String
    /// For an augmented row: the id of the row it was made from.
    public var origin: String?

    public init(fields: Fields, split: String? = nil, archive: String = "", entry: String = "", origin: String? = nil) {
        self.fields = fields
        self.split = split
        self.archive = archive
        self.entry = entry
        self.origin = origin
    }

    /// Metadata columns written after the record's own fields.
    public static let metaColumns = ["_split", "_archive", "_entry", "_origin"]

    public static let metaCount = metaColumns.count

    public func meta(_ column: String) -> String? {
        Self.metaColumns.firstIndex(of: column).flatMap(meta(at:))
    }

    /// The value of `metaColumns[index]`.
    public func meta(at index: Int) -> String? {
        switch index {
        case 0: return split
        case 1: return archive.isEmpty ? nil : archive
        case 2: return entry.isEmpty ? nil : entry
        case 3: return origin
        default: return nil
        }
    }
}
