import CCrypto

/// SHA-256 (FIPS 180-4), for artifact digests and cache keys, computed by OpenSSL's libcrypto (which
/// uses the CPU's SHA instructions where there are any: about ten times the speed of portable code).
///
///     var h = SHA256(); h.update(Array("abc".utf8)); h.hexDigest()  // "ba7816bf..."
///
/// A value type: a copy goes on from the same state independently (copy on write).
public struct SHA256: @unchecked Sendable {
    private final class Context {
        let ctx: OpaquePointer
        init() { ctx = ccrypto_sha256_new() }
        init(copying other: Context) {
            ctx = EVP_MD_CTX_new()
            EVP_MD_CTX_copy_ex(ctx, other.ctx)
        }
        deinit { EVP_MD_CTX_free(ctx) }
    }

    private var context = Context()

    public init() {}

    private mutating func unique() -> OpaquePointer {
        if !isKnownUniquelyReferenced(&context) { context = Context(copying: context) }
        return context.ctx
    }

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
        EVP_DigestUpdate(unique(), base, buffer.count)
    }

    public mutating func update(_ text: String) {
        var t = text
        t.withUTF8 { update(buffer: UnsafeRawBufferPointer($0)) }
    }

    /// The digest so far, as 64 lowercase hex digits; the value can go on being updated.
    public func hexDigest() -> String {
        let done = Context(copying: context)
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(done.ctx, &digest, &length)
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
