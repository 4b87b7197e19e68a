import Evaluation
import Support

/// The human-grades section of a run report: mean grade per criterion and category with 95%
/// intervals, agreement between graders (Cohen's kappa), and agreement with the automatic label.
enum GradesHTML {
    static func section(_ g: HumanGrades) -> Markup {
        let scale = g.setup.scale.map { "\($0)" }.joined(separator: ", ")
        var s: Markup = "<h2>Human grades</h2><div class=\"cards\">"
            + "<div class=\"card\">graders<b>\(g.graders.count)</b>\(g.graders.joined(separator: ", "))</div>"
            + "<div class=\"card\">items graded<b>\(g.items)</b>on a scale of \(scale)</div></div>"
        s += "<p class=\"muted\">An item's grade is the mean of its graders' grades; each cell is the mean over items with a 95% "
            + "Student-t interval, clipped to the scale, and the number of items (no interval under two).</p>"
        s += Markup.table(header: Markup.cells([g.setup.category ?? "items"] + g.setup.criteria), rows: GradesText.matrix(g).map { row in
            Markup.cells([row.name] + row.cells.map { $0.map(GradesText.cell) ?? "-" })
        })
        s += agreement(g)
        if let l = g.labels { s += labels(l) }
        return s
    }

    static func agreement(_ g: HumanGrades) -> Markup {
        guard !g.agreement.isEmpty else {
            return "<p class=\"muted\">\(g.graders.count == 1 ? "One grader" : "No two graders graded the same items"): no agreement between graders to measure.</p>"
        }
        var s: Markup = "<h3>Agreement between graders</h3><p class=\"muted\">On the items both graded. Cohen's kappa: 1 is full agreement, "
            + "0 what chance gives; the quadratic-weighted kappa counts a disagreement by its distance on the scale squared.</p>"
        s += Markup.table(header: ["criterion", "graders", "items", "same grade", "kappa", "quadratic kappa"], rows: g.agreement.map { a in
            Markup.cells([a.criterion, "\(a.graders.0) · \(a.graders.1)", String(a.items), HTML.pct(a.exact),
                          a.kappa.map { HTML.num($0) } ?? "-", a.quadraticKappa.map { HTML.num($0) } ?? "-"])
        })
        return s
    }

    static func labels(_ l: LabelAgreement) -> Markup {
        let ci = l.interval
        var s: Markup = "<h3>Grades against the automatic label</h3><div class=\"cards\">"
            + "<div class=\"card\">agreement<b>\(HTML.pct(l.agreement))</b>95% CI \(HTML.pct(ci.low))–\(HTML.pct(ci.high))</div>"
            + "<div class=\"card\">kappa<b>\(l.kappa.map { HTML.num($0) } ?? "-")</b>\(l.items) labeled, graded items</div></div>"
        s += "<p class=\"muted\">An answer is accepted when its '\(l.criterion)' grade is above the lowest grade of the scale, "
            + "and counted correct when the label it was mapped to is the gold label. Agreement: the share of items where both say the same.</p>"
        s += Markup.table(header: ["", "accepted by graders", "rejected by graders"], rows: [
            Markup.cells(["label correct", String(l.both), String(l.labelOnly)]),
            Markup.cells(["label wrong", String(l.humanOnly), String(l.neither)]),
        ])
        return s
    }
}
