/// One selected entry and its bytes.
public struct ArchiveEntry: Sendable {
    /// The top-level source file, relative to the data folder (`Training/02.라벨링데이터/TL_x.zip`).
    public let archive: String
    /// The path inside it; nested archives are joined with `!` (`TL_x.zip!EC_M01_000001_L.json`).
    /// Empty for a plain file.
    public let entry: String
    public let data: [UInt8]

    /// `archive` and `entry` together, for messages.
    public var location: String { entry.isEmpty ? archive : archive + "!" + entry }
}
