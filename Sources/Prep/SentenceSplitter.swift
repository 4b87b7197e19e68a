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
    /// scanned once over the scalars. The sentences are slices of `text`: augment cuts every
    /// training row at once, and a copy of each sentence was as large as the texts themselves.
    static func punctuation(_ text: String) -> [Substring] {
        let scalars = text.unicodeScalars
        var parts: [Substring] = []
        var start = scalars.startIndex
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let c = scalars[i]
            scalars.formIndex(after: &i)
            guard c == "." || c == "!" || c == "?" || c == "\u{3002}", i < scalars.endIndex, scalars[i].properties.isWhitespace else { continue }
            let end = i
            while i < scalars.endIndex, scalars[i].properties.isWhitespace { scalars.formIndex(after: &i) }
            // By scalars, not `text[start..<end]`: a String subscript rounds to whole characters, and a
            // cut may fall inside one (a space before a combining mark).
            if start < end { parts.append(Substring(scalars[start..<end])) }
            start = i
        }
        if start < scalars.endIndex { parts.append(Substring(scalars[start...])) }
        return parts
    }
}
