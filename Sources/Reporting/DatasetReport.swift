import Records
import Store
import Support

/// `prep report`: what each stage did to the classes, text lengths per class, and the most frequent
/// words per class, for one prep run, as one self-contained HTML page.
public struct DatasetReport {
    public struct StageCounts {
        public let stage: String
        public let counts: [String: Int]
        public let total: Int
    }

    public let run: RunInfo
    public let field: String
    public let textField: String
    public let stages: [StageCounts]
    /// Per split, per class: text lengths in characters.
    public let lengths: [String: [String: [Int]]]
    /// Per split, per class: text lengths in morphemes (empty when the word counter has no analyser).
    public let morphemes: [String: [String: [Int]]]
    /// Per class: (word, count), most frequent first.
    public let words: [String: [(String, Int)]]
    /// How the words were cut, e.g. "lemmas of NNG, NNP (Kiwi 0.24.1)".
    public let wordsBy: String
    /// The removal ledger, refine rules, clusters, sampling groups and leakage audit.
    let trust: DataTrust
    /// Token lengths under a model's tokenizer, when one was given.
    let tokens: TokenLengths?

    /// A model's tokenizer for the token-length section: its file name and a counting function.
    public struct TokenCounter {
        public let model: String
        public let maxSeqLength: Int?
        public let count: (String) -> Int
        public init(model: String, maxSeqLength: Int?, count: @escaping (String) -> Int) {
            self.model = model
            self.maxSeqLength = maxSeqLength
            self.count = count
        }
    }

    /// Reads the run's stage outputs. - throws: `StoreError`, `IOError`, `ReportError`, and what
    /// `wordCounter` throws. `by`/`text` nil: the first of the usual class and text fields that the
    /// records have.
    public init(store: RunStore, run id: Int, by requestedField: String?, text requestedText: String?, topWords: Int = 15,
                tokens counter: TokenCounter? = nil, words wordCounter: WordCounter = .spaces) throws {
        run = try store.run(id)
        guard run.kind == .prep else { throw ReportError.notPrepRun(run: run.name, kind: run.kind) }
        let stageList = try store.stages(run: id)
        try Self.checkOutputs(of: run, stages: stageList, store: store)
        let known = Self.fieldsOf(stageList)
        field = requestedField ?? ["type", "label", "category"].first(where: known.contains) ?? "label"
        textField = requestedText ?? ["title", "body", "text", "conversation"].first(where: known.contains) ?? "title"
        let field = self.field, textField = self.textField
        var stages: [StageCounts] = []
        var finalRecords: [Record] = []
        var seenFields = Set<String>()
        for s in stageList {
            let files = Self.dataFiles(of: s)
            var counts: [String: Int] = [:]
            var total = 0
            var records: [Record] = []
            for f in files where FileSystem.exists(f.path) {
                let reader = try LineReader(path: f.path)
                while let line = try reader.next() {
                    if line.isEmpty { continue }
                    var r = try RecordCoding.record(fromJSONLine: line[...])
                    // A row without `_split` is in the split its file was written for.
                    if r.split == nil { r.split = f.split }
                    if seenFields.count < 64 { seenFields.formUnion(r.fields.keys) }
                    counts[r.fields[field] ?? "(null)", default: 0] += 1
                    total += 1
                    if s.name == "write" { records.append(r) }
                }
            }
            if files.isEmpty {
                // A stage that ran in memory: its class counts are in its details.
                if case let .object(m)? = s.details["class_counts"]?[field] {
                    for (value, n) in m { counts[value] = Int(n.scalarText ?? "") ?? 0 }
                }
                total = s.rowsOut
            }
            stages.append(StageCounts(stage: s.name, counts: counts, total: total))
            if s.name == "write" { finalRecords = records }
        }
        for (f, option) in [(field, "--by"), (textField, "--text")] where !seenFields.contains(f) {
            throw ReportError.unknownField(f, option: option, run: run.name, known: seenFields.sorted())
        }
        self.stages = stages
        trust = DataTrust(stages: stageList, textField: textField)
        let corpusPath = stageList.last(where: { $0.name == "write" })?.artifacts.first { $0.path.hasSuffix("/corpus.txt") }?.path
        let storedMax = run.settings["max_seq_length"]?.scalarText.flatMap(Int.init)
        if let c = counter {
            tokens = TokenLengths(records: finalRecords, classField: field, textField: textField, model: c.model,
                                  maxSeqLength: c.maxSeqLength ?? storedMax, corpusPath: corpusPath, count: c.count)
        } else {
            tokens = nil
        }
        let measured = try Self.measure(finalRecords, classField: field, textField: textField, counter: wordCounter, topWords: topWords)
        (lengths, morphemes, words) = (measured.lengths, measured.morphemes, measured.words)
        wordsBy = wordCounter.description
    }

