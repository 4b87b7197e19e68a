/// Limits that protect against zip bombs and runaway entries (spec: `source.limits`).
public struct ArchiveLimits: Equatable, Sendable {
    /// Largest uncompressed entry accepted, in bytes.
    public var maxEntryBytes: Int64
    /// Largest accepted ratio of uncompressed to compressed bytes, for entries over `ratioFloorBytes`.
    public var maxRatio: Int
    /// Entries smaller than this are never ratio-checked (tiny files compress oddly).
    public var ratioFloorBytes: Int64
    /// Largest zip inside another archive that is read: a nested zip is copied to a temporary file
    /// (not held in memory) so that it is read from its central directory, like a top-level zip.
    public var maxNestedZipBytes: Int64

    public init(maxEntryBytes: Int64 = 256 << 20, maxRatio: Int = 200, ratioFloorBytes: Int64 = 1 << 20, maxNestedZipBytes: Int64 = 64 << 30) {
        self.maxEntryBytes = maxEntryBytes
        self.maxRatio = maxRatio
        self.ratioFloorBytes = ratioFloorBytes
        self.maxNestedZipBytes = maxNestedZipBytes
    }
}
