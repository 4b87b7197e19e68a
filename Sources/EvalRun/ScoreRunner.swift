import EvalStore
import Evaluation
import HarnessSpec
import Records
import Scoring
import Store
import Support

/// `eval score`: builds each item's prompt and choices from the spec's `eval:` section, scores them,
/// and stores every prediction in a new run (or resumes an interrupted run with the same settings).
public final class ScoreRunner {
    public struct Options {
        public var model: String
        public var split: String?
        public var limit: Int?
        public var backend: String
        public var settings: [(String, JSONValue)]
        public var chunk: Int
        /// `--exact`: F32 numerics, bit-identical scores whatever the batching (also `eval.exact: true`).
        public var exact: Bool
        /// `--lora`: LoRA adapters on top of the model; nil: the spec's `eval.lora` (none by default).
        public var lora: [EvalSpec.Lora]?
        /// openai backend: the model the servers report (`ServerFleet.probe`), part of the identity;
        /// the servers' URLs are not, so a run resumes on another fleet that serves the same model.
        public var servedModel: String?
        public init(model: String, split: String?, limit: Int?, backend: String, settings: [(String, JSONValue)], chunk: Int = 16,
                    exact: Bool = false, lora: [EvalSpec.Lora]? = nil, servedModel: String? = nil) {
            self.model = model; self.split = split; self.limit = limit; self.backend = backend; self.settings = settings; self.chunk = chunk
            self.exact = exact; self.lora = lora; self.servedModel = servedModel
        }
    }

    public struct Outcome {
        public let run: Int
        public let scored: Int
        public let resumed: Int
        public let total: Int
        public let accuracy: Double?
        public let seconds: Double
        public let tokens: Int
    }

    let spec: Spec
    let store: RunStore
    let options: Options

    public init(spec: Spec, store: RunStore, options: Options) {
        self.spec = spec
        self.store = store
        self.options = options
    }

    /// Items of the split, as the scorer sees them, with their gold labels and kept fields.
    public static func items(_ records: [Record], eval: EvalSpec) -> [(item: ChoiceItem, labels: [String], record: Record)] {
        records.map { r in
            let prompt = eval.prompt.render { r.fields[$0] }
            switch eval.choices {
            case let .labels(_, options):
                return (ChoiceItem(id: r.fields["id"] ?? "", prompt: prompt, choices: options.map(\.text)), options.map(\.label), r)
            case let .fields(names, prefix):
                return (ChoiceItem(id: r.fields["id"] ?? "", prompt: prompt, choices: names.map { prefix + (r.fields[$0] ?? "") }), names, r)
            }
        }
    }

