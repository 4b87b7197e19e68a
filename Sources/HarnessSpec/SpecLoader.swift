import Records
import Support
import Yams

/// Reads a spec file into a `Spec`, reporting the first problem with file, line, column and key.
public enum SpecLoader {
    static let topKeys = ["name", "metadata", "source", "record", "nulls", "stages", "outputs", "eval", "max_seq_length"]

    /// Loads and validates the spec at `path`.
    /// - throws: `SpecError`.
    public static func load(path: String) throws -> Spec {
        if FileSystem.isDirectory(path) {
            throw SpecError(file: path, line: 1, column: 1, key: "", message: "this is a folder; give a spec file such as specs/clickbait.yaml")
        }
        guard let bytes = try? FileSystem.read(path) else {
            throw SpecError(file: path, line: 1, column: 1, key: "", message: "cannot read the spec file (does it exist?)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SpecError(file: path, line: 1, column: 1, key: "", message: "the spec is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses spec text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> Spec {
        let node: Node
        do {
            guard let n = try Yams.compose(yaml: text) else {
                throw SpecError(file: file, line: 1, column: 1, key: "", message: "the spec is empty")
            }
            node = n
        } catch let e as YamlError {
            throw yamlError(e, file: file)
        }
        let root = SpecNode(node: node, file: file, path: "")
        try root.checkKeys(topKeys)
        let name = try root.required("name", hint: "give the spec a short name, e.g. `name: clickbait`").string()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw try root.required("name").error("'\(name)' is not a usable name: use letters, digits, '-' and '_'")
        }
        let version = try root.optional("metadata").map { m -> Int in
            try m.checkKeys(["version", "description"])
            return try m.int("version", default: 1)
        } ?? 1
        let source = try SourceSection.parse(try root.required("source", hint: "say where the data is, e.g. `source: {root: data, archives: [\"**/*.zip\"]}`"))
        let nulls = Set(try root.optional("nulls")?.strings() ?? ["", "null", "NULL", "None"])
        let fields: [FieldSpec]
        if source.kind == .html {
            if let r = try root.optional("record") { throw r.error("an html source takes its fields from `source.fields` (XPaths); remove `record:`") }
            // Pages get an id (the XPath field `id`, else their location), their XPath fields, and a label from label_by_path.
            let names = ["id"] + source.pageFields.map(\.field).filter { $0 != "id" } + (source.labelByPath.isEmpty ? [] : ["label"])
            fields = names.map { name in
                FieldSpec(name: name, rule: .page(source.pageFields.first { $0.field == name }?.source.description ?? ""), optional: true)
            }
        } else {
            fields = try RecordSection.parse(try root.required("record", hint: "map JSON paths to fields, e.g. `record: {id: sourceDataInfo.newsID}`"), html: false,
                                         records: source.records)
        }
        let stages = try (root.optional("stages")?.list() ?? []).enumerated().map { i, item -> StageSpec in
            let keys = try item.keys()
            guard keys.count == 1, let kind = keys.first else {
                throw item.error("each stage is a mapping with one key, the stage name (e.g. `- drop: {required: [title]}`)")
            }
            return StageSpec(kind: kind, index: i, args: try item.required(kind))
        }
        let outputs = try OutputSection.parse(root.optional("outputs"), name: name)
        var sections: [String: String] = [:]
        for key in topKeys { if let n = try root.optional(key) { sections[key] = n.canonical } }
        return Spec(file: file, name: name, version: version, source: source, fields: fields, nulls: nulls,
                    stages: stages, outputs: outputs, eval: try root.optional("eval"), outputsNode: try root.optional("outputs"),
                    maxSeqLength: try Self.maxSeqLength(root.optional("max_seq_length")),
                    sections: sections, digest: SHA256.hex(root.canonical))
    }

    private static func yamlError(_ e: YamlError, file: String) -> SpecError {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let ctx = context.map { " (\($0.text))" } ?? ""
            return SpecError(file: file, line: mark.line, column: mark.column, key: "", message: "invalid YAML: \(problem)\(ctx)")
        default:
            return SpecError(file: file, line: 1, column: 1, key: "", message: "invalid YAML: \(e)")
        }
    }
}

extension SpecLoader {
    static func maxSeqLength(_ node: SpecNode?) throws -> Int? {
        guard let node else { return nil }
        let n = try node.int()
        guard n > 0 else { throw node.error("the training context is a positive number of tokens, e.g. 1024") }
        return n
    }
}

enum OutputSection {
    static func parse(_ node: SpecNode?, name: String) throws -> OutputSpec {
        guard let node else { return OutputSpec(dir: "out/\(name)", jsonl: true, csv: true, csvBOM: true) }
        try node.checkKeys(["dir", "formats", "csv_bom", "subsets", "corpus"])
        let formats = try node.optional("formats").map { try $0.list().map { try $0.choice(["jsonl", "csv"]) } } ?? ["jsonl", "csv"]
        return OutputSpec(dir: try node.string("dir", default: "out/\(name)"), jsonl: formats.contains("jsonl"),
                          csv: formats.contains("csv"), csvBOM: try node.bool("csv_bom", default: true),
                          subsets: try subsets(node.optional("subsets")), corpus: try corpus(node.optional("corpus")))
    }

    /// `subsets: [1000, 2500]` or `subsets: {sizes: [...], split: train, stratify_by: type, seed: 1}`.
    static func subsets(_ node: SpecNode?) throws -> SubsetSpec? {
        guard let node else { return nil }
        var spec = SubsetSpec(sizes: [], split: "train", stratifyBy: nil, seed: nil)
        let sizes: SpecNode
        if node.isSequence {
            sizes = node
        } else {
            try node.checkKeys(["sizes", "split", "stratify_by", "seed"])
            sizes = try node.required("sizes", hint: "row counts, e.g. `sizes: [1000, 2500, 5000]`")
            spec.split = try node.string("split", default: "train")
            spec.stratifyBy = try node.optional("stratify_by")?.string()
            spec.seed = try node.optional("seed")?.int()
        }
        for item in try sizes.list() {
            let n = try item.int()
            guard n > 0 else { throw item.error("a subset size is a positive number of rows") }
            guard !spec.sizes.contains(n) else { throw item.error("\(n) is listed twice") }
            spec.sizes.append(n)
        }
        guard !spec.sizes.isEmpty else { throw sizes.error("give at least one size, e.g. `[1000, 2500]`") }
        spec.sizes.sort()
        return spec
    }

    /// `corpus: {fields: [title, body], splits: [train]}`.
    static func corpus(_ node: SpecNode?) throws -> CorpusSpec? {
        guard let node else { return nil }
        try node.checkKeys(["fields", "splits", "split_sentences"])
        let fields = try node.required("fields", hint: "the text fields of a document, e.g. `fields: [title, body]`").strings()
        guard !fields.isEmpty else { throw try node.required("fields").error("give at least one field") }
        let sentences = try node.optional("split_sentences").map { SentenceSplitting(rawValue: try $0.choice(SentenceSplitting.names))! }
        // The held-out split stays out by default: pretraining on test text leaks it.
        return CorpusSpec(fields: fields, splits: try node.optional("splits")?.strings() ?? ["train"], splitSentences: sentences)
    }
}
