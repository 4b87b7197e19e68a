/// A text used as a dictionary key by its UTF-8 bytes: hashed once (in parallel, where keys are made)
/// and compared with `memcmp`. `String` keys hash through Unicode normalisation on every lookup,
/// which made the duplicate check of `drop` the slowest part of the stage. Keys made by
/// `FastText.duplicateKey` are already normalised, so byte equality is the right equality.
struct ByteKey: Hashable, Sendable {
    let text: String
    private let hash: Int

    init(_ text: String) {
        self.text = text
        hash = text.withUTF8Bytes { bytes in
            var h = Hasher()
            h.combine(bytes: UnsafeRawBufferPointer(bytes))
            return h.finalize()
        }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (a: ByteKey, b: ByteKey) -> Bool { a.hash == b.hash && FastText.sameBytes(a.text, b.text) }
}

extension ByteKey {
    /// A quick unseeded hash of `bytes`, eight at a time (multiply and rotate), where SipHash would
    /// cost as much as the work around it: the second half of `drop`'s key digest, and the class
    /// tallies' table slots. Equal bytes give equal hashes; callers check the bytes themselves.
    static func wordHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h = (h << 31) | (h >> 33)
            i += 8
        }
        var tail: UInt64 = 0
        for k in i..<bytes.count { tail |= UInt64(bytes[k]) << UInt64((k - i) * 8) }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}
