import EvalStore
import Evaluation
import HarnessSpec
import Records
import Store
import Support

/// What grading a run needs: the run, its predictions, the spec's `eval:` section with its `grading:`,
/// and (when the spec's prepared split is still the one the run was scored on) the split's records,
/// which give each item's prompt and category.
public struct GradingContext {
    public let run: RunInfo
    public let eval: EvalSpec
    public let grading: EvalSpec.Grading
    public let predictions: [Prediction]
    /// The prepared split's records by id; nil when the split cannot be read (see `preparedError`).
    public let records: [String: Record]?
    /// Why the prepared split could not be read.
    public let preparedError: (any Error)?

    /// Loads the run (one of `RunKind.evalKinds`) and the spec: `specPath`, else the one the run recorded.
    /// - throws: `StoreError` for a bad run, `GradingError.noSpec` / `.noGrading`, `SpecError`.
    public init(store: RunStore, run id: Int, specPath: String?) throws {
        run = try store.run(id)
        guard let path = specPath ?? run.specPath else { throw GradingError.noSpec(run: run.name, detail: "the run records no spec") }
        guard FileSystem.exists(path) else {
            throw GradingError.noSpec(run: run.name, detail: "its spec \(path) is gone" + (specPath == nil ? "" : " (given by --spec)"))
        }
        let spec = try SpecLoader.load(path: path)
        eval = try EvalSpec.parse(spec, fields: spec.fieldNames + ["instruction", "input", "output", "variant"])
        guard let grading = eval.grading else { throw GradingError.noGrading(spec: path) }
        self.grading = grading
        predictions = try RunPredictions.load(store, run: id)
        let split = run.settings["split"]?.scalarText ?? eval.split
        do {
            let prepared = try PreparedSplit.load(store: store, spec: spec, split: split)
            records = Dictionary(prepared.records.map { ($0.fields["id"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            preparedError = nil
        } catch let e as EvalRunError {
            records = nil
            preparedError = e
        }
    }

    /// The item's value of the grading category field: stored with the prediction (a breakdown or show
    /// field), else from the prepared split.
    public func category(of p: Prediction) -> String? {
        guard let field = grading.category else { return nil }
        return p.fields[field] ?? records?[p.id]?.fields[field]
    }

    /// The item's prompt as the spec renders it (without any few-shot examples); nil without the split.
    public func prompt(of p: Prediction) -> String? {
        records?[p.id].map { r in eval.prompt.render { r.fields[$0] } }
    }

    /// What the model said: the generated answer (generate mode), else the chosen label.
    public static func output(of p: Prediction) -> String { p.answer ?? p.predicted }
}
