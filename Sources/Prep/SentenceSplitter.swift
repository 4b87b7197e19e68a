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
    /// run); white space is `FastText.whitespaceLength`'s. The sentences are slices of `text`:
    /// augment cuts every training row at once, and a copy of each sentence was as large as the
    /// texts themselves.
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
                while i < n {
                    let w = FastText.whitespaceLength(bytes, i)
                    if w == 0 { break }
                    i += w
                }
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
}
