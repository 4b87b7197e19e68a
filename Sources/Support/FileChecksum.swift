import CXXHash

/// The checksum the store keeps of every file a run writes (`Artifact.digest`): XXH3's 128-bit hash
/// (xxHash, Debian libxxhash-dev), written `xxh3:` and 32 hex digits, the canonical (big-endian)
/// form `xxh128sum` prints.
///
///     var c = FileChecksum(); c.update(buffer: bytes); c.text   // "xxh3:a1b2..."
///     try FileChecksum.matches(file: path, recorded: artifact.digest)
///
/// It says whether a file is still the one a run wrote (a later run, or a hand, may replace it),
/// which a non-cryptographic hash of 128 bits does as well as SHA-256 does, at many times the
/// speed: SHA-256 (with the CPU's SHA extensions) was 6% of all the work of `prep run` on the
/// bench's 50,000 documents, about 120 MB of outputs hashed. Digests recorded by earlier versions
/// (64 hex digits, SHA-256) are still checked as SHA-256. Names of models and adapters, which
/// users compare with `sha256sum`, stay SHA-256 (`SHA256`).
public final class FileChecksum {
    private let state: OpaquePointer

    /// What a checksum's text starts with.
    public static let prefix = "xxh3:"

    public init() {
        guard let state = XXH3_createState() else { fatalError("FileChecksum: out of memory") }
        self.state = state
        XXH3_128bits_reset(state)
    }

    deinit { XXH3_freeState(state) }

    public func update(buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        XXH3_128bits_update(state, base, buffer.count)
    }

    public func update(buffer: [UInt8]) { buffer.withUnsafeBytes { update(buffer: $0) } }

    public func update(_ text: String) {
        var text = text
        text.withUTF8 { update(buffer: UnsafeRawBufferPointer($0)) }
    }

    /// `xxh3:` and the hash of everything so far in 32 hex digits; updating may go on after it.
    public var text: String {
        var canonical = XXH128_canonical_t()
        XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state))
        let hex = Array("0123456789abcdef".utf8)
        var out = Array(Self.prefix.utf8)
        withUnsafeBytes(of: canonical.digest) { bytes in
            for b in bytes { out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The checksum of a file's contents, read in 1 MiB blocks (constant memory).
    public static func of(file path: String) throws -> String {
        let c = FileChecksum()
        try FileSystem.readBlocks(path) { c.update(buffer: $0) }
        return c.text
    }

    /// The checksum of a text's UTF-8.
    public static func of(_ text: String) -> String {
        let c = FileChecksum()
        c.update(text)
        return c.text
    }

    /// Whether the file at `path` has the contents whose digest is `recorded`: a checksum of this
    /// type, or a SHA-256 in 64 hex digits as earlier versions recorded.
    public static func matches(file path: String, recorded: String) throws -> Bool {
        recorded.hasPrefix(prefix) ? try of(file: path) == recorded : try SHA256.hex(file: path) == recorded
    }
}

@available(*, unavailable)
extension FileChecksum: Sendable {}
