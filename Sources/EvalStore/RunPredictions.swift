import Evaluation
import JSON
import Store

/// Converting between stored prediction rows and `Prediction`s.
///
/// ```swift
/// try store.savePredictions(run: run, predictions.map(RunPredictions.stored))
/// let back = try RunPredictions.load(store, run: run)
/// ```
public enum RunPredictions {
    /// Every prediction of a run, with its scores and fields. - throws: `StoreError`.
    public static func load(_ store: RunStore, run: Int) throws -> [Prediction] {
        try store.predictions(run: run).map { row in
            var scores: [String: Double] = [:]
            if case let .object(m) = row.scores { for (k, v) in m { if let d = v.scalarText.flatMap(Double.init) { scores[k] = d } } }
            var fields: [String: String] = [:]
            if case let .object(m) = row.fields { for (k, v) in m { if let s = v.scalarText { fields[k] = s } } }
            return Prediction(id: row.itemID, gold: row.gold, predicted: row.predicted ?? "", scores: scores, fields: fields)
        }
    }

    /// Predictions with labels only (no scores, no fields): enough for `eval check`, and several
    /// times faster to read for a large run. - throws: `StoreError`.
    public static func loadLabels(_ store: RunStore, run: Int) throws -> [Prediction] {
        try store.predictedLabels(run: run).map { Prediction(id: $0.itemID, gold: $0.gold, predicted: $0.predicted ?? "") }
    }

    /// The row for a prediction: scores and fields sorted by key, a non-finite score stored as 0.
    public static func stored(_ p: Prediction) -> StoredPrediction {
        StoredPrediction(itemID: p.id, gold: p.gold, predicted: p.predicted,
                         scores: .object(p.scores.sorted { $0.key < $1.key }.map { ($0.key, .number(formatScore($0.value))) }),
                         fields: .object(p.fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }

    static func formatScore(_ x: Double) -> String { x.isFinite ? "\(x)" : "0" }
}
