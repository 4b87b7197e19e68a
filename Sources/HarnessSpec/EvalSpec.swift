import Support
import Records

/// The `eval:` section: which split to score, how to build each prompt, and what the choices are.
///
///     eval:
///       split: valid
///       prompt: "{instruction}\n\n{input}\n\n답:"
///       choices: {field: label, verbalize: {clickbait: " 낚시성 기사", normal: " 정상 기사"}}
///       normalize: mean            # sum | mean (per token, as llama-perplexity) | byte (per UTF-8 byte)
///       breakdown: [type, part, category]
///       exact: false               # true: F32 numerics, scores bit-identical whatever the batching
///       lora: [{path: adapters/ckpt-200.gguf, scale: 1.0}]   # or plain `a.gguf` / `a.gguf:0.5` (see `Lora`)
///
/// Unlabeled data (saved news pages) says `gold: none`: runs then report the predicted distribution.
/// Per-item choices (the dialogue task) name fields instead: `choices: {fields: [inference_1,
/// inference_2, inference_3], prefix: " "}` with `gold: label` holding the right field's name.
/// `mode: generate` decodes greedily and maps the answer back to a label by its verbalisation.
/// `fewshot: {k: 3, from: train, per_class: true, seed: 1}` puts solved examples of another split
/// before every prompt.
/// `grading: {criteria: [accuracy, detail], scale: [0, 1, 2], category: type}` is for people grading
/// the outputs (`eval grade-sheet`, `eval import-grades`); see `Grading`.
public struct EvalSpec: Equatable, Sendable {
    /// `eval.fewshot`: `k` examples (per label with `per_class`) drawn with `seed` from the split
    /// `from`, never the one being scored, each rendered with the prompt and its gold choice text.
    /// One block for all items by default (the scorer computes it once); `resample: per_item`
    /// draws for each item.
    public struct FewShot: Equatable, Sendable {
        public enum Resample: String, Sendable { case shared, perItem = "per_item" }
        public var k: Int
        public var from: String
        public var perClass: Bool
        public var seed: UInt64
        public var resample: Resample
    }

    public enum Choices: Equatable, Sendable {
        /// A fixed label set; gold is the value of `field`; each label has a continuation text.
        case labels(field: String, options: [(label: String, text: String)])
        /// Per-item options: the label is the field name, the continuation `prefix + value`.
        case fields([String], prefix: String)

        public static func == (a: Choices, b: Choices) -> Bool {
            switch (a, b) {
            case let (.labels(f1, o1), .labels(f2, o2)): return f1 == f2 && o1.map { "\($0.label)=\($0.text)" } == o2.map { "\($0.label)=\($0.text)" }
            case let (.fields(a1, p1), .fields(a2, p2)): return a1 == a2 && p1 == p2
            default: return false
            }
        }
    }

    public enum Normalize: String, Sendable { case sum, mean, byte }
    public enum Mode: String, Sendable { case choice, generate }

    public var split: String
    public var prompt: Template
    public var choices: Choices
    /// The field holding the right label; nil for unlabeled data (`gold: none`).
    public var gold: String?
    public var normalize: Normalize
    public var mode: Mode
    public var maxTokens: Int
    public var stop: [String]
    public var breakdown: [String]
    /// Fields shown beside misclassified items in reports.
    public var show: [String]
    /// Score with the exact numerics (F32 KV cache, no flash attention) instead of llama.cpp's defaults.
    public var exact: Bool
    /// Canonical text of the section (part of a score run's identity).
    public var canonical: String
    public var fewshot: FewShot?
    /// `eval.lora`: LoRA adapters applied on top of the model (`--lora` on the command line replaces them).
    public var lora: [Lora] = []
    /// `eval.grading`; nil when the spec has none.
    public var grading: Grading?

