import JSON
#if canImport(Glibc)
import Glibc
#endif

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
    /// The ASCII words' bytes, end to end, and where each ends; the other words.
    private let asciiBytes: [UInt8]
    private let asciiEnds: [Int]
    private let otherWords: [String]

    public init(_ words: Set<String>) {
        self.words = words
        maxScalars = words.isEmpty ? -1 : 4 * (words.map { $0.unicodeScalars.count }.max() ?? 0)
        let ascii = words.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.sorted()
        asciiBytes = ascii.flatMap { Array($0.utf8) }
        asciiEnds = ascii.reduce(into: []) { $0.append(($0.last ?? 0) + $1.utf8.count) }
        otherWords = words.subtracting(ascii).sorted()
    }

    public static func == (a: NullWords, b: NullWords) -> Bool { a.words == b.words }

    /// Whether `text` equals one of the words.
    public func contains(_ text: String) -> Bool {
        // A scalar is at most 4 UTF-8 bytes: the byte count bounds the scalar count from below.
        let bytes = text.utf8.count
        if bytes > 4 * maxScalars { return false }
        if bytes > maxScalars, Self.scalars(text) > maxScalars { return false }
        // An ASCII text is canonically equivalent to an ASCII word only when their bytes are equal
        // (ids, codes and labels: a `String` compare per word was most of this check). A word
        // that is not ASCII may still be equivalent to it (U+212A KELVIN SIGN to "K"), so those
        // are compared as strings, as is any text that is not ASCII.
        let ascii = text.withUTF8Bytes { text -> Bool? in
            guard text.allSatisfy({ $0 < 0x80 }) else { return nil }
            return asciiBytes.withUnsafeBufferPointer { words in
                var start = 0
                for end in asciiEnds {
                    if end - start == text.count, text.count == 0 || memcmp(words.baseAddress! + start, text.baseAddress!, text.count) == 0 { return true }
                    start = end
                }
                return false
            }
        }
        if let ascii {
            if ascii { return true }
            return otherWords.contains { $0 == text }
        }
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
