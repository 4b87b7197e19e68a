import CNettle

/// SHA-256 (FIPS 180-4), for artifact digests and cache keys, computed by Nettle (which uses the
/// CPU's SHA instructions where there are any: about ten times the speed of portable code). Nettle
/// rather than OpenSSL: libarchive loads it anyway, and OpenSSL's first digest initialises its
/// providers, which costs 2 MB of memory in every run.
///
///     var h = SHA256(); h.update(Array("abc".utf8)); h.hexDigest()  // "ba7816bf..."
///
/// A value type: the context is a plain C struct, so a copy goes on from the same state independently.
public struct SHA256: Sendable {
    private var context = sha256_ctx()

    public init() { nettle_sha256_init(&context) }

    public mutating func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: UnsafeRawBufferPointer($0)) }
        if handled != nil { return }
        update(buffer: Array(bytes))
    }

    public mutating func update(buffer: [UInt8]) {
        buffer.withUnsafeBytes { update(buffer: $0) }
    }

    public mutating func update(buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        nettle_sha256_update(&context, buffer.count, base.assumingMemoryBound(to: UInt8.self))
    }

    public mutating func update(_ text: String) {
        var t = text
        t.withUTF8 { update(buffer: UnsafeRawBufferPointer($0)) }
    }

    /// The digest so far, as 64 lowercase hex digits; the value can go on being updated.
    public func hexDigest() -> String {
        var done = context  // sha256_digest resets the context it finishes
        var digest = [UInt8](repeating: 0, count: 32)
        nettle_sha256_digest(&done, 32, &digest)
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest { out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The digest of a whole byte sequence or text.
    public static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String { var h = SHA256(); h.update(bytes); return h.hexDigest() }
    public static func hex(_ text: String) -> String { hex(text.utf8) }

    /// The digest of a file's contents, read in 1 MiB blocks (constant memory).
    public static func hex(file path: String) throws -> String {
        var h = SHA256()
        try FileSystem.readBlocks(path) { h.update(buffer: $0) }
        return h.hexDigest()
    }
}
