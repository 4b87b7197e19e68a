/// Tests on eight bytes at once (SWAR): whether any byte of a little-endian word is below a bound
/// or equal to one of a few values. Writers skip plain runs of text eight bytes at a time with it.
///
///     ByteScan.any(word, below: 0x20, or: 0x22, 0x5C, 0xE2)   // a control, quote, backslash or 0xE2?
///
/// The answers are exact (no byte is reported that is not there); which byte it is, the caller
/// finds by looking at the eight bytes one by one.
public enum ByteScan {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether some byte of `word` is zero.
    @inlinable @inline(__always)
    public static func anyZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }

    /// Whether some byte of `word` equals `byte`.
    @inlinable @inline(__always)
    public static func any(_ word: UInt64, equal byte: UInt8) -> Bool { anyZero(word ^ (ones &* UInt64(byte))) }

    /// Whether some byte of `word` is below `bound` (at most 128), or equals one of three bytes.
    @inlinable @inline(__always)
    public static func any(_ word: UInt64, below bound: UInt8, or a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        let below = (word &- ones &* UInt64(bound)) & ~word & highs
        return below != 0 || any(word, equal: a) || any(word, equal: b) || any(word, equal: c)
    }

    /// Whether some byte of `word` equals one of four bytes.
    @inlinable @inline(__always)
    public static func any(_ word: UInt64, equal a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Bool {
        any(word, equal: a) || any(word, equal: b) || any(word, equal: c) || any(word, equal: d)
    }
}
