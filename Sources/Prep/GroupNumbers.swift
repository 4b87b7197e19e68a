/// Numbers texts in the order they are first seen, texts equal as `String`s (canonically
/// equivalent) taking one number: the groups of `sample`'s draw.
///
/// A text whose canonical decomposition is ASCII is looked up by those bytes in a table of its own,
/// hashed eight bytes at a time (`ByteKey.wordHash`): an ASCII text is its own decomposition, and
/// the only other scalars that decompose to ASCII are U+037E, U+1FEF and U+212A (to `;`, a grave
/// accent and `K`). Any other text has a scalar that no ASCII text decomposes to, and goes through
/// a `[String: Int]`. Numbering 44,000 ids (`"\u{1F}" + id`, a row's own group) through the
/// dictionary alone hashed each with a seeded SipHash after checking its normalisation: most of the
/// draw, on the main thread while the other core waited.
struct GroupNumbers {
    private(set) var count = 0
    /// Open table over the byte keys: the entry plus one in each slot (0: empty).
    private var slots = [Int](repeating: 0, count: 16)
    /// Per byte key: its hash, where its bytes end in `bytes`, its number.
    private var hashes: [UInt64] = []
    private var ends: [Int] = []
    private var numbers: [Int] = []
    private var bytes: [UInt8] = []
    private var others: [String: Int] = [:]

    /// The number of `text`: the next one when no equal text was numbered before.
    mutating func number(_ text: String) -> Int {
        let found = text.withUTF8Bytes { b -> Int? in
            if b.allSatisfy({ $0 < 0x80 }) { return number(bytes: b) }
            guard let ascii = Self.asciiDecomposition(text) else { return nil }
            return ascii.withUnsafeBufferPointer { number(bytes: $0) }
        }
        if let found { return found }
        if let n = others[text] { return n }
        others[text] = count
        count += 1
        return count - 1
    }

    /// The text's canonical decomposition when it is ASCII, else nil.
    private static func asciiDecomposition(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        for u in text.unicodeScalars {
            switch u.value {
            case ..<0x80: out.append(UInt8(u.value))
            case 0x037E: out.append(UInt8(ascii: ";"))
            case 0x1FEF: out.append(UInt8(ascii: "`"))
            case 0x212A: out.append(UInt8(ascii: "K"))
            default: return nil
            }
        }
        return out
    }

    private mutating func number(bytes key: UnsafeBufferPointer<UInt8>) -> Int {
        let h = ByteKey.wordHash(UnsafeRawBufferPointer(key))
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s] != 0 {
            let e = slots[s] - 1
            if hashes[e] == h, same(e, key) { return numbers[e] }
            s = (s + 1) & mask
        }
        let e = hashes.count
        hashes.append(h)
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        numbers.append(count)
        count += 1
        slots[s] = e + 1
        if 2 * hashes.count > slots.count { grow() }
        return count - 1
    }

    private func same(_ e: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = e == 0 ? 0 : ends[e - 1]
        guard ends[e] - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            key.indices.allSatisfy { all[start + $0] == key[$0] }
        }
    }

    private mutating func grow() {
        slots = [Int](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for e in hashes.indices {
            var s = Int(truncatingIfNeeded: hashes[e]) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = e + 1
        }
    }
}
