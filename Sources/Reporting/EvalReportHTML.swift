import Evaluation
import Support

/// The single-file HTML report of a run: metrics with intervals, per-class table, confusion heatmaps
/// for the label and every breakdown field, loss curves, misclassified items, metadata.
public enum EvalReportHTML {
    /// At most this many misclassified items are listed (the count of all is shown).
    public static let itemLimit = 1000

    public static func render(_ r: RunReport) -> String {
        var b: Markup = "<h1>\(r.title)</h1><p class=\"muted\">\(r.run.kind.rawValue) run, \(r.predictions.count) items, \(r.run.startedAt)</p>"
        b += summary(r)
        if let m = r.metrics {
            b += "<h2>Per class</h2>\(perClass(m))"
            b += "<h2>Confusion matrix</h2><p class=\"muted\">Rows: gold label. Columns: predicted label. Shading: share of the row.</p>"
            b += heatmap(rowsTitle: "gold \\ predicted", rows: r.confusion.labels, columns: r.confusion.labels, counts: r.confusion.counts)
        }
        if r.metrics != nil { b += CalibrationHTML.section(r.calibration) }
        if let g = r.grades { b += GradesHTML.section(g) }
        for bd in r.breakdowns { b += breakdown(bd, labels: r.labels) }
        b += curves(r)
        b += misclassified(r)
        b += "<h2>Run</h2>" + Markup.table(header: ["setting", "value"], rows: r.metadata.map { Markup.cells([$0.0, $0.1]) }, classes: "items")
        return HTML.page(title: r.title, body: b, script: Markup(trusted: filterScript))
    }

    static func summary(_ r: RunReport) -> Markup {
        guard let m = r.metrics else {
            let cards = r.predictedCounts.map { c -> Markup in
                "<div class=\"card\">predicted \(c.label)<b>\(c.count)</b>\(HTML.pct(Double(c.count) / Double(r.predictions.count)))</div>"
            }
            return "<div class=\"cards\">\(cards.joined())</div><p class=\"muted\">No gold labels: the predicted distribution only.</p>"
        }
        let ci = m.accuracyInterval
        return "<div class=\"cards\">"
            + "<div class=\"card\">accuracy<b>\(HTML.pct(m.accuracy))</b>95% CI \(HTML.pct(ci.low))–\(HTML.pct(ci.high))</div>"
            + "<div class=\"card\">macro F1<b>\(HTML.num(m.macro.f1))</b>weighted \(HTML.num(m.weighted.f1))</div>"
            + "<div class=\"card\">items<b>\(m.total)</b>\(m.correct) correct</div></div>"
    }

    static func perClass(_ m: ClassificationReport) -> Markup {
        let rows = (m.rows + [m.macro, m.weighted]).map { row in
            Markup.cells([row.label, HTML.num(row.precision), HTML.num(row.recall), HTML.num(row.f1), String(row.support)])
        }
        return Markup.table(header: ["label", "precision", "recall", "F1", "support"], rows: rows)
    }

    /// A table shaded by each cell's share of its row: blue on the diagonal (or everywhere when `neutral`), red off it.
    static func heatmap(rowsTitle: String, rows: [String], columns: [String], counts: [[Int]], extra: [[Markup]] = [], extraHeader: [Markup] = [],
                        neutral: Bool = false) -> Markup {
        let head = columns.map { c -> Markup in "<th>\(c)</th>" }.joined() + extraHeader.map { h -> Markup in "<th>\(h)</th>" }.joined()
        var s: Markup = "<div class=\"scroll\"><table class=\"heat\"><thead><tr><th>\(rowsTitle)</th>\(head)</tr></thead><tbody>"
        for (i, row) in rows.enumerated() {
            let total = max(1, counts[i].reduce(0, +))
            s += "<tr><td>\(row)</td>"
            for (j, c) in counts[i].enumerated() {
                let share = Double(c) / Double(total)
                let diagonal = neutral || (j < rows.count && columns[j] == row)
                let color = diagonal ? "36,84,197" : "179,38,30"
                let ink = share > 0.55 ? "#fff" : "inherit"
                let style = "background:rgba(\(color),\(Format.number(share * 0.85, digits: 2)));color:\(ink)"
                s += Markup.element("td", ["class": "cell", "style": style, "title": "\(HTML.pct(share)) of row"], "\(c)")
            }
            if i < extra.count { s += extra[i].map { e -> Markup in "<td>\(e)</td>" }.joined() }
            s += "</tr>"
        }
        return s + "</tbody></table></div>"
    }