    /// Lengths in characters (and morphemes) per split and class of every record, and the most
    /// frequent words per class of the original records (augmented copies excluded). Each distinct
    /// text is analysed once. - throws: what `counter` throws.
    public static func measure(_ records: [Record], classField: String, textField: String, counter: WordCounter, topWords: Int)
        throws -> (lengths: [String: [String: [Int]]], morphemes: [String: [String: [Int]]], words: [String: [(String, Int)]]) {
        var lengths: [String: [String: [Int]]] = [:], morphemes: [String: [String: [Int]]] = [:]
        var wordCounts: [String: [String: Int]] = [:]
        var analysed: [String: WordCounter.Analysis] = [:]
        for r in records {
            let cls = r.fields[classField] ?? "(null)", split = r.split ?? "-"
            let text = r.fields[textField] ?? ""
            let a = try analysed[text] ?? counter.analyse(text)
            analysed[text] = a
            lengths[split, default: [:]][cls, default: []].append(text.count)
            if let m = a.morphemes { morphemes[split, default: [:]][cls, default: []].append(m) }
            if r.origin == nil {
                for w in a.words { wordCounts[cls, default: [:]][w, default: 0] += 1 }
            }
        }
        return (lengths, morphemes, wordCounts.mapValues { WordCounter.top($0, topWords) })
    }

    /// A report reads the run's own files: each one must still have the digest the run recorded.
    /// - throws: `ReportError.outputsReplaced` naming the run that replaced a file, or `.outputsMissing`.
    public static func checkOutputs(of run: RunInfo, stages: [StageRecord], store: RunStore) throws {
        for a in stages.flatMap(\.artifacts) where a.path.hasSuffix(".jsonl") {
            guard FileSystem.exists(a.path) else { throw ReportError.outputsMissing(run: run.name, path: a.path) }
            if FileSystem.size(a.path) == a.bytes, (try? FileChecksum.matches(file: a.path, recorded: a.digest)) == true { continue }
            let by = try store.replacement(of: a.path, digest: a.digest, after: run.id)
            throw ReportError.outputsReplaced(run: run.name, path: a.path, by: by?.name, spec: by?.specPath)
        }
    }

    /// The JSONL files holding a stage's rows: the write stage's split files as it recorded them
    /// (guessed from their names for runs recorded before store migration 4, see
    /// `StageRecord.splitFiles`), and for the other stages their output (`records.jsonl`,
    /// `stages/03-sample.jsonl`), not their side files.
    static func dataFiles(of stage: StageRecord) -> [Artifact] {
        if stage.name == "write" { return stage.splitFiles.filter { $0.path.hasSuffix(".jsonl") } }
        return stage.artifacts.filter { $0.path.hasSuffix(".jsonl") && !$0.isSideFile && $0.path.split(separator: "/").last!.split(separator: ".").count == 2 }
    }

    /// The field names in the first lines of a run's stage outputs.
    static func fieldsOf(_ stages: [StageRecord]) -> Set<String> {
        var names = Set<String>()
        for s in stages {
            for a in s.artifacts where a.path.hasSuffix(".jsonl") && !a.isSideFile && FileSystem.exists(a.path) {
                if let reader = try? LineReader(path: a.path), let line = try? reader.next(), let r = try? RecordCoding.record(fromJSONLine: line[...]) {
                    names.formUnion(r.fields.keys)
                }
            }
        }
        return names
    }

