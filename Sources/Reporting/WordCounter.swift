/// How the data report cuts a text into the words it counts, and optionally measures it in
/// morphemes. `.spaces` needs nothing; `prep report` builds the lemma counter from Kiwi.
///
/// ```swift
/// let lemmas = WordCounter(description: "lemmas of NNG, NNP (Kiwi 0.24.1)") { text in
///     let (keys, morphemes) = try kiwi.wordKeys(text, tags: Kiwi.nounTags)   // ["정부/NNG", ...]
///     return .init(words: keys, morphemes: morphemes)
/// }
/// ```
public struct WordCounter {
    /// The words of one text, and its length in morphemes when the counter knows it.
    public struct Analysis: Equatable {
        public var words: [String]
        public var morphemes: Int?
        public init(words: [String], morphemes: Int?) {
            self.words = words
            self.morphemes = morphemes
        }
    }

    /// Shown in the report under "Most frequent words", e.g. "words split on spaces and punctuation".
    public let description: String
    public let analyse: (String) throws -> Analysis

    public init(description: String, analyse: @escaping (String) throws -> Analysis) {
        self.description = description
        self.analyse = analyse
    }

    /// Words split on spaces and punctuation (2+ characters, not only digits): a particle stays
    /// glued to its noun (정부는, 정부가 and 정부를 are three words).
    public static var spaces: WordCounter {
        WordCounter(description: "words split on spaces and punctuation (particles stay attached)") {
            Analysis(words: DatasetReport.words($0), morphemes: nil)
        }
    }

    static func top(_ counts: [String: Int], _ n: Int) -> [(String, Int)] {
        Array(counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(n)).map { ($0.key, $0.value) }
    }
}
