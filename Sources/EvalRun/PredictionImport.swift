import EvalStore
import Evaluation
import HarnessSpec
import JSON
import Records
import Store
import Support

/// `eval import`: predictions made elsewhere (one JSON object per line: `id`, `predicted`, optional
/// `gold` and `scores` {label: number}) become a run, joined by id with the spec's prepared split for
/// gold labels and breakdown fields.
///
/// Labels must be in the spec's label set or be one of its verbalisations (mapped back to the label).
/// With a prepared split, ids it does not hold are left out and its gold labels win over the file's,
/// both with a warning; a file sharing no id with it is refused. Without one (the spec was never
/// prepared), every line must carry its own `gold` (unless the spec says `gold: none`).
public enum PredictionImport {
    public struct Outcome {
        public let run: Int
        public let items: Int
        /// The prepared split the file was joined with (nil: the spec was never prepared).
        public let split: String?
        public let warnings: [ImportWarning]
        /// What was done on the user's behalf (verbalisations mapped, gold taken from the file).
        public let notes: [String]
    }

    /// - throws: `SpecError` for a broken `eval:` section; `EvalRunError.badImport` naming the line;
    ///   `.importRefused` when no id matches the prepared split, or with `strict` when there are warnings.
    public static func run(file: String, spec: Spec, split: String?, store: RunStore, strict: Bool = false) throws -> Outcome {
        let eval = try EvalSpec.parse(spec, fields: spec.fieldNames + ["instruction", "input", "output", "variant"])
        let splitName = split ?? eval.split
        let (lines, mapped) = try PredictionFile.read(file, labels: ImportLabels(eval), spec: spec.name)
        var notes = mapped.sorted { $0.key < $1.key }.map { "'\($0.key)' was read as the label \($0.value) (its verbalisation in the spec)" }
        let prepared: PreparedSplit?
        do {
            prepared = try PreparedSplit.load(store: store, spec: spec, split: splitName)
        } catch let e as EvalRunError {
            guard case .notPrepared = e else { throw e }
            if eval.gold != nil, let l = lines.first(where: { $0.gold == nil }) {
                throw EvalRunError.badImport(file: file, line: l.line, detail: "id \(l.id) has no \"gold\" and no prepared split can supply it: \(e) (or give \"gold\" on every line)")
            }
            prepared = nil
            notes.append("\(e); the gold labels are the file's own")
        }
        let keep = eval.breakdown + eval.show
        var predictions: [Prediction]
        var warnings: [ImportWarning] = []
        if let prepared {
            (predictions, warnings) = try join(lines, prepared: prepared, eval: eval, keep: keep, file: file, split: splitName)
        } else {
            predictions = lines.map { l in Prediction(id: l.id, gold: l.gold, predicted: l.predicted, scores: l.scores, fields: fields(l, nil, keep)) }
        }
        if strict, !warnings.isEmpty {
            throw EvalRunError.importRefused(file: file, detail: "--strict: " + warnings.map(\.description).joined(separator: "; "))
        }
        let settings: JSONValue = .object([("source", .string(file)), ("split", .string(splitName)),
                                           ("breakdown", .array(eval.breakdown.map { .string($0) })),
                                           ("show", .array(eval.show.map { .string($0) }))])
        let run = try store.beginRun(kind: .import, spec: SpecIdentity(name: spec.name, path: spec.file, digest: spec.digest, version: spec.version),
                                     settings: settings, parent: prepared?.prepRun)
        try store.savePredictions(run: run, predictions.map(RunPredictions.stored))
        let accuracy = try? ClassificationReport(predictions).accuracy
        try store.finishRun(run, status: .done, seconds: 0, summary: .object([("items", .number(String(predictions.count))),
                                                                             ("accuracy", accuracy.map { .number(String($0)) } ?? .null)]))
        return Outcome(run: run, items: predictions.count, split: prepared == nil ? nil : splitName, warnings: warnings, notes: notes)
    }

    /// The lines whose id the prepared split holds, with the split's gold labels and fields.
    static func join(_ lines: [ImportedLine], prepared: PreparedSplit, eval: EvalSpec, keep: [String], file: String,
                     split: String) throws -> ([Prediction], [ImportWarning]) {
        let byID = Dictionary(prepared.records.map { ($0.fields["id"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        var predictions: [Prediction] = []
        var unknown: [String] = []
        var disagree: [String] = []
        for l in lines {
            guard let record = byID[l.id] else { unknown.append(l.id); continue }
            let splitGold = eval.gold.flatMap { record.fields[$0] }
            if let g = l.gold, let s = splitGold, g != s { disagree.append("\(l.id) (file: \(g), split: \(s))") }
            predictions.append(Prediction(id: l.id, gold: splitGold ?? l.gold, predicted: l.predicted, scores: l.scores, fields: fields(l, record, keep)))
        }
        guard !predictions.isEmpty else {
            let examples = prepared.records.prefix(3).compactMap { $0.fields["id"] }.joined(separator: ", ")
            throw EvalRunError.importRefused(file: file, detail: "none of its \(lines.count) ids is in the prepared split '\(split)' "
                + "(\(prepared.path), \(prepared.records.count) items with ids like \(examples); the file has \(ImportWarning.list(lines.prefix(3).map(\.id), lines.count))); "
                + "choose the split the predictions were made on with --split, or check that the file belongs to this spec")
        }
        var warnings: [ImportWarning] = []
        if !unknown.isEmpty { warnings.append(.unknownIDs(count: unknown.count, examples: Array(unknown.prefix(3)), split: split, path: prepared.path)) }
        if !disagree.isEmpty { warnings.append(.goldDisagrees(count: disagree.count, examples: Array(disagree.prefix(3)), split: split)) }
        return (predictions, warnings)
    }

    /// Breakdown and shown fields: the file's own value, else the prepared record's.
    static func fields(_ l: ImportedLine, _ record: Record?, _ keep: [String]) -> [String: String] {
        var fields: [String: String] = [:]
        for f in keep { if let x = l.value[f]?.scalarText ?? record?.fields[f] { fields[f] = x } }
        return fields
    }
}
