import HarnessSpec

/// `source.sentences: kiwi` of an html source: the body, read a paragraph per line
/// (`LineBreaks.paragraphs`: a `<br>` in the middle of a sentence does not end a line), is re-cut
/// into one sentence per line. Paragraphs stay hard breaks: a heading or caption without an ending
/// is its own line rather than the start of the next sentence.
///
///     let cut = PageSentences(.kiwi)
///     try cut.lines(of: "정부는 새 정책을 발표했다. 시장은 반응했다\n협력의 배경은")
///     // "정부는 새 정책을 발표했다.\n시장은 반응했다\n협력의 배경은"
///
/// One per ingest, used on the scanner thread only (Kiwi's handles stay on one thread).
final class PageSentences {
    let field = SourceSpec.sentenceField
    private let splitter: SentenceSplitter

    init(_ method: SentenceSplitting) { splitter = SentenceSplitter(method) }

    /// `values` with `field` re-cut. - throws: `KiwiError` when the model is missing or an analysis fails.
    func cut(_ values: inout [String: String]) throws {
        if let text = values[field] { values[field] = try lines(of: text) }
    }

    /// One sentence per line, each paragraph (line) of `text` cut on its own.
    /// - throws: `KiwiError` when the model is missing or an analysis fails.
    func lines(of text: String) throws -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n") {
            let sentences = try splitter.split(String(paragraph))
                .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
                .filter { !$0.isEmpty }
            // A paragraph whose sentences would not hold all of its characters is kept whole.
            if Self.visible(sentences.joined()) == Self.visible(paragraph) {
                lines += sentences
            } else {
                lines.append(String(paragraph))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `s` without its whitespace.
    private static func visible(_ s: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars where !u.properties.isWhitespace { out.append(u) }
        return String(out)
    }
}

@available(*, unavailable)
extension PageSentences: Sendable {}
