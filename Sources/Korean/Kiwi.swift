import CKiwi
import Foundation

/// Kiwi, the Korean morphological analyser (built by `make setup` into .deps/kiwi, model in
/// .deps/kiwi/model): morphemes with their Sejong part-of-speech tags, lemmas, and sentences.
///
/// ```swift
/// let kiwi = try Kiwi()
/// try kiwi.tokenize("정부는 새 정책을 발표했다.").map { "\($0.form)/\($0.tag)" }
/// // 정부/NNG 는/JX 새/MM 정책/NNG 을/JKO 발표/NNG 하/XSV 었/EP 다/EF ./SF
/// try kiwi.sentences("첫 문장이다. 둘째 문장이다.")   // ["첫 문장이다.", "둘째 문장이다."]
/// ```
///
/// Loading the model takes a few seconds and about 200 MB: make one per thread and reuse it. Kiwi's
/// own analysis is `const` in C++ (its Python binding shares one instance among threads), but the
/// handle is kept to one thread here, like every C handle in this package.
public final class Kiwi {
    /// One morpheme. `form` is the lemma for verbs and adjectives without 다 (했다: 하/XSV 었/EP
    /// 다/EF); `start` and `length` are UTF-16 offsets into the analysed text (an `NSRange`);
    /// `sentence` counts the sentences of the text from 0.
    public struct Token: Equatable, Sendable {
        public let form: String
        public let tag: String
        public let start: Int
        public let length: Int
        public let sentence: Int

        public init(form: String, tag: String, start: Int, length: Int, sentence: Int) {
            (self.form, self.tag, self.start, self.length, self.sentence) = (form, tag, start, length, sentence)
        }
    }

    /// Common nouns and proper nouns: the default word classes of a frequency count.
    public static let nounTags: Set<String> = ["NNG", "NNP"]
    /// Verbs and adjectives, whose lemmas get 다 (내다보/VV -> 내다보다).
    public static let predicateTags: Set<String> = ["VV", "VA"]

    /// The folder the model was loaded from.
    public let modelPath: String
    private let handle: kiwi_h
    private let matchOptions = Int32(KIWI_MATCH_ALL_WITH_NORMALIZING)

    /// Loads Kiwi's model. `modelPath` nil: `Kiwi.installedModel()`.
    /// - throws: `KiwiError.modelNotInstalled` (run `make setup`), `.loadFailed`.
    public init(modelPath: String? = nil) throws {
        let path = try modelPath ?? Self.installedModel()
        guard let h = kiwi_init(path, 1, Int32(KIWI_BUILD_DEFAULT), 0) else {
            throw KiwiError.loadFailed(path: path, message: Self.lastError())
        }
        self.modelPath = path
        handle = h
    }

    deinit { kiwi_close(handle) }

    /// Kiwi's version, e.g. "0.24.1".
    public static var version: String { String(cString: kiwi_version()) }

    /// The morphemes of `text`, in order (the best analysis). - throws: `KiwiError.analysisFailed`.
    public func tokenize(_ text: String) throws -> [Token] {
        var units = Array(text.utf16) + [0]
        var option = kiwi_analyze_option_t()
        option.match_options = matchOptions
        option.dialect_cost = 3
        option.typo_threshold = 2.5
        guard let res = kiwi_analyze_w(handle, &units, 1, option, nil) else { throw KiwiError.analysisFailed(message: Self.lastError()) }
        defer { kiwi_res_close(res) }
        let n = kiwi_res_word_num(res, 0)
        var tokens: [Token] = []
        tokens.reserveCapacity(Int(max(n, 0)))
        for i in 0..<max(n, 0) {
            tokens.append(Token(form: String(cString: kiwi_res_form(res, 0, i)), tag: String(cString: kiwi_res_tag(res, 0, i)),
                                start: Int(kiwi_res_position(res, 0, i)), length: Int(kiwi_res_length(res, 0, i)),
                                sentence: Int(kiwi_res_sent_position(res, 0, i))))
        }
        return tokens
    }

    /// The lemmas of `text` whose tag (without Kiwi's -R/-I regular/irregular suffix) is in `tags`,
    /// in order, with their tag: nouns as they are, verbs and adjectives with 다.
    /// - throws: `KiwiError.analysisFailed`.
    public func lemmas(_ text: String, tags: Set<String> = Kiwi.nounTags) throws -> [(lemma: String, tag: String)] {
        try Self.lemmas(of: tokenize(text), tags: tags)
    }

    /// The lemmas of `text` whose tag is in `tags` as "lemma/TAG" keys for a frequency count
    /// (정부는, 정부가 and 정부를 all give "정부/NNG"), and the length of `text` in morphemes.
    /// - throws: `KiwiError.analysisFailed`.
    public func wordKeys(_ text: String, tags: Set<String> = Kiwi.nounTags) throws -> (keys: [String], morphemes: Int) {
        let tokens = try tokenize(text)
        return (Self.lemmas(of: tokens, tags: tags).map { "\($0.lemma)/\($0.tag)" }, tokens.count)
    }

    /// The common and proper nouns of `text`, in order. - throws: `KiwiError.analysisFailed`.
    public func nouns(_ text: String) throws -> [String] {
        try lemmas(text).map(\.lemma)
    }

    /// `lemmas(_:tags:)` over tokens already analysed.
    public static func lemmas(of tokens: [Token], tags: Set<String>) -> [(lemma: String, tag: String)] {
        tokens.compactMap { t in
            let tag = t.tag.split(separator: "-").first.map(String.init) ?? t.tag
            guard tags.contains(tag) else { return nil }
            return (predicateTags.contains(tag) ? t.form + "다" : t.form, tag)
        }
    }

    /// The sentences of `text`, as Kiwi splits them (on endings and punctuation, not only on full
    /// stops), without the spaces between them. - throws: `KiwiError.analysisFailed`.
    public func sentences(_ text: String) throws -> [Substring] {
        let units = Array(text.utf16)
        var terminated = units + [0]
        guard let ss = kiwi_split_into_sents_w(handle, &terminated, matchOptions, nil) else {
            throw KiwiError.analysisFailed(message: Self.lastError())
        }
        defer { kiwi_ss_close(ss) }
        let utf16 = text.utf16
        return (0..<kiwi_ss_size(ss)).compactMap { i in
            let begin = Int(kiwi_ss_begin_position(ss, i)), end = Int(kiwi_ss_end_position(ss, i))
            guard 0 <= begin, begin <= end, end <= units.count,
                  let lo = utf16.index(utf16.startIndex, offsetBy: begin).samePosition(in: text),
                  let hi = utf16.index(utf16.startIndex, offsetBy: end).samePosition(in: text) else { return nil }
            let s = text[lo..<hi]
            return s.allSatisfy(\.isWhitespace) ? nil : s
        }
    }

    private static func lastError() -> String {
        defer { kiwi_clear_error() }
        return kiwi_error().map { String(cString: $0) } ?? "unknown error"
    }
}

@available(*, unavailable)
extension Kiwi: Sendable {}
