import Records
import Support

/// A parsed, validated spec: what to read, how to map it to records, which stages to run,
/// where to write, and how to evaluate.
public struct Spec: @unchecked Sendable {
    /// The spec file as given on the command line.
    public let file: String
    public let name: String
    /// `metadata.version`, copied into every run so results of different spec versions are not mixed up.
    public let version: Int
    public let source: SourceSpec
    public let fields: [FieldSpec]
    public let nulls: Set<String>
    public let stages: [StageSpec]
    public let outputs: OutputSpec
    /// The `eval:` section, parsed by the scorer.
    public let eval: SpecNode?
    /// The `outputs:` section, for errors located in it once the stages' columns are known.
    public let outputsNode: SpecNode?
    /// `max_seq_length`: the training context (tokens); the data report flags longer rows.
    public let maxSeqLength: Int?
    /// Canonical text of each top-level section, for cache keys and the run store.
    public let sections: [String: String]
    /// SHA-256 of the canonical spec.
    public let digest: String

    /// Field names in record order.
    public var fieldNames: [String] { fields.map(\.name) }

    /// SHA-256 of the sections that decide the prepared data (name, source, record, nulls, stages,
    /// outputs): two specs with the same prep digest prepare the same files, whatever their `eval:`.
    public var prepDigest: String {
        SHA256.hex(["name", "source", "record", "nulls", "stages", "outputs"].map { "\($0)=\(sections[$0] ?? "-")" }.joined(separator: "\n"))
    }
}

/// Where records come from.
public struct SourceSpec: Equatable, Sendable {
    public enum Kind: String, Sendable { case json, html }
    /// How a JSON source's files (or archive entries) hold records: one JSON document each (`json`),
    /// one document per line (`jsonl`), or a table with a header row (`csv`, `tsv`).
    public enum Format: String, Sendable, CaseIterable {
        case json, jsonl, csv, tsv
        /// Whether the format reads lines or rows (and so names records `<entry>:<line>`).
        public var isLineBased: Bool { self != .json }
        /// The field separator of a table, nil for JSON formats.
        public var delimiter: UInt8? {
            switch self {
            case .csv: return UInt8(ascii: ",")
            case .tsv: return UInt8(ascii: "\t")
            case .json, .jsonl: return nil
            }
        }
    }
    public var kind: Kind
    /// `source.format`; `json` unless the spec says otherwise (and always for `kind: html`).
    public var format: Format = .json
    /// `source.quoting: none` (csv/tsv): quotes are ordinary characters, a row is one line, as
    /// Python's `csv.QUOTE_NONE`. Otherwise fields may be quoted as RFC 4180 says.
    public var quoted = true
    /// The data folder (relative to the working directory); `prep run --data` overrides it.
    public var root: String
    /// Globs selecting archives (or plain files) under the root.
    public var archives: [String]
    /// Globs selecting entries inside the archives.
    public var entries: [String]
    /// `records: data[*]`: the array elements of each document that are its records, or nil when a
    /// document is one record (a top-level JSON array: one per element).
    public var records: RecordsPath?
    /// Path component (or name token) -> split name, in spec order.
    public var splitByPath: [(component: String, split: String)]
    /// The split of records whose path matches no `split_by_path` key.
    public var defaultSplit: String
    public var maxEntryMB: Int
    public var maxRatio: Int
    /// For `kind: html`: field name -> how it is found (XPaths, the first that matches wins, or
    /// `auto`), the fields a page must have, labels from folder names, and the page charset when a
    /// page does not declare one.
    public var pageFields: [(field: String, source: PageFieldSource)]
    public var required: [String]
    public var labelByPath: [(component: String, label: String)]
    public var fallbackCharset: String
    /// `sentences: kiwi` (`kind: html`): the `sentenceField`'s text is re-cut one sentence per line;
    /// nil (`sentences: lines`, the default) keeps the page's own lines.
    public var sentences: SentenceSplitting?
    /// The field `sentences` re-cuts: an article's text (`body: auto` or XPaths). Titles, dates and
    /// the like are one line whatever their punctuation, and are kept as the page has them.
    public static let sentenceField = "body"
    /// The charset of a jsonl/csv/tsv source's bytes (`source.charset`, default UTF-8), as iconv names it.
    public var charset: String { fallbackCharset }
    /// Whether `charset` names UTF-8 (no conversion needed): `UTF-8`, `utf8`, `UTF_8`, ...
    public var isUTF8: Bool {
        fallbackCharset.uppercased().filter { $0 != "-" && $0 != "_" } == "UTF8"
    }
    /// `on_bad_entry: skip`: count and skip entries with malformed JSON or failing field rules instead of stopping.
    public var skipBadEntries: Bool

    public static func == (a: SourceSpec, b: SourceSpec) -> Bool {
        a.kind == b.kind && a.format == b.format && a.quoted == b.quoted && a.root == b.root && a.archives == b.archives && a.entries == b.entries && a.records == b.records
            && a.splitByPath.map { "\($0.component)=\($0.split)" } == b.splitByPath.map { "\($0.component)=\($0.split)" }
            && a.defaultSplit == b.defaultSplit && a.maxEntryMB == b.maxEntryMB && a.maxRatio == b.maxRatio
            && a.pageFields.map(\.field) == b.pageFields.map(\.field) && a.pageFields.map(\.source) == b.pageFields.map(\.source)
            && a.required == b.required && a.labelByPath.map { "\($0.component)=\($0.label)" } == b.labelByPath.map { "\($0.component)=\($0.label)" }
            && a.fallbackCharset == b.fallbackCharset && a.skipBadEntries == b.skipBadEntries && a.sentences == b.sentences
    }

