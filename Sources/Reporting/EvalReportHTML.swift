import Evaluation
import Support

/// The single-file HTML report of a run: metrics with intervals, per-class table, confusion heatmaps
/// for the label and every breakdown field, loss curves, misclassified items, metadata.
public enum EvalReportHTML {
    /// At most this many misclassified items are listed (the count of all is shown).
    public static let itemLimit = 1000

    public static func render(_ r: RunReport) -> String {
        var b = "<h1>\(HTML.escape(r.title))</h1><p class=\"muted\">\(HTML.escape(r.run.kind.rawValue)) run, \(r.predictions.count) items, \(HTML.escape(r.run.startedAt))</p>"
        b += summary(r)
        if let m = r.metrics {
            b += "<h2>Per class</h2>" + perClass(m)
            b += "<h2>Confusion matrix</h2><p class=\"muted\">Rows: gold label. Columns: predicted label. Shading: share of the row.</p>"
            b += heatmap(rowsTitle: "gold \\ predicted", rows: r.confusion.labels, columns: r.confusion.labels, counts: r.confusion.counts)
        }
        if r.metrics != nil { b += CalibrationHTML.section(r.calibration) }
        if let g = r.grades { b += GradesHTML.section(g) }
        for bd in r.breakdowns { b += breakdown(bd, labels: r.labels) }
        b += curves(r)
        b += misclassified(r)
        b += "<h2>Run</h2>" + HTML.table(["setting", "value"], r.metadata.map { [HTML.escape($0.0), HTML.escape($0.1)] }, classes: "items")
        return HTML.page(title: r.title, body: b, script: filterScript)
    }

    static func summary(_ r: RunReport) -> String {
        guard let m = r.metrics else {
            return "<div class=\"cards\">" + r.predictedCounts.map { "<div class=\"card\">predicted \(HTML.escape($0.label))<b>\($0.count)</b>\(HTML.pct(Double($0.count) / Double(r.predictions.count)))</div>" }.joined()
                + "</div><p class=\"muted\">No gold labels: the predicted distribution only.</p>"
        }
        let ci = m.accuracyInterval
        return "<div class=\"cards\">"
            + "<div class=\"card\">accuracy<b>\(HTML.pct(m.accuracy))</b>95% CI \(HTML.pct(ci.low))–\(HTML.pct(ci.high))</div>"
            + "<div class=\"card\">macro F1<b>\(HTML.num(m.macro.f1))</b>weighted \(HTML.num(m.weighted.f1))</div>"
            + "<div class=\"card\">items<b>\(m.total)</b>\(m.correct) correct</div></div>"
    }

    static func perClass(_ m: ClassificationReport) -> String {
        let rows = (m.rows + [m.macro, m.weighted]).map { row in
            [HTML.escape(row.label), HTML.num(row.precision), HTML.num(row.recall), HTML.num(row.f1), String(row.support)]
        }
        return HTML.table(["label", "precision", "recall", "F1", "support"], rows)
    }

    /// A table shaded by each cell's share of its row: blue on the diagonal (or everywhere when `neutral`), red off it.
    static func heatmap(rowsTitle: String, rows: [String], columns: [String], counts: [[Int]], extra: [[String]] = [], extraHeader: [String] = [],
                        neutral: Bool = false) -> String {
        var s = "<div class=\"scroll\"><table class=\"heat\"><thead><tr><th>\(HTML.escape(rowsTitle))</th>"
        s += columns.map { "<th>\(HTML.escape($0))</th>" }.joined() + extraHeader.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
        for (i, row) in rows.enumerated() {
            let total = max(1, counts[i].reduce(0, +))
            s += "<tr><td>\(HTML.escape(row))</td>"
            for (j, c) in counts[i].enumerated() {
                let share = Double(c) / Double(total)
                let diagonal = neutral || (j < rows.count && columns[j] == row)
                let color = diagonal ? "36,84,197" : "179,38,30"
                let ink = share > 0.55 ? "#fff" : "inherit"
                s += "<td class=\"cell\" style=\"background:rgba(\(color),\(Format.number(share * 0.85, digits: 2)));color:\(ink)\" title=\"\(HTML.pct(share)) of row\">\(c)</td>"
            }
            if i < extra.count { s += extra[i].map { "<td>\($0)</td>" }.joined() }
            s += "</tr>"
        }
        return s + "</tbody></table></div>"
    }

