import JSON

/// The spec's null words (`nulls: ["", "null", "None"]`), matched as `Set<String>.contains` matches
/// them (canonical equivalence) without hashing texts that cannot be one of them.
///
/// Hashing a `String` normalises it, which on Korean titles and bodies cost more than the rest of
/// their cleaning. Two texts are canonically equivalent when their full decompositions are equal;
/// a decomposition has at least as many scalars as the text, and at most 4 per scalar (the longest
/// canonical decomposition). So a text with more than 4 scalars per scalar of the longest word
/// is never a null word, and only shorter texts are hashed.
public struct NullWords: Sendable, Equatable {
    public let words: Set<String>
    /// The most scalars a text equivalent to one of the words can have (-1: no words).
    private let maxScalars: Int

    public init(_ words: Set<String>) {
        self.words = words
        maxScalars = words.isEmpty ? -1 : 4 * (words.map { $0.unicodeScalars.count }.max() ?? 0)
    }

    /// Whether `text` equals one of the words.
    public func contains(_ text: String) -> Bool {
        // A scalar is at most 4 UTF-8 bytes: the byte count bounds the scalar count from below.
        let bytes = text.utf8.count
        if bytes > 4 * maxScalars { return false }
        if bytes > maxScalars, Self.scalars(text) > maxScalars { return false }
        // A few words are compared one by one: hashing the text would normalise it first.
        if words.count <= 8 { return words.contains { $0 == text } }
        return words.contains(text)
    }

    /// How many scalars `text` has: its UTF-8 bytes that are not continuation bytes (counting
    /// through `unicodeScalars` was most of this check on titles).
    private static func scalars(_ text: String) -> Int {
        text.withUTF8Bytes { bytes in
            var n = 0
            for b in bytes where b & 0xC0 != 0x80 { n &+= 1 }
            return n
        }
    }
}