    /// Parses `spec.eval`. - throws: `SpecError` located in the spec, or when there is no `eval:` section.
    public static func parse(_ spec: Spec, fields: [String]) throws -> EvalSpec {
        guard let node = spec.eval else {
            throw SpecError(file: spec.file, line: 1, column: 1, key: "eval",
                            message: "the spec has no `eval:` section; add one with `split`, `prompt` and `choices` (see specs/clickbait.yaml)")
        }
        try node.checkKeys(["split", "prompt", "choices", "gold", "normalize", "mode", "max_tokens", "stop", "breakdown", "show", "exact", "fewshot", "grading", "lora"])
        func known(_ f: String, _ at: SpecNode) throws {
            guard fields.contains(f) else { throw at.unknownField(f, among: fields, what: "field in the prepared data") }
        }
        let prompt = try node.required("prompt", hint: "the text the model continues, e.g. `prompt: \"{instruction}\\n\\n{input}\\n\\n답:\"`").template(among: fields)
        let c = try node.required("choices", hint: "e.g. `choices: {field: label, verbalize: {clickbait: \" 낚시성 기사\", normal: \" 정상 기사\"}}`")
        try c.checkKeys(["field", "verbalize", "fields", "prefix"])
        let choices: Choices
        var gold = try node.optional("gold")?.string()
        if let f = try c.optional("fields") {
            let names = try f.strings()
            for (i, n) in names.enumerated() { try known(n, try f.list()[i]) }
            guard names.count >= 2 else { throw f.error("give at least two fields to choose between") }
            choices = .fields(names, prefix: try c.string("prefix", default: " "))
            gold = gold ?? "label"
        } else {
            let field = try c.string("field", default: "label")
            if gold != "none" { try known(field, c) }
            let v = try c.required("verbalize", hint: "map each label to the text the model should continue with, e.g. `{clickbait: \" 낚시성 기사\"}`")
            let options = try v.entries().map { ($0.key, try $0.value.string()) }
            guard options.count >= 2 else { throw v.error("give at least two labels to choose between") }
            choices = .labels(field: field, options: options)
            gold = gold ?? field
        }
        if gold == "none" { gold = nil } else if let g = gold { try known(g, node) }
        let breakdown = try node.optional("breakdown")?.strings() ?? []
        for (i, b) in breakdown.enumerated() { try known(b, try node.required("breakdown").list()[i]) }
        let show = try node.optional("show")?.strings() ?? fields.filter { ["title", "text", "question"].contains($0) }
        var fewshot: FewShot?
        if let f = try node.optional("fewshot") {
            try f.checkKeys(["k", "from", "per_class", "seed", "resample"])
            let k = try f.int("k", default: 3)
            guard k >= 1 else { throw try f.required("k").error("must be at least 1 example") }
            guard case .labels = choices else {
                throw f.error("few-shot examples need a fixed label set (`choices: {field: ..., verbalize: ...}`) to show each example's answer")
            }
            guard gold != nil else { throw f.error("few-shot examples need gold labels; this eval has `gold: none`") }
            fewshot = FewShot(k: k, from: try f.string("from", default: "train"), perClass: try f.bool("per_class", default: false),
                              seed: UInt64(bitPattern: Int64(try f.int("seed", default: 1))),
                              resample: FewShot.Resample(rawValue: try f.optional("resample")?.choice(["shared", "per_item"]) ?? "shared")!)
        }
        let grading = try node.optional("grading").map { try Grading.parse($0, fields: fields) }
        var parsed = EvalSpec(split: try node.string("split", default: "valid"), prompt: prompt, choices: choices, gold: gold,
                        normalize: Normalize(rawValue: try node.optional("normalize")?.choice(["sum", "mean", "byte"]) ?? "mean")!,
                        mode: Mode(rawValue: try node.optional("mode")?.choice(["choice", "generate"]) ?? "choice")!,
                        maxTokens: try node.int("max_tokens", default: 16), stop: try node.optional("stop")?.strings() ?? ["\n"],
                        breakdown: breakdown, show: show, exact: try node.bool("exact", default: false),
                        canonical: canonicalWithoutGrading(node), fewshot: fewshot, grading: grading)
        parsed.lora = try lora(node)
        return parsed
    }

    public static func == (a: EvalSpec, b: EvalSpec) -> Bool { a.canonical == b.canonical }
}
