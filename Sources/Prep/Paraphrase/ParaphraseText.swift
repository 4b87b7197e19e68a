/// The paraphrase in a model's raw answer, and the reasons a paraphrase is not kept.
enum ParaphraseText {
    /// The first non-empty line, trimmed, without one pair of quotes around it (models like to
    /// answer `"새 제목"` or `「새 제목」`).
    ///
    ///     ParaphraseText.clean("\n  \"정부, 새 정책 발표\"\n설명: ...")   // "정부, 새 정책 발표"
    static func clean(_ raw: String) -> String {
        let line = raw.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .lazy.map { FastText.strip(String($0)) }.first { !$0.isEmpty } ?? ""
        for (open, close) in quotes {
            if line.count >= 2, line.hasPrefix(open), line.hasSuffix(close) {
                return FastText.strip(String(line.dropFirst().dropLast()))
            }
        }
        return line
    }

    static let quotes: [(String, String)] = [("\"", "\""), ("'", "'"), ("\u{201C}", "\u{201D}"), ("\u{2018}", "\u{2019}"),
                                             ("「", "」"), ("『", "』"), ("`", "`")]

    /// Why a paraphrase is dropped before any held-out comparison, if it is.
    enum Rejection: String, CaseIterable {
        case empty = "paraphrase empty"
        case identical = "paraphrase identical to its source"
        case repeated = "paraphrase repeats another copy of its row"
        case heldOutCopy = "paraphrase identical to a held-out row"
        case heldOutNear = "paraphrase near-duplicate of a held-out row"
    }

    /// The check against the source and the row's earlier copies (compared as `dedup` and `drop`
    /// compare: NFC, case-folded, spaces collapsed).
    static func rejection(_ text: String, source: String, earlier: Set<String>) -> Rejection? {
        let key = FastText.duplicateKey(text)
        if key.isEmpty { return .empty }
        if key == FastText.duplicateKey(source) { return .identical }
        if earlier.contains(key) { return .repeated }
        return nil
    }
}
