import Foundation
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

    /// The sentences of `text`, without the spaces between them.
    /// - throws: `KiwiError` when Kiwi's model is missing or an analysis fails.
    func split(_ text: String) throws -> [String] {
        switch method {
        case .punctuation: return Self.punctuation(text)
        case .kiwi:
            if kiwi == nil { kiwi = try Kiwi() }
            return try kiwi!.sentences(text).map(String.init)
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

    nonisolated(unsafe) static let sentenceEnd = try! NSRegularExpression(pattern: "(?<=[.!?。])\\s+")

    /// Splits text into sentences after `.`, `!`, `?` or `。` followed by space.
    static func punctuation(_ text: String) -> [String] {
        let ns = text as NSString
        var parts: [String] = []
        var start = 0
        for m in sentenceEnd.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            parts.append(ns.substring(with: NSRange(location: start, length: m.range.location - start)))
            start = m.range.location + m.range.length
        }
        parts.append(ns.substring(from: start))
        return parts.filter { !$0.isEmpty }
    }
}
