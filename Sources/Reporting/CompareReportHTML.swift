import Evaluation
import Support

/// `eval compare`: two runs' metrics side by side and the items whose prediction changed.
public enum CompareReportHTML {
    public static func render(_ a: RunReport, _ b: RunReport) -> String {
        var s: Markup = "<h1>\(a.run.name) vs \(b.run.name)</h1><p class=\"muted\">\(a.run.specName ?? "") · \(a.title) / \(b.title)</p>"
        func row(_ name: String, _ x: Double?, _ y: Double?) -> [Markup] {
            let d = (x != nil && y != nil) ? y! - x! : nil
            let change: Markup = d.map { "<span class=\"\($0 < 0 ? "bad" : "good")\">\($0 >= 0 ? "+" : "")\(HTML.num($0, 4))</span>" } ?? "-"
            return Markup.cells([name, x.map { HTML.num($0, 4) } ?? "-", y.map { HTML.num($0, 4) } ?? "-"]) + [change]
        }
        var rows = [row("accuracy", a.metrics?.accuracy, b.metrics?.accuracy), row("macro F1", a.metrics?.macro.f1, b.metrics?.macro.f1),
                    row("weighted F1", a.metrics?.weighted.f1, b.metrics?.weighted.f1)]
        for label in Set(a.labels + b.labels).sorted() {
            rows.append(row("recall \(label)", a.metrics?.rows.first { $0.label == label }?.recall, b.metrics?.rows.first { $0.label == label }?.recall))
        }
        s += "<h2>Metrics</h2>" + Markup.table(header: ["metric"] + Markup.cells([a.run.name, b.run.name]) + ["change"], rows: rows)
        let byID = Dictionary(b.predictions.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let changed = a.predictions.compactMap { p -> (Prediction, Prediction)? in
            guard let q = byID[p.id], q.predicted != p.predicted else { return nil }
            return (p, q)
        }
        let fixed = changed.filter { $0.1.isCorrect }.count, broken = changed.filter { $0.0.isCorrect }.count
        s += "<h2>Changed predictions (\(changed.count): \(fixed) fixed, \(broken) broken)</h2>"
        let show = a.show
        let header: [Markup] = ["id"] + Markup.cells(show + ["gold", a.run.name, b.run.name])
        s += Markup.table(header: header, rows: changed.prefix(EvalReportHTML.itemLimit).map { p, q in
            Markup.cells([p.id] + show.map { p.fields[$0] ?? "" } + [p.gold ?? ""]) + [cls(p), cls(q)]
        }, classes: "items")
        return HTML.page(title: "\(a.run.name) vs \(b.run.name)", body: s)
    }

    static func cls(_ p: Prediction) -> Markup {
        p.gold == nil ? Markup(text: p.predicted) : "<span class=\"\(p.isCorrect ? "good" : "bad")\">\(p.predicted)</span>"
    }
}
