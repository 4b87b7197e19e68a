/// How a stage or an output cuts text into sentences (`sentences:` in augment,
/// `split_sentences:` in `outputs.corpus`).
public enum SentenceSplitting: String, CaseIterable, Equatable, Sendable {
    /// After `.`, `!`, `?` or `。` followed by a space: fast, and enough for edited news text.
    case punctuation
    /// Kiwi, the Korean morphological analyser: also on sentence endings without a full stop
    /// (발표했다 그러나 ...), and not inside numbers or abbreviations. About 0.1 MB/s per core here.
    case kiwi

    /// The choices a spec may write.
    public static var names: [String] { allCases.map(\.rawValue) }
}