    static func breakdown(_ bd: Breakdown, labels: [String]) -> String {
        var s = "<h2>By \(HTML.escape(bd.field))</h2><p class=\"muted\">Rows: \(HTML.escape(bd.field)). Columns: how items of that group were predicted"
            + " (the share predicted as a label is its detection rate in the group). Accuracy against gold.</p>"
        let counts = bd.groups.map { g in labels.map { g.predicted[$0] ?? 0 } }
        let extra = bd.groups.map { g -> [String] in
            [String(g.count), g.count > 0 ? HTML.pct(g.accuracy) : "-"]
        }
        s += heatmap(rowsTitle: bd.field, rows: bd.groups.map(\.value), columns: labels.map { "→ " + $0 }, counts: counts, extra: extra, extraHeader: ["labeled", "accuracy"], neutral: true)
        return s
    }

    /// Every series of the attached log (`TrainingCurves` groups them into charts).
    static func curves(_ r: RunReport) -> String {
        guard !r.curves.isEmpty else { return "<h2>Training</h2><p class=\"muted\">No training log attached (<code>eval attach-log \(r.run.name) trainer_state.json</code>).</p>" }
        return "<h2>Training</h2>" + TrainingCurves.html(r.curves)
    }

    static func misclassified(_ r: RunReport) -> String {
        if r.metrics == nil {
            let header = ["id"] + r.show.map { HTML.escape($0) } + ["predicted"] + (r.hasAnswers ? ["answer"] : []) + ["scores"]
            return "<h2>Predictions</h2>" + HTML.table(header, r.predictions.prefix(itemLimit).map { p in
                [HTML.escape(p.id)] + r.show.map { HTML.escape(p.fields[$0] ?? "") } + [HTML.escape(p.predicted)]
                    + (r.hasAnswers ? [HTML.escape(RunReport.quoted(p.answer))] : [])
                    + [p.scores.sorted { $0.key < $1.key }.map { "\(HTML.escape($0.key)) \(HTML.num($0.value))" }.joined(separator: "<br>")]
            }, classes: "items")
        }
        let wrong = r.predictions.filter { $0.gold != nil && !$0.isCorrect }
        guard !wrong.isEmpty else { return "<h2>Misclassified items</h2><p>None.</p>" }
        let filterField = r.breakdowns.first?.field
        var s = "<h2>Misclassified items (\(wrong.count))</h2>"
        if let f = filterField {
            let values = Array(Set(wrong.compactMap { $0.fields[f] })).sorted()
            s += "<p>Show \(HTML.escape(f)): <select id=\"filter\"><option value=\"\">all</option>"
                + values.map { "<option>\(HTML.escape($0))</option>" }.joined() + "</select></p>"
        }
        if wrong.count > itemLimit { s += "<p class=\"muted\">The first \(itemLimit) of \(wrong.count), by id.</p>" }
        let fields = r.show + r.breakdowns.map(\.field).filter { !r.show.contains($0) }
        let header = ["id"] + fields.map { HTML.escape($0) } + ["gold", "predicted"] + (r.hasAnswers ? ["answer"] : []) + ["scores"]
        var rows = "<table class=\"items\" id=\"items\"><thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
        for p in wrong.prefix(itemLimit) {
            let key = filterField.flatMap { p.fields[$0] } ?? ""
            let scores = p.scores.sorted { $0.key < $1.key }.map { "\(HTML.escape($0.key)) \(HTML.num($0.value))" }.joined(separator: "<br>")
            rows += "<tr data-group=\"\(HTML.escape(key))\"><td>\(HTML.escape(p.id))</td>"
                + fields.map { "<td>\(HTML.escape(p.fields[$0] ?? ""))</td>" }.joined()
                + "<td>\(HTML.escape(p.gold ?? ""))</td><td class=\"bad\">\(HTML.escape(p.predicted))</td>"
                + (r.hasAnswers ? "<td class=\"answer\">\(HTML.escape(RunReport.quoted(p.answer)))</td>" : "") + "<td>\(scores)</td></tr>"
        }
        return s + rows + "</tbody></table>"
    }

    static let filterScript = """
    var f=document.getElementById('filter');if(f){f.addEventListener('change',function(){var v=f.value;
    document.querySelectorAll('#items tbody tr').forEach(function(r){r.style.display=(!v||r.dataset.group===v)?'':'none';});});}
    """
}