    /// Runs the scoring. `scorer` is built only when there is something to score (a resume with nothing
    /// left loads no model), and before a new run is recorded, so a model (or adapter) that fails to
    /// load leaves no run; it gets whether the exact numerics were asked for (`--exact` or
    /// `eval.exact: true`) and the LoRA adapters to apply (`--lora`, else `eval.lora`).
    public func run(scorer makeScorer: (_ exact: Bool, _ adapters: [LoraAdapter]) throws -> any ChoiceScoring & Generating,
                    progress: Bool? = nil) throws -> Outcome {
        let split = try options.split ?? (EvalSpec.parse(spec, fields: spec.fieldNames + ["instruction", "input", "output", "variant"]).split)
        let prepared = try PreparedSplit.load(store: store, spec: spec, split: split)
        var eval = try EvalSpec.parse(spec, fields: prepared.columns)
        eval.split = split
        var records = prepared.records
        if let limit = options.limit { records = Array(records.prefix(limit)) }
        guard !records.isEmpty else { throw EvalRunError.emptySplit(split: split, path: prepared.path) }
        var all = Self.items(records, eval: eval)
        var fewshotIDs: [String] = []
        if let fs = eval.fewshot {
            (all, fewshotIDs) = try Self.withFewShot(all, fewshot: fs, eval: eval,
                                                     pool: fs.from == split ? [] : PreparedSplit.load(store: store, spec: spec, split: fs.from).records,
                                                     scoring: split)
        }

        let exact = options.exact || eval.exact
        let adapters = try AdapterRecord.check(options.lora ?? eval.lora, backend: options.backend)
        let identity = Self.identity([eval.canonical, prepared.path, String(prepared.prepRun), String(all.count), eval.split],
                                     options: options, adapters: adapters)
        let resumable = try resumableRun(identity: identity)
        let done = resumable?.done ?? []
        let todo = all.filter { !done.contains($0.item.id) }
        // The model is loaded before a new run is recorded: a wrong --model leaves nothing in the store.
        let scorer = todo.isEmpty ? nil : try makeScorer(exact, adapters.map(\.adapter))
        let runID = try resumable?.run ?? beginRun(identity: identity, prepared: prepared, eval: eval, fewshot: fewshotIDs, adapters: adapters)
        let started = Clock.now()
        let bar = Progress("scoring \(runName(runID))", total: all.count, unit: "items", enabled: progress)
        bar.advance(by: done.count)
        var tokens = 0
        Interrupt.install()
        do {
            if let scorer {
                try scoreAll(todo, done: done.count, total: all.count, eval: eval, runID: runID, scorer: scorer, bar: bar, tokens: &tokens, started: started)
            }
        } catch let e as EvalRunError {
            throw e
        } catch {
            // The run stays resumable: the same command picks it up again.
            try? store.finishRun(runID, status: .failed, seconds: Clock.now() - started, summary: .object([("error", .string(String(describing: error)))]))
            throw error
        }
        bar.finish()
        let stored = try RunPredictions.load(store, run: runID)
        let accuracy = try? ClassificationReport(stored).accuracy
        let seconds = Clock.now() - started
        var summary: [(key: String, value: JSONValue)] = [
            ("items", .number(String(stored.count))),
            ("accuracy", accuracy.map { .number(String($0)) } ?? .null),
            ("tokens", .number(String(tokens))),
        ]
        if let fleet = scorer as? ServerFleet { summary.append(("servers", Self.serversJSON(fleet))) }
        try store.finishRun(runID, status: .done, seconds: seconds, summary: .object(summary))
        return Outcome(run: runID, scored: todo.count, resumed: done.count, total: all.count, accuracy: accuracy, seconds: seconds, tokens: tokens)
    }

    private func runName(_ id: Int) -> String { "run-\(id)" }

    /// Each server of a fleet, what it finished in this invocation, and why it was left out.
    static func serversJSON(_ fleet: ServerFleet) -> JSONValue {
        .array(fleet.servers.map { s in
            .object([("url", .string(s.url)), ("finished", .number(String(s.finished))), ("per_server", .number(String(s.concurrency)))]
                + (s.failure.map { [("failure", JSONValue.string($0))] } ?? []))
        })
    }

    private func scoreAll(_ todo: [(item: ChoiceItem, labels: [String], record: Record)], done: Int, total: Int, eval: EvalSpec, runID: Int,
                          scorer: any ChoiceScoring & Generating, bar: Support.Progress, tokens: inout Int, started: Double) throws {
        var offset = 0
        while offset < todo.count {
            if Interrupt.requested {
                try store.finishRun(runID, status: .interrupted, seconds: Clock.now() - started)
                throw EvalRunError.interrupted(run: runName(runID), scored: done + offset, total: total)
            }
            let chunk = Array(todo[offset..<min(offset + options.chunk, todo.count)])
            var chunkTokens = 0
            let predictions = try score(chunk, eval: eval, scorer: scorer) { n, t in
                chunkTokens += t
                bar.advance(by: n, detail: "\(Format.number(Double(tokens + chunkTokens) / max(bar.elapsed, 1e-9), digits: 0)) tok/s")
            }
            tokens += chunkTokens
            try store.savePredictions(run: runID, predictions.map(RunPredictions.stored))
            offset += chunk.count
        }
    }