    /// The splits the source gives rows: every `split_by_path` value and the default split, in spec order.
    public var splitNames: [String] {
        var names: [String] = []
        for s in splitByPath.map(\.split) + [defaultSplit] where !names.contains(s) { names.append(s) }
        return names
    }

    /// The label of a page from its folder names (`label_by_path`), if any.
    public func label(archive: String, entry: String) -> String? {
        let components = (archive + "/" + entry).split(whereSeparator: { $0 == "/" || $0 == "!" }).map(String.init)
        return labelByPath.first { components.contains($0.component) }?.label
    }

    /// The split for a record read from `archive` / `entry`: the first `split_by_path` key (in spec
    /// order) that is a component of either path, a component's stem (the name before its first `.`),
    /// or a `_`/`-` token of a component's stem.
    public func split(archive: String, entry: String) -> String {
        split(keys: splitKeys(in: archive).union(splitKeys(in: entry)))
    }

    /// Which `split_by_path` keys occur in `path` (components split at `/` and `!`). Ingest computes
    /// this once per archive, not once per entry.
    public func splitKeys(in path: String) -> SplitKeys {
        var found = SplitKeys()
        guard !splitByPath.isEmpty else { return found }
        // Byte ranges of the path, nothing allocated: this runs for every entry of the ingest.
        func runs(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, cutAt cut: (UInt8) -> Bool, _ body: (Slice<UnsafeBufferPointer<UInt8>>) -> Void) {
            var start = bytes.startIndex
            while start < bytes.endIndex {
                var end = start
                while end < bytes.endIndex, !cut(bytes[end]) { end += 1 }
                if end > start { body(bytes[start..<end]) }  // empty runs are skipped, as `split` does
                start = end + 1
            }
        }
        var path = path
        path.withUTF8 { all in
            runs(all[...], cutAt: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "!") }) { component in
                // The stem: the first run before a `.` (the whole name when it is all dots).
                var first: Slice<UnsafeBufferPointer<UInt8>>?
                runs(component, cutAt: { $0 == UInt8(ascii: ".") }) { piece in if first == nil { first = piece } }
                let stem = first ?? component
                for (k, key) in splitByPath.enumerated() where !found.contains(k) {
                    let keyBytes = key.component.utf8, keyCount = keyBytes.count
                    // Lengths first: comparing the bytes of every token of every entry's name was a
                    // visible part of the ingest.
                    func same(_ run: Slice<UnsafeBufferPointer<UInt8>>) -> Bool { run.count == keyCount && run.elementsEqual(keyBytes) }
                    // The whole name, its stem (`ratings_train` for ratings_train.txt) or one token of the stem.
                    var hit = same(component) || same(stem)
                    if !hit { runs(stem, cutAt: { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) { token in hit = hit || same(token) } }
                    if hit { found.insert(k) }
                }
            }
        }
        return found
    }

    /// The split the first found key names, else the default split.
    public func split(keys: SplitKeys) -> String {
        keys.first.map { splitByPath[$0].split } ?? defaultSplit
    }

    /// A set of `split_by_path` key indices.
    public struct SplitKeys: Sendable, Equatable {
        var indices: [Int] = []
        public init() {}
        func contains(_ k: Int) -> Bool { indices.contains(k) }
        mutating func insert(_ k: Int) { if !contains(k) { indices.append(k) } }
        public func union(_ other: SplitKeys) -> SplitKeys {
            var u = self
            for k in other.indices { u.insert(k) }
            return u
        }
        var first: Int? { indices.min() }
    }
}

/// One entry of `stages:`: its kind (`refine`, `drop`, ...) and its arguments, parsed by the stage itself.
public struct StageSpec: @unchecked Sendable {
    public let kind: String
    public let index: Int
    public let args: SpecNode
    /// Canonical text of the arguments: part of the stage's cache key.
    public var canonical: String { kind + ":" + args.canonical }
}

/// Where and how prepared data is written.
public struct OutputSpec: Equatable, Sendable {
    public var dir: String
    public var jsonl: Bool
    public var csv: Bool
    /// Start CSV files with a UTF-8 byte-order mark so Excel shows Korean.
    public var csvBOM: Bool
    /// `subsets: [1000, 2500]`: nested, stratified, seeded subsets of a split, for data-size ablations.
    public var subsets: SubsetSpec?
    /// `corpus: {fields: [title, body]}`: a plain-text corpus for continued pretraining.
    public var corpus: CorpusSpec?

    public init(dir: String, jsonl: Bool, csv: Bool, csvBOM: Bool, subsets: SubsetSpec? = nil, corpus: CorpusSpec? = nil) {
        self.dir = dir
        self.jsonl = jsonl
        self.csv = csv
        self.csvBOM = csvBOM
        self.subsets = subsets
        self.corpus = corpus
    }
}

/// `outputs.subsets`: sizes in rows of the original (not augmented) rows of `split`; each subset
/// holds the smaller ones. `stratify_by` and `seed` default to the first `sample` stage's.
public struct SubsetSpec: Equatable, Sendable {
    public var sizes: [Int]
    public var split: String
    public var stratifyBy: String?
    public var seed: Int?
}

/// `outputs.corpus`: the `fields` of every original row of `splits`, one document per row
/// (fields on their own lines), documents apart by a blank line, exact duplicates once.
public struct CorpusSpec: Equatable, Sendable {
    public var fields: [String]
    public var splits: [String]
    /// `split_sentences:` one sentence a line (documents still apart by a blank line); nil keeps each field on one line.
    public var splitSentences: SentenceSplitting?

    public init(fields: [String], splits: [String], splitSentences: SentenceSplitting? = nil) {
        self.fields = fields; self.splits = splits; self.splitSentences = splitSentences
    }
}