    /// Words of a text: split on spaces and punctuation, 2+ characters, common particles kept (Korean
    /// has no reliable stop list without a morphological analyser).
    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace || ($0.isPunctuation && $0 != "'") || $0.isSymbol })
            .map(String.init).filter { $0.count >= 2 && !$0.allSatisfy(\.isNumber) }
    }

    public func html() -> String {
        var b: Markup = "<h1>\(run.specName ?? "prep") · \(run.name) · data</h1>"
            + "<p class=\"muted\">\(run.startedAt), by <code>\(field)</code>, lengths of <code>\(textField)</code></p>"
        let classes = Set(stages.flatMap { $0.counts.keys }).sorted()
        b += "<h2>Rows per \(field) after each stage</h2>"
        b += Markup.table(header: ["stage"] + Markup.cells(classes) + ["total"], rows: stages.map { s in
            Markup.cells([s.stage] + classes.map { String(s.counts[$0] ?? 0) }) + ["<b>\(s.total)</b>"]
        })
        b += trust.html()
        if let tokens { b += tokens.html() }
        let inMorphemes = !morphemes.isEmpty
        b += "<h2>Length of \(textField) (characters\(inMorphemes ? ", and morphemes" : ""))</h2>"
        for split in lengths.keys.sorted() {
            b += "<h3>\(split)</h3>"
            let extra: [Markup] = inMorphemes ? ["morphemes median", "morphemes max"] : []
            b += Markup.table(header: ["class", "n", "min", "p25", "median", "p75", "max", "distribution"] + extra, rows: lengths[split]!.keys.sorted().map { cls in
                let v = lengths[split]![cls]!.sorted()
                func q(_ v: [Int], _ p: Double) -> String { v.isEmpty ? "" : String(v[min(v.count - 1, Int(Double(v.count - 1) * p))]) }
                let m = morphemes[split]?[cls]?.sorted() ?? []
                return Markup.cells([cls, String(v.count), q(v, 0), q(v, 0.25), q(v, 0.5), q(v, 0.75), q(v, 1)]) + [Self.sparkline(v)]
                    + Markup.cells(inMorphemes ? [q(m, 0.5), q(m, 1)] : [])
            })
        }
        b += "<h2>Most frequent words per \(field)</h2><p class=\"muted\">\(wordsBy); original rows only (augmented copies excluded).</p>"
        let cards = words.keys.sorted().map { cls -> Markup in
            let list = words[cls]!.map { w -> Markup in "\(w.0) <span class=\"muted\">\(w.1)</span>" }.joined(separator: "<br>")
            return "<div class=\"card\"><b>\(cls)</b>\(list)</div>"
        }
        b += "<div class=\"cards\">\(cards.joined())</div>"
        return HTML.page(title: "\(run.name) data", body: b)
    }

    /// A tiny inline SVG histogram of lengths (12 bins).
    static func sparkline(_ sorted: [Int]) -> Markup {
        guard let lo = sorted.first, let hi = sorted.last, hi > lo else { return "" }
        var bins = Array(repeating: 0, count: 12)
        for v in sorted { bins[min(11, (v - lo) * 12 / (hi - lo + 1))] += 1 }
        let top = Double(bins.max() ?? 1)
        var s: Markup = "<svg width=\"96\" height=\"22\" viewBox=\"0 0 96 22\" style=\"border:none;background:none\">"
        for (i, c) in bins.enumerated() {
            let h = Double(c) / top * 20
            s += "<rect x=\"\(i * 8)\" y=\"\(Format.number(21 - h, digits: 1))\" width=\"7\" height=\"\(Format.number(h, digits: 1))\" fill=\"#2454c5\"/>"
        }
        return s + "</svg>"
    }
}