    /// What makes two score runs the same work: spec eval section, prepared data, model (its path and,
    /// for a local file, its fingerprint: a file replaced at the same path is another model), backend,
    /// limit, `--exact` (a run is never resumed with other numerics), and each LoRA adapter's path,
    /// scale and SHA-256 (a run is never resumed with another adapter, or another checkpoint saved
    /// at the same path). With servers, the model they report (`Options.servedModel`) stands for the
    /// fingerprint; their URLs are not part of it.
    static func identity(_ work: [String], options: Options, adapters: [AdapterRecord] = []) -> String {
        var h = SHA256()
        var parts = work + [options.model, options.backend]
        if options.backend == "llama" { parts.append("fingerprint: " + (ModelFingerprint.of(options.model) ?? "-")) }
        if let served = options.servedModel { parts.append("served: " + served) }
        if options.exact { parts.append("exact") }
        for a in adapters { parts.append("lora: \(a.lora.path) \(a.lora.scale) \(a.sha256)") }
        for part in parts {
            h.update(part); h.update("\n")
        }
        return h.hexDigest()
    }

    /// The newest unfinished run with the same identity (to resume) and the ids it has scored.
    private func resumableRun(identity: String) throws -> (run: Int, done: Set<String>)? {
        for r in try store.runs(limit: 20, kind: .score, specName: spec.name) where r.status != .done {
            if r.settings["identity"]?.scalarText == identity { return (r.id, try store.predictedIDs(run: r.id)) }
        }
        return nil
    }

    /// Records a new score run; called only once its inputs (spec, prepared split, model) have been checked.
    private func beginRun(identity: String, prepared: PreparedSplit, eval: EvalSpec, fewshot: [String], adapters: [AdapterRecord]) throws -> Int {
        let settings: JSONValue = .object([
            ("identity", .string(identity)), ("model", .string(options.model)), ("split", .string(eval.split)),
            ("backend", .string(options.backend)), ("prep_run", .number(String(prepared.prepRun))),
            ("mode", .string(eval.mode.rawValue)), ("normalize", .string(eval.normalize.rawValue)),
            ("breakdown", .array(eval.breakdown.map { .string($0) })), ("show", .array(eval.show.map { .string($0) })),
        ] + (options.backend == "llama" ? [("numerics", JSONValue.string(options.exact || eval.exact ? "exact" : "default"))] : [])
          + (options.limit.map { [("limit", JSONValue.number(String($0)))] } ?? []) + options.settings
          + (adapters.isEmpty ? [] : [("lora", JSONValue.array(adapters.map(\.json)))])
          + (eval.fewshot.map { fs -> [(String, JSONValue)] in
                [("fewshot", .object([("k", .number(String(fs.k))), ("from", .string(fs.from)), ("per_class", .bool(fs.perClass)),
                                      ("seed", .number(String(Int64(bitPattern: fs.seed)))), ("resample", .string(fs.resample.rawValue)),
                                      ("ids", .array(fewshot.map { .string($0) }))]))]
            } ?? []))
        return try store.beginRun(kind: .score, spec: SpecIdentity(name: spec.name, path: spec.file, digest: spec.digest, version: spec.version),
                                  settings: settings, parent: prepared.prepRun)
    }

