/// Character n-gram shingles of a text, hashed to 64 bits with a seed. The text is first normalised
/// like `drop`'s duplicate key (NFC, lower case, whitespace runs as one space, trimmed), so case and
/// spacing never make two copies of an article look different. Korean needs no tokenizer here: a
/// Hangul syllable is one code point, and 5 code points are a word or two.
struct Shingles {
    let n: Int
    let seed: UInt64

    /// The sorted, unique shingle hashes of `text`; empty for an empty text. A text shorter than `n`
    /// code points is one shingle.
    func hashes(_ text: String) -> [UInt64] {
        let key = FastText.duplicateKey(text)
        guard !key.isEmpty else { return [] }
        var scalars: [UInt32] = []
        scalars.reserveCapacity(key.utf8.count)
        for u in key.unicodeScalars { scalars.append(u.value) }
        let width = min(n, scalars.count)
        var out: [UInt64] = []
        out.reserveCapacity(scalars.count - width + 1)
        let start = Self.mix(seed ^ 0x9E37_79B9_7F4A_7C15)
        for i in 0...(scalars.count - width) {
            var h = start
            for k in i..<(i + width) { h = (h ^ UInt64(scalars[k])) &* 0x0000_0100_0000_01B3 }
            out.append(Self.mix(h))
        }
        out.sort()
        var unique = 0
        for v in out where unique == 0 || out[unique - 1] != v {
            out[unique] = v
            unique += 1
        }
        out.removeLast(out.count - unique)
        return out
    }

    /// The text of several fields as one: values joined with a separator no text contains.
    static func text(of fields: [String?]) -> String {
        fields.map { $0 ?? "" }.joined(separator: "\u{1F}")
    }

    /// SplitMix64's finaliser: a fast, well-mixed 64-bit permutation.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Exact Jaccard similarity of two sorted, unique hash sets.
    static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        var i = 0, j = 0, common = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { common += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(common) / Double(a.count + b.count - common)
    }
}
