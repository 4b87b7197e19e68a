import Foundation

/// The cheap text rules of `refine` and the duplicate key of `drop`, on UTF-8 bytes. Each returns
/// its input unchanged (no copy) when there is nothing to do, which is the common case, and gives
/// exactly what the Foundation/Unicode-general versions give (tests compare the two).
enum FastText {
    /// `\"` -> `"` and `\'` -> `'`.
    static func unescapeQuotes(_ text: String) -> String {
        guard has(text, 0x5C) else { return text }
        return rewrite(text) { bytes, out in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x5C, i + 1 < bytes.count, bytes[i + 1] == 0x22 || bytes[i + 1] == 0x27 {
                    out.append(bytes[i + 1]); i += 2
                } else {
                    out.append(b); i += 1
                }
            }
        }
    }

    /// CR LF, LF and CR each become one space.
    static func newlinesToSpaces(_ text: String) -> String {
        guard has(text, 0x0A) || has(text, 0x0D) else { return text }
        return rewrite(text) { bytes, out in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x0D {
                    out.append(0x20); i += (i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1
                } else if b == 0x0A {
                    out.append(0x20); i += 1
                } else {
                    out.append(b); i += 1
                }
            }
        }
    }

    /// The byte length of a space-class character at `i` (space, tab, U+00A0, U+3000), or 0.
    @inline(__always)
    private static func spaceLength(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        switch bytes[i] {
        case 0x20, 0x09: return 1
        case 0xC2: return i + 1 < bytes.count && bytes[i + 1] == 0xA0 ? 2 : 0
        case 0xE3: return i + 2 < bytes.count && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// Runs of two or more of space, tab, U+00A0 and U+3000 become one space (a single one stays as it is).
    static func collapseSpaces(_ text: String) -> String {
        // Scalar by scalar (a string's bytes are valid UTF-8: a lead byte gives the length), so that
        // Korean text is walked three bytes at a step; most texts have no run at all.
        let needed = text.withUTF8Bytes { bytes -> Bool in
            let n = bytes.count
            var i = 0, run = 0
            while i < n {
                let b = bytes[i]
                let space: Bool, length: Int
                switch b {
                case ..<0x80: space = b == 0x20 || b == 0x09; length = 1
                case ..<0xE0: space = b == 0xC2 && bytes[i + 1] == 0xA0; length = 2
                case ..<0xF0: space = b == 0xE3 && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80; length = 3
                default: space = false; length = 4
                }
                if space { run += 1; if run >= 2 { return true } } else { run = 0 }
                i += length
            }
            return false
        }
        guard needed else { return text }
        return rewrite(text) { bytes, out in
            var i = 0
            while i < bytes.count {
                let n = spaceLength(bytes, i)
                if n == 0 { out.append(bytes[i]); i += 1; continue }
                var j = i + n, count = 1
                while j < bytes.count { let m = spaceLength(bytes, j); if m == 0 { break }; j += m; count += 1 }
                if count >= 2 { out.append(0x20) } else { out.append(contentsOf: bytes[i..<j]) }
                i = j
            }
        }
    }

    /// Whether a scalar is in Foundation's `whitespacesAndNewlines` (Unicode Zs, Zl, Zp, tab, U+000A-000D, U+0085).
    @inline(__always)
    static func isWhitespaceOrNewline(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// The byte length of the scalar at `i` of well-formed UTF-8 `bytes` when it is white space
    /// (`isWhitespaceOrNewline`, which is Unicode's White_Space and ICU's `\s`), or 0.
    static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let lead = bytes[i]
        if lead < 0x80 { return isWhitespaceOrNewline(Unicode.Scalar(lead)) ? 1 : 0 }
        let n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard i + n <= bytes.count else { return 0 }
        var value = UInt32(lead) & (0x7F >> n)
        for k in 1..<n { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return Unicode.Scalar(value).map(isWhitespaceOrNewline) == true ? n : 0
    }

    /// Whether the UTF-8 of `text` holds `byte` (memchr, not a walk through `String.UTF8View`).
    @inline(__always)
    static func has(_ text: String, _ byte: UInt8) -> Bool {
        return text.withUTF8Bytes { $0.count > 0 && memchr($0.baseAddress!, Int32(byte), $0.count) != nil }
    }

    /// Leading and trailing whitespace and newlines removed.
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        // Most texts neither start nor end with a space: two scalars answer that.
        if let first = scalars.first, let last = scalars.last, !isWhitespaceOrNewline(first), !isWhitespaceOrNewline(last) { return text }
        var start = scalars.startIndex, end = scalars.endIndex
        while start != end, isWhitespaceOrNewline(scalars[start]) { start = scalars.index(after: start) }
        while end != start {
            let before = scalars.index(before: end)
            if !isWhitespaceOrNewline(scalars[before]) { break }
            end = before
        }
        if start == scalars.startIndex && end == scalars.endIndex { return text }
        return String(scalars[start..<end])
    }

    /// Builds a new string from the bytes of `text`.
    private static func rewrite(_ text: String, _ body: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Void) -> String {
        return text.withUTF8Bytes { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            body(bytes, &out)
            return String(decoding: out, as: UTF8.self)
        }
    }
}

extension FastText {
    /// Whether two strings have the same UTF-8 bytes (no Unicode normalisation: a rule that only
    /// recomposes characters has still changed the text).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        return a.withUTF8Bytes { x in b.withUTF8Bytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    /// The duplicate key of `drop`: NFC, lower case, whitespace runs as one space, trimmed. Text made
    /// only of ASCII and of caseless, composition-stable scripts (Hangul syllables and compatibility
    /// jamo, CJK ideographs, CJK and general punctuation) is keyed on its bytes; anything else takes
    /// the general Unicode path.
    static func duplicateKey(_ text: String) -> String {
        var key: [UInt8] = []
        appendDuplicateKey(text, to: &key)
        return String(decoding: key, as: UTF8.self)
    }

    /// `duplicateKey(text)` as UTF-8 bytes appended to `key`, without making a string on the fast
    /// path (the key only goes into a hash).
    static func appendDuplicateKey(_ text: String, to key: inout [UInt8]) {
        let mark = key.count
        let done = text.withUTF8Bytes { bytes -> Bool in
            // The key is never longer than the text: written through a pointer into room made for
            // it (appending byte by byte checked the capacity for every byte).
            var ok = true
            key.append(contentsOf: repeatElement(0, count: bytes.count))
            let written = key.withUnsafeMutableBufferPointer { buffer -> Int in
                let out = buffer.baseAddress! + mark
                var n = 0
                var pendingSpace = false
                var i = 0
                while i < bytes.count {
                    let b = bytes[i]
                    if b < 0x80 {
                        if (0x09...0x0D).contains(b) || b == 0x20 { pendingSpace = n > 0; i += 1; continue }
                        if pendingSpace { out[n] = 0x20; n += 1; pendingSpace = false }
                        out[n] = (0x41...0x5A).contains(b) ? b + 0x20 : b
                        n += 1
                        i += 1
                        continue
                    }
                    // A three-byte sequence (U+0800-U+FFFF); anything longer or shorter takes the slow path.
                    guard b & 0xF0 == 0xE0, i + 2 < bytes.count else { ok = false; return 0 }
                    let u = UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                    if u == 0x3000 { pendingSpace = n > 0; i += 3; continue }
                    switch u {
                    case 0x2010...0x2027, 0x2030...0x205E, 0x3001...0x3029, 0x3030...0x303F, 0x3130...0x318F, 0x4E00...0x9FFF, 0xAC00...0xD7A3: break
                    default: ok = false; return 0
                    }
                    if pendingSpace { out[n] = 0x20; n += 1; pendingSpace = false }
                    out[n] = b
                    out[n + 1] = bytes[i + 1]
                    out[n + 2] = bytes[i + 2]
                    n += 3
                    i += 3
                }
                return n
            }
            // What was not written (the whitespace dropped; all of it on the slow path) goes again.
            key.removeSubrange((mark + written)...)
            return ok
        }
        if done { return }
        key += text.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ").utf8
    }
}
