import CByteScan
import HarnessSpec
import Korean

/// Cuts text into sentences as a spec asks (`SentenceSplitting`). With Kiwi, one analyser is loaded
/// on first use (a few seconds) and used by the thread that owns the splitter (Kiwi's handles are
/// not shared between threads).
///
///     let splitter = SentenceSplitter(.kiwi)
///     try splitter.split("정부는 발표했다 시장은 반응했다")   // ["정부는 발표했다", "시장은 반응했다"]
final class SentenceSplitter {
    let method: SentenceSplitting
    private var kiwi: Kiwi?

    init(_ method: SentenceSplitting) { self.method = method }

    /// The sentences of `text`, without the spaces between them: slices of `text`, none copied.
    /// - throws: `KiwiError` when Kiwi's model is missing or an analysis fails.
    func split(_ text: String) throws -> [Substring] {
        switch method {
        case .punctuation: return Self.punctuation(text)
        case .kiwi:
            if kiwi == nil { kiwi = try Kiwi() }
            return try kiwi!.sentences(text)
        }
    }

    /// What outputs made with this splitting depend on beyond the spec, for stage cache keys:
    /// Kiwi's version and model. - throws: `KiwiError.modelNotInstalled` (before any row is read).
    static func identity(_ method: SentenceSplitting) throws -> String {
        switch method {
        case .punctuation: return "sentences: punctuation"
        case .kiwi: return "sentences: " + (try Kiwi.identity())
        }
    }

    /// Splits text into sentences after `.`, `!`, `?` or `。` followed by white space (the run of
    /// white space is dropped): the regex `(?<=[.!?。])\s+`, with ICU's `\s` (Unicode White_Space),
    /// scanned once over the UTF-8 bytes, sixteen at a time up to the next `.`, `!`, `?` or the lead
    /// byte of `。` (by scalars, with the White_Space property of each, this was 2% of a clickbait
    /// run). The sentences are slices of `text`: augment cuts every training row at once, and a copy
    /// of each sentence was as large as the texts themselves.
    static func punctuation(_ text: String) -> [Substring] {
        var cuts: [Range<Int>] = []
        var copy = text
        let (count, rest) = copy.withUTF8 { bytes -> (Int, Int) in
            let n = bytes.count
            var start = 0, i = 0
            while i < n {
                i += harness_scan_sentence_end(bytes.baseAddress! + i, n - i)
                guard i < n else { break }
                var end = i + 1
                if bytes[i] == 0xE3 {
                    guard i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0x82 else { i += 1; continue }
                    end = i + 3
                }
                i = end
                while i < n, let w = whiteSpace(bytes, at: i) { i += w }
                guard i > end else { continue }
                if start < end { cuts.append(start..<end) }
                start = i
            }
            return (n, start)
        }
        // By scalars, not `text[a..<b]`: a String subscript rounds to whole characters, and a cut may
        // fall inside one (a space before a combining mark). The offsets are scalar boundaries.
        let utf8 = text.utf8, scalars = text.unicodeScalars
        func at(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        var parts = cuts.map { Substring(scalars[at($0.lowerBound)..<at($0.upperBound)]) }
        if rest < count { parts.append(Substring(scalars[at(rest)...])) }
        return parts
    }

    /// The length in bytes of the White_Space scalar at `i`, nil when the scalar there is not one:
    /// U+0009-000D, U+0020, U+0085, U+00A0, U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F and
    /// U+3000 (the property's whole list, which Unicode keeps stable).
    private static func whiteSpace(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = b.count
        switch b[i] {
        case 0x09...0x0D, 0x20: return 1
        case 0xC2: return i + 1 < n && (b[i + 1] == 0x85 || b[i + 1] == 0xA0) ? 2 : nil
        case 0xE1: return i + 2 < n && b[i + 1] == 0x9A && b[i + 2] == 0x80 ? 3 : nil
        case 0xE2:
            guard i + 2 < n else { return nil }
            if b[i + 1] == 0x80 {
                switch b[i + 2] {
                case 0x80...0x8A, 0xA8, 0xA9, 0xAF: return 3
                default: return nil
                }
            }
            return b[i + 1] == 0x81 && b[i + 2] == 0x9F ? 3 : nil
        case 0xE3: return i + 2 < n && b[i + 1] == 0x80 && b[i + 2] == 0x80 ? 3 : nil
        default: return nil
        }
    }

}
