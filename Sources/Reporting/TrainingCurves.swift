import Foundation

/// How a report draws an attached training log: every series the log holds (every numeric key
/// of a trainer_state.json `log_history`, a JSONL log or a CSV log), grouped into charts.
/// - "Loss": `loss` and every `*_loss` series (`eval_loss`, `eval_<dataset>_loss`), on one chart.
/// - "Learning rate" and "Gradient norm", as Trainer logs them.
/// - One small chart per other series (`eval_macro_f1`, `eval_rouge-1`, `mean_token_accuracy`,
///   any custom metric), `eval_*` first, each by its key.
/// - Bookkeeping (`*_runtime`, `*_per_second`, `total_flos`, `num_input_tokens_seen`) and the
///   final summary's `train_loss` are not curves: a table lists them.
public enum TrainingCurves {
    public struct Chart {
        public let title: String
        /// Series keys, in legend order.
        public let keys: [String]
    }

    /// The charts for a log's keys, and the keys listed in the table instead.
    public static func layout(_ keys: [String]) -> (charts: [Chart], table: [String]) {
        let keys = Array(Set(keys)).sorted()
        let table = keys.filter(isBookkeeping)
        let curves = keys.filter { !isBookkeeping($0) }
        let losses = curves.filter(isLoss).sorted { rank($0) < rank($1) }
        var charts: [Chart] = []
        if !losses.isEmpty { charts.append(Chart(title: "Loss", keys: losses)) }
        if curves.contains("learning_rate") { charts.append(Chart(title: "Learning rate", keys: ["learning_rate"])) }
        if curves.contains("grad_norm") { charts.append(Chart(title: "Gradient norm", keys: ["grad_norm"])) }
        let rest = curves.filter { !isLoss($0) && $0 != "learning_rate" && $0 != "grad_norm" }
        for key in rest.filter({ $0.hasPrefix("eval_") }) + rest.filter({ !$0.hasPrefix("eval_") }) {
            charts.append(Chart(title: key, keys: [key]))
        }
        return (charts, table)
    }

    static func isLoss(_ key: String) -> Bool { key == "loss" || key.hasSuffix("_loss") }

    /// Trainer's speed and size counters, and the run summary's average loss.
    static func isBookkeeping(_ key: String) -> Bool {
        key == "train_loss" || key == "total_flos" || key == "num_input_tokens_seen"
            || key.hasSuffix("_runtime") || key.hasSuffix("_per_second")
    }

    private static func rank(_ key: String) -> (Int, String) { (key == "loss" ? 0 : key == "eval_loss" ? 1 : 2, key) }

    static let palette = ["#2454c5", "#d9822b", "#1b7f3b", "#7b3fb5", "#b3261e", "#0f7c86", "#8a6d00", "#c2185b"]

    /// The report's training section: the charts (inline SVG) and the bookkeeping table.
    public static func html(_ curves: [String: [(step: Double, value: Double)]]) -> Markup {
        let (charts, table) = layout(Array(curves.keys))
        var s = Markup.empty
        for (n, chart) in charts.enumerated() {
            let series = chart.keys.enumerated().map { i, key in
                LineChart.Series(name: key, points: curves[key]!.map { ($0.step, $0.value) },
                                 color: palette[(chart.keys.count > 1 ? i : n) % palette.count])
            }
            var c = LineChart(title: chart.title, xLabel: "step", series: series)
            if chart.keys.count == 1 && !["Learning rate", "Gradient norm"].contains(chart.title) { c.width = 400; c.height = 220 }
            s += c.svg() + " "
        }
        if !table.isEmpty {
            s += "<p class=\"muted\">Also logged (not curves):</p>" + Markup.table(header: ["key", "points", "step", "last", "min", "max"], rows: table.map { key in
                let pts = curves[key]!.sorted { $0.step < $1.step }
                let values = pts.map(\.value)
                return Markup.cells([key, String(pts.count), number(pts.last!.step), number(values.last!), number(values.min()!), number(values.max()!)])
            })
        }
        return s
    }

    static func number(_ v: Double) -> String { String(format: "%.4g", v) }
}