    static func breakdown(_ bd: Breakdown, labels: [String]) -> Markup {
        var s: Markup = "<h2>By \(bd.field)</h2><p class=\"muted\">Rows: \(bd.field). Columns: how items of that group were predicted"
            + " (the share predicted as a label is its detection rate in the group). Accuracy against gold.</p>"
        let counts = bd.groups.map { g in labels.map { g.predicted[$0] ?? 0 } }
        let extra = bd.groups.map { g -> [Markup] in
            Markup.cells([String(g.count), g.count > 0 ? HTML.pct(g.accuracy) : "-"])
        }
        s += heatmap(rowsTitle: bd.field, rows: bd.groups.map(\.value), columns: labels.map { "→ " + $0 }, counts: counts, extra: extra,
                     extraHeader: ["labeled", "accuracy"], neutral: true)
        return s
    }

    /// Every series of the attached log (`TrainingCurves` groups them into charts).
    static func curves(_ r: RunReport) -> Markup {
        guard !r.curves.isEmpty else {
            return "<h2>Training</h2><p class=\"muted\">No training log attached (<code>eval attach-log \(r.run.name) trainer_state.json</code>).</p>"
        }
        return "<h2>Training</h2>" + TrainingCurves.html(r.curves)
    }

    /// The item's scores, one `label score` per line.
    static func scores(_ p: Prediction) -> Markup {
        p.scores.sorted { $0.key < $1.key }.map { s -> Markup in "\(s.key) \(HTML.num(s.value))" }.joined(separator: "<br>")
    }

    static func misclassified(_ r: RunReport) -> Markup {
        if r.metrics == nil {
            let header: [Markup] = ["id"] + Markup.cells(r.show) + ["predicted"] + (r.hasAnswers ? ["answer"] : []) + ["scores"]
            let rows = r.predictions.prefix(itemLimit).map { p -> [Markup] in
                Markup.cells([p.id] + r.show.map { p.fields[$0] ?? "" } + [p.predicted] + (r.hasAnswers ? [RunReport.quoted(p.answer)] : []))
                    + [scores(p)]
            }
            return "<h2>Predictions</h2>" + Markup.table(header: header, rows: rows, classes: "items")
        }
        let wrong = r.predictions.filter { $0.gold != nil && !$0.isCorrect }
        guard !wrong.isEmpty else { return "<h2>Misclassified items</h2><p>None.</p>" }
        let filterField = r.breakdowns.first?.field
        var s: Markup = "<h2>Misclassified items (\(wrong.count))</h2>"
        if let f = filterField {
            let values = Array(Set(wrong.compactMap { $0.fields[f] })).sorted()
            let options = values.map { v -> Markup in "<option>\(v)</option>" }.joined()
            s += "<p>Show \(f): <select id=\"filter\"><option value=\"\">all</option>\(options)</select></p>"
        }
        if wrong.count > itemLimit { s += "<p class=\"muted\">The first \(itemLimit) of \(wrong.count), by id.</p>" }
        let fields = r.show + r.breakdowns.map(\.field).filter { !r.show.contains($0) }
        let header: [Markup] = ["id"] + Markup.cells(fields) + ["gold", "predicted"] + (r.hasAnswers ? ["answer"] : []) + ["scores"]
        s += "<table class=\"items\" id=\"items\"><thead><tr>\(header.map { h -> Markup in "<th>\(h)</th>" }.joined())</tr></thead><tbody>"
        for p in wrong.prefix(itemLimit) {
            let key = filterField.flatMap { p.fields[$0] } ?? ""
            let cells = fields.map { f -> Markup in "<td>\(p.fields[f] ?? "")</td>" }.joined()
            let answer: Markup = r.hasAnswers ? "<td class=\"answer\">\(RunReport.quoted(p.answer))</td>" : .empty
            s += "<tr data-group=\"\(key)\"><td>\(p.id)</td>\(cells)<td>\(p.gold ?? "")</td><td class=\"bad\">\(p.predicted)</td>\(answer)<td>\(scores(p))</td></tr>"
        }
        return s + "</tbody></table>"
    }

    static let filterScript: StaticString = """
    var f=document.getElementById('filter');if(f){f.addEventListener('change',function(){var v=f.value;
    document.querySelectorAll('#items tbody tr').forEach(function(r){r.style.display=(!v||r.dataset.group===v)?'':'none';});});}
    """
}
