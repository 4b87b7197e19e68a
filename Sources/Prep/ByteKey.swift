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