    private func score(_ chunk: [(item: ChoiceItem, labels: [String], record: Record)], eval: EvalSpec,
                       scorer: any ChoiceScoring & Generating, progress: (Int, Int) -> Void) throws -> [Prediction] {
        switch eval.mode {
        case .choice:
            let scores = try scorer.score(chunk.map(\.item)) { n, t in progress(n, t) }
            return zip(chunk, scores).map { entry, s in
                let values = s.logprob.indices.map { i -> Double in
                    switch eval.normalize {
                    case .sum: return s.logprob[i]
                    case .mean: return s.logprob[i] / Double(max(1, s.tokens[i]))
                    case .byte: return s.logprob[i] / Double(max(1, s.bytes[i]))
                    }
                }
                let best = values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) } ?? 0
                return prediction(entry.record, eval: eval, predicted: entry.labels[best],
                                  scores: Dictionary(uniqueKeysWithValues: zip(entry.labels, values)))
            }
        case .generate:
            if let fleet = scorer as? ServerFleet {
                let answers = try fleet.generate(prompts: chunk.map(\.item.prompt), maxTokens: eval.maxTokens, stop: eval.stop) { progress($0, 0) }
                return zip(chunk, answers).map { entry, answer in
                    var p = prediction(entry.record, eval: eval, predicted: Self.label(for: answer, labels: entry.labels, texts: entry.item.choices), scores: [:])
                    p.answer = answer
                    return p
                }
            }
            if let llama = scorer as? LlamaScorer, let answers = try generateTogether(chunk.map(\.item.prompt), eval: eval, llama: llama, progress: progress) {
                return zip(chunk, answers).map { entry, answer in
                    var p = prediction(entry.record, eval: eval, predicted: Self.label(for: answer, labels: entry.labels, texts: entry.item.choices), scores: [:])
                    p.answer = answer
                    return p
                }
            }
            return try chunk.map { entry in
                let answer = try scorer.generate(prompt: entry.item.prompt, maxTokens: eval.maxTokens, stop: eval.stop)
                progress(1, 0)
                var p = prediction(entry.record, eval: eval, predicted: Self.label(for: answer, labels: entry.labels, texts: entry.item.choices), scores: [:])
                p.answer = answer
                return p
            }
        }
    }

    /// Sequences generated side by side in one context (`LlamaScorer.generate(_:parallel:)`).
    static let generationSlots = 8

    /// A chunk's greedy answers generated side by side, several sequences per decode; nil where
    /// they must be generated one by one: with `--exact` (a batch's answers may differ from lone
    /// ones in the last bits, and exact runs promise the same result however items are grouped), and
    /// when a prompt leaves no room for `max_tokens` in the context (one by one, generation stops
    /// when the context is full).
    private func generateTogether(_ prompts: [String], eval: EvalSpec, llama: LlamaScorer, progress: (Int, Int) -> Void) throws -> [String]? {
        guard llama.numerics == .standard, prompts.count > 1 else { return nil }
        var answers = [String](repeating: "", count: prompts.count)
        do {
            try llama.generate(prompts.map { .init(prompt: $0, sampling: nil) }, maxTokens: eval.maxTokens, stop: eval.stop,
                               parallel: min(prompts.count, Self.generationSlots)) { i, text in
                answers[i] = text
                progress(1, 0)
            }
        } catch ScoringError.promptTooLong {
            return nil
        }
        return answers
    }

    /// The prediction field that names an item's own few-shot examples (`resample: per_item`).
    static let fewshotField = "_fewshot"

    /// Puts the few-shot block before every prompt. Shared: one block, whose ids the run records;
    /// per item: each item's examples, named in its prediction's `_fewshot` field.
    static func withFewShot(_ items: [(item: ChoiceItem, labels: [String], record: Record)], fewshot fs: EvalSpec.FewShot, eval: EvalSpec,
                            pool: [Record], scoring split: String) throws -> ([(item: ChoiceItem, labels: [String], record: Record)], [String]) {
        guard fs.from != split else {
            throw EvalRunError.badFewShot("examples come from '\(fs.from)', the split being scored; draw them from another split, e.g. `from: train`")
        }
        let block = try FewShotBlock(fs, eval: eval, pool: pool)
        let shared = fs.resample == .shared ? block.examples(key: "") : []
        let sharedText = block.text(shared)
        let out = items.map { entry -> (item: ChoiceItem, labels: [String], record: Record) in
            var record = entry.record
            var text = sharedText
            if fs.resample == .perItem {
                let own = block.examples(key: entry.item.id)
                text = block.text(own)
                record.fields[fewshotField] = own.map { $0.fields["id"] ?? "" }.joined(separator: ",")
            }
            return (ChoiceItem(id: entry.item.id, prompt: text + entry.item.prompt, choices: entry.item.choices), entry.labels, record)
        }
        return (out, shared.map { $0.fields["id"] ?? "" })
    }

    /// Maps a generated answer to a label, or "(other)": `Prediction.label(forAnswer:labels:texts:)` has the rules.
    static func label(for answer: String, labels: [String], texts: [String]) -> String {
        Prediction.label(forAnswer: answer, labels: labels, texts: texts)
    }

    private func prediction(_ r: Record, eval: EvalSpec, predicted: String, scores: [String: Double]) -> Prediction {
        var fields: [String: String] = [:]
        for f in eval.breakdown + eval.show + [Self.fewshotField] { if let v = r.fields[f] { fields[f] = v } }
        return Prediction(id: r.fields["id"] ?? "", gold: eval.gold.flatMap { r.fields[$0] }, predicted: predicted, scores: scores, fields: fields)
    }
}

@available(*, unavailable)
extension ScoreRunner: Sendable {}

import Foundation
import JSON
