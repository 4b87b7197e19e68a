import EvalStore
import Evaluation
import JSON
import Store
import Support

/// Everything a report shows about one run, gathered from the store once.
public struct RunReport {
    public let run: RunInfo
    public let predictions: [Prediction]
    public let labels: [String]
    /// Nil when no item is labeled (then only the predicted distribution is shown).
    public let metrics: ClassificationReport?
    public let confusion: Confusion
    /// ECE, Brier score and reliability bins; nil without stored choice scores.
    public let calibration: Calibration?
    public let breakdowns: [Breakdown]
    public let predictedCounts: [(label: String, count: Int)]
    public let curves: [String: [(step: Double, value: Double)]]
    public let show: [String]
    /// Whether the run kept generated answers (`mode: generate`): item lists then show them beside
    /// the label. Computed once: the item lists ask for every row.
    public let hasAnswers: Bool
    /// People's grades (`eval import-grades`); nil when the run has none.
    public let grades: HumanGrades?

    /// - throws: `StoreError.unknownRun`, or `EvalRunError`-like text when the run has no predictions.
    public init(store: RunStore, run id: Int) throws {
        run = try store.run(id)
        predictions = try RunPredictions.load(store, run: id)
        guard !predictions.isEmpty else { throw ReportError.noPredictions(run: run.name, kind: run.kind, status: run.status) }
        labels = Array(Set(predictions.compactMap(\.gold) + predictions.map(\.predicted))).sorted()
        metrics = try? ClassificationReport(predictions, labels: labels)
        confusion = Confusion(predictions, labels: labels)
        calibration = Calibration(predictions, labels: labels)
        hasAnswers = predictions.contains { $0.answer != nil }
        let fields: [String]
        if case let .array(b)? = run.settings["breakdown"] { fields = b.compactMap(\.scalarText) } else { fields = [] }
        let (all, labelSet) = (predictions, labels)
        breakdowns = fields.map { Breakdown(field: $0, predictions: all, labels: labelSet) }
        if case let .array(s)? = run.settings["show"] { show = s.compactMap(\.scalarText) } else { show = [] }
        var counts: [String: Int] = [:]
        for p in predictions { counts[p.predicted, default: 0] += 1 }
        predictedCounts = counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var curves: [String: [(Double, Double)]] = [:]
        for p in try store.logPoints(run: id) { curves[p.key, default: []].append((p.step, p.value)) }
        self.curves = curves
        grades = try HumanGrades.load(store, run: id, predictions: predictions,
                                      generate: hasAnswers || run.settings["mode"]?.scalarText == "generate")
    }

    public var title: String { "\(run.specName ?? "run") · \(run.name)" }


    /// A generated answer in quotes, so that leading and trailing spaces show; "" when there is none.
    public static func quoted(_ answer: String?) -> String { answer.map { "“\($0)”" } ?? "" }

    /// Settings worth showing, in a fixed order.
    public var metadata: [(String, String)] {
        var rows: [(String, String)] = [("run", run.name), ("kind", run.kind.rawValue), ("status", run.status.rawValue), ("spec", run.specPath ?? "-"),
                                        ("spec digest", String((run.specDigest ?? "-").prefix(16))), ("started", run.startedAt),
                                        ("time taken", run.seconds.map { Format.duration($0) } ?? "-")]
        if case let .object(m) = run.settings {
            for (k, v) in m where !["identity", "breakdown", "show"].contains(k) {
                let value = v.scalarText ?? JSONWriter.serialize(v)
                rows.append((k.replacingOccurrences(of: "_", with: " "), k == "prep_run" ? "run-" + value : value))
            }
        }
        return rows
    }
}

/// Errors of report commands.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case noPredictions(run: String, kind: RunKind, status: RunStatus)
    /// `prep report` on a run that is not a prep run.
    case notPrepRun(run: String, kind: RunKind)
    case unknownField(String, option: String, run: String, known: [String])
    /// A prep run's file was rewritten since (by `by`, when the store knows which run).
    case outputsReplaced(run: String, path: String, by: String?, spec: String?)
    /// A prep run's file is gone.
    case outputsMissing(run: String, path: String)

    public var description: String {
        switch self {
        case let .noPredictions(run, kind, status):
            switch kind {
            case .score:
                return "\(run) (score, \(status)) holds no predictions yet: it stopped before scoring anything (`bin/eval runs` shows why; the same `eval score` command resumes it)"
            case .import, .ensemble:
                return "\(run) (\(kind), \(status)) holds no predictions: it stopped before storing any; run the `eval \(kind)` command again"
            case .prep:
                return "\(run) is a \(kind) run (\(status)); reports are for runs made by `eval score`, `eval import` or `eval ensemble`"
            }
        case let .notPrepRun(run, kind):
            return "\(run) is a\(kind.rawValue.first.map { "aeiou".contains($0) } == true ? "n" : "") \(kind) run; `prep report` shows prep runs (`bin/eval report \(run)` shows this one)"
        case let .unknownField(f, option, run, known):
            return "\(run)'s records have no field '\(f)'" + (Suggestions.closest(to: f, among: known).map { "; did you mean '\($0)'?" } ?? "")
                + " (fields: \(known.joined(separator: ", "))); choose one with \(option)"
        case let .outputsReplaced(run, path, by, spec):
            if let by {
                return "\(run)'s outputs were replaced by \(by)" + (spec.map { " (from \($0))" } ?? "") + ": \(path) now holds \(by)'s data. "
                    + "Report \(by) instead, or run \(run)'s spec again"
            }
            return "\(run)'s output \(path) was changed after the run (its digest differs); run the spec again to report it"
        case let .outputsMissing(run, path):
            return "\(run)'s output \(path) is gone (a later run or a person removed it); run the spec again to report it"
        }
    }
}
