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
    public var kind: Kind
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
    /// For `kind: html`: field name -> XPaths (the first that matches wins), the fields a page must
    /// have, labels from folder names, and the page charset when a page does not declare one.
    public var xpaths: [(field: String, xpaths: [String])]
    public var required: [String]
    public var labelByPath: [(component: String, label: String)]
    public var fallbackCharset: String
    /// `on_bad_entry: skip`: count and skip entries with malformed JSON or failing field rules instead of stopping.
    public var skipBadEntries: Bool

    public static func == (a: SourceSpec, b: SourceSpec) -> Bool {
        a.kind == b.kind && a.root == b.root && a.archives == b.archives && a.entries == b.entries && a.records == b.records
            && a.splitByPath.map { "\($0.component)=\($0.split)" } == b.splitByPath.map { "\($0.component)=\($0.split)" }
            && a.defaultSplit == b.defaultSplit && a.maxEntryMB == b.maxEntryMB && a.maxRatio == b.maxRatio
            && a.xpaths.map { "\($0.field)=\($0.xpaths)" } == b.xpaths.map { "\($0.field)=\($0.xpaths)" }
            && a.required == b.required && a.labelByPath.map { "\($0.component)=\($0.label)" } == b.labelByPath.map { "\($0.component)=\($0.label)" }
            && a.fallbackCharset == b.fallbackCharset && a.skipBadEntries == b.skipBadEntries
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
    /// order) that is a component of either path, or a `_`/`-` token of a component's stem.
    public func split(archive: String, entry: String) -> String {
        split(keys: splitKeys(in: archive).union(splitKeys(in: entry)))
    }

    /// Which `split_by_path` keys occur in `path` (components split at `/` and `!`). Ingest computes
    /// this once per archive, not once per entry.
    public func splitKeys(in path: String) -> SplitKeys {
        var found = SplitKeys()
        guard !splitByPath.isEmpty else { return found }
        for component in path.utf8.split(whereSeparator: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "!") }) {
            let stem = component.split(separator: UInt8(ascii: ".")).first ?? component
            let tokens = stem.split(whereSeparator: { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
            for (k, key) in splitByPath.enumerated() where !found.contains(k) {
                let keyBytes = key.component.utf8
                if component.elementsEqual(keyBytes) || tokens.contains(where: { $0.elementsEqual(keyBytes) }) { found.insert(k) }
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
}
