import Foundation

extension Prediction {
    /// The field that keeps a generated answer (`mode: generate`) with its prediction in the store.
    public static let answerField = "_answer"

    /// What a generated answer that names no label is predicted as.
    public static let other = "(other)"

    /// What the model generated, before it was mapped to `predicted`; nil for choice scoring.
    public var answer: String? {
        get { fields[Self.answerField] }
        set { fields[Self.answerField] = newValue }
    }

    /// Maps a generated answer to a label (`mode: generate`), or `"(other)"` when it names none.
    ///
    /// Each label is looked for by its verbalisation (`texts`, the spec's `verbalize:` text, trimmed)
    /// and by its name. Answer and needles are compared after NFKC normalisation (so NFD Hangul and
    /// full-width letters or spaces match) with runs of whitespace read as one space; case matters.
    /// - A match must start the answer or follow a character that is not a letter or digit, so that
    ///   `비정상 기사` ("abnormal article") is not read as `정상 기사`, nor `abnormal` as `normal`.
    /// - After a verbalisation anything may follow: Korean endings and particles attach to it
    ///   (`낚시성 기사입니다`, `정상 기사예요.`). A label *name* must also end at a non-letter,
    ///   non-digit character or a Hangul one (`normal`, `normal.`, `normal입니다`, not `normality`).
    /// - When the answer names several labels, the one named first wins (leftmost match), as a
    ///   greedy answer puts its verdict first (`낚시성 기사입니다. 정상 기사가 아닙니다.`).
    /// - Of matches starting at the same place the longest wins, so a verbalisation that extends
    ///   another (`정상` and `정상 아님`) is found whole; a tie after that goes to the earlier label.
    public static func label(forAnswer answer: String, labels: [String], texts: [String]) -> String {
        let a = normalized(answer)
        var best: (label: String, start: String.Index, length: Int)?
        for (i, label) in labels.enumerated() {
            let text = i < texts.count ? texts[i] : ""
            for (needle, isName) in [(normalized(text), false), (normalized(label), true)] where !needle.isEmpty {
                guard let start = firstMatch(of: needle, in: a, wholeWord: isName) else { continue }
                let length = needle.count
                if let b = best, b.start < start || (b.start == start && b.length >= length) { continue }
                best = (label, start, length)
            }
        }
        return best?.label ?? other
    }

    /// NFKC, trimmed, whitespace runs as one space.
    static func normalized(_ s: String) -> String {
        let n = s.precomposedStringWithCompatibilityMapping
        return n.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Where `needle` first occurs in `text` starting at a word boundary (and, for `wholeWord`, ending at one);
    /// a needle that starts (ends) with a symbol needs no boundary there.
    private static func firstMatch(of needle: String, in text: String, wholeWord: Bool) -> String.Index? {
        var from = text.startIndex
        let checkStart = needle.first.map(isWordCharacter) ?? false
        let checkEnd = wholeWord && (needle.last.map(isWordCharacter) ?? false)
        while from < text.endIndex, let r = text.range(of: needle, options: [], range: from..<text.endIndex) {
            let startsWord = !checkStart || r.lowerBound == text.startIndex || !isWordCharacter(text[text.index(before: r.lowerBound)])
            let endsWord = !checkEnd || r.upperBound == text.endIndex || !isWordCharacter(text[r.upperBound]) || isHangul(text[r.upperBound])
            if startsWord && endsWord { return r.lowerBound }
            from = text.index(after: r.lowerBound)
        }
        return nil
    }

    private static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    private static func isHangul(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0xAC00...0xD7A3).contains(v) || (0x1100...0x11FF).contains(v) || (0x3130...0x318F).contains(v)
    }
}
