import Evaluation
import Support

/// `eval compare`: two runs' metrics side by side and the items whose prediction changed.
public enum CompareReportHTML {
    public static func render(_ a: RunReport, _ b: RunReport) -> String {
        var s = "<h1>\(HTML.escape(a.run.name)) vs \(HTML.escape(b.run.name))</h1><p class=\"muted\">\(HTML.escape(a.run.specName ?? "")) · \(HTML.escape(a.title)) / \(HTML.escape(b.title))</p>"
        func row(_ name: String, _ x: Double?, _ y: Double?) -> [String] {
            let d = (x != nil && y != nil) ? y! - x! : nil
            return [name, x.map { HTML.num($0, 4) } ?? "-", y.map { HTML.num($0, 4) } ?? "-",
                    d.map { "<span class=\"\($0 < 0 ? "bad" : "good")\">\($0 >= 0 ? "+" : "")\(HTML.num($0, 4))</span>" } ?? "-"]
        }
        var rows = [row("accuracy", a.metrics?.accuracy, b.metrics?.accuracy), row("macro F1", a.metrics?.macro.f1, b.metrics?.macro.f1),
                    row("weighted F1", a.metrics?.weighted.f1, b.metrics?.weighted.f1)]
        for label in Set(a.labels + b.labels).sorted() {
            rows.append(row("recall \(HTML.escape(label))", a.metrics?.rows.first { $0.label == label }?.recall, b.metrics?.rows.first { $0.label == label }?.recall))
        }
        s += "<h2>Metrics</h2>" + HTML.table(["metric", HTML.escape(a.run.name), HTML.escape(b.run.name), "change"], rows)
        let byID = Dictionary(b.predictions.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let changed = a.predictions.compactMap { p -> (Prediction, Prediction)? in
            guard let q = byID[p.id], q.predicted != p.predicted else { return nil }
            return (p, q)
        }
        let fixed = changed.filter { $0.1.isCorrect }.count, broken = changed.filter { $0.0.isCorrect }.count
        s += "<h2>Changed predictions (\(changed.count): \(fixed) fixed, \(broken) broken)</h2>"
        let show = a.show
        s += HTML.table(["id"] + show.map(HTML.escape) + ["gold", HTML.escape(a.run.name), HTML.escape(b.run.name)],
                        changed.prefix(EvalReportHTML.itemLimit).map { p, q in
                            [HTML.escape(p.id)] + show.map { HTML.escape(p.fields[$0] ?? "") }
                                + [HTML.escape(p.gold ?? ""), cls(p), cls(q)]
                        }, classes: "items")
        return HTML.page(title: "\(a.run.name) vs \(b.run.name)", body: s)
    }

    static func cls(_ p: Prediction) -> String {
        p.gold == nil ? HTML.escape(p.predicted) : "<span class=\"\(p.isCorrect ? "good" : "bad")\">\(HTML.escape(p.predicted))</span>"
    }
}
