import ArgumentParser
import CommandSupport
import Korean
import Reporting
import Scoring
import Store
import Support

extension PrepCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "HTML page of a prep run's data: rows per class after each stage, removed rows, clusters, leakage audit, lengths, frequent words.",
            discussion: """
            With --model, also the token lengths of the final rows under that model's own tokenizer (only
            its vocabulary is loaded), per split and class, and the rows longer than the training context
            (`max_seq_length` in the spec, or --max-seq-length).

            Frequent words are counted by lemma and part of speech with Kiwi, the Korean morphological
            analyser that `make setup` installs (정부는, 정부가 and 정부를 all count as 정부/NNG), and the
            lengths are also given in morphemes; --pos picks the parts of speech (verbs and adjectives
            count as their lemma with 다). --words space counts words split on spaces instead (the
            default when Kiwi's model is not installed).

            Examples:
              bin/prep report latest
              bin/prep report run-3 --by label --text body
              bin/prep report latest --pos NNG,NNP,VV,VA --top 30
              bin/prep report latest --words space
              bin/prep report latest --model models/SmolLM2-135M-Instruct.Q4_1.gguf --max-seq-length 1024
            """)

        @Argument(help: ArgumentHelp("The prep run, e.g. run-1.", valueName: "run"))
        var runName: String

        @Option(help: "The class field to count by (default: type, label or category, whichever the records have).")
        var by: String?

        @Option(help: "The text field whose length and words are shown (default: title, body, text or conversation).")
        var text: String?

        @Option(help: "How frequent words are cut: lemma (Kiwi; the default when its model is installed) or space.")
        var words: WordMode?

        @Option(help: ArgumentHelp("The parts of speech whose lemmas are counted, comma-separated: \(WordMode.tags.joined(separator: ", ")).",
                                   valueName: "tags"))
        var pos: String = "NNG,NNP"

        @Option(help: "How many frequent words to show per class.")
        var top: Int = 15

        @Option(help: ArgumentHelp("A GGUF model whose tokenizer measures the rows in tokens.", valueName: "FILE.gguf"))
        var model: String?

        @Option(help: "The training context in tokens (default: the spec's max_seq_length); longer rows are flagged. Needs --model.")
        var maxSeqLength: Int?

        @Option(help: ArgumentHelp("Where to write the page (default reports/<run>-data.html).", valueName: "FILE"))
        var out: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if maxSeqLength != nil, model == nil { throw ValidationError("--max-seq-length needs --model (the tokenizer that counts)") }
            if let n = maxSeqLength, n <= 0 { throw ValidationError("--max-seq-length must be a positive number of tokens") }
            if top <= 0 { throw ValidationError("--top must be a positive number of words") }
            if words == .space, pos != "NNG,NNP" { throw ValidationError("--pos needs --words lemma (words split on spaces have no part of speech)") }
            _ = try WordMode.parseTags(pos)
        }

        /// The word counter the options ask for; without --words, lemmas when Kiwi's model is
        /// installed, else words split on spaces (announced on stderr).
        func wordCounter() throws -> WordCounter {
            switch words ?? (Kiwi.isModelInstalled ? .lemma : .space) {
            case .space:
                if words == nil { Terminal.error("note: Kiwi's model is not installed (run `make setup`); counting words split on spaces\n") }
                return .spaces
            case .lemma:
                let tags = try WordMode.parseTags(pos)
                let kiwi = try Kiwi()
                let ordered = WordMode.tags.filter(tags.contains).joined(separator: ", ")
                return WordCounter(description: "Lemmas of \(ordered) by Kiwi \(Kiwi.version) (verbs and adjectives with 다)") { text in
                    let (keys, morphemes) = try kiwi.wordKeys(text, tags: tags)
                    return .init(words: keys, morphemes: morphemes)
                }
            }
        }

        func run() throws {
            try store.run { store in
                let counter = try model.map { path in
                    let t = try Tokenizer(modelPath: path)
                    return DatasetReport.TokenCounter(model: path.split(separator: "/").last.map(String.init) ?? path, maxSeqLength: maxSeqLength, count: t.count)
                }
                let report = try DatasetReport(store: store, run: try store.resolve(runName, kinds: [.prep], finished: true), by: by, text: text,
                                               topWords: top, tokens: counter, words: try wordCounter())
                let path = out ?? "reports/\(report.run.name)-data.html"
                try AtomicFile.write(report.html(), to: path)
                print("wrote \(path)")
            }
        }
    }
}

/// `prep report --words`: how frequent words are cut.
enum WordMode: String, ExpressibleByArgument, CaseIterable {
    case lemma, space

    /// The parts of speech --pos accepts (Sejong tags, as Kiwi gives them).
    static let tags = ["NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "MAG", "XR", "SL", "SH"]

    /// "NNG,NNP" -> ["NNG", "NNP"]. - throws: `ValidationError` naming an unknown tag and the closest one.
    static func parseTags(_ list: String) throws -> Set<String> {
        let given = list.split(separator: ",").map { String($0.filter { !$0.isWhitespace }).uppercased() }.filter { !$0.isEmpty }
        if given.isEmpty { throw ValidationError("--pos needs at least one part of speech, e.g. NNG,NNP") }
        for t in given where !tags.contains(t) {
            let hint = Suggestions.closest(to: t, among: tags).map { "did you mean '\($0)'? " } ?? ""
            throw ValidationError("--pos: unknown part of speech '\(t)'; \(hint)known: \(tags.joined(separator: ", "))")
        }
        return Set(given)
    }
}
