import Evaluation
import JSON
import Support

/// The human-grades part of the JSON and Markdown reports, and the criterion × category matrix all
/// report formats show.
enum GradesText {
    /// Rows: all items, then each category value; columns: the criteria (nil where no item is graded).
    static func matrix(_ g: HumanGrades) -> [(name: String, cells: [GradeMeans.Row?])] {
        let categories = Array(Set(g.means.rows.compactMap(\.category))).sorted()
        func cells(_ c: String?) -> [GradeMeans.Row?] {
            g.setup.criteria.map { k in g.means.rows.first { $0.criterion == k && $0.category == c } }
        }
        return [(g.setup.category == nil ? "all items" : "all", cells(nil))] + categories.map { ($0, cells($0)) }
    }

    /// `1.42 [1.21–1.63] n=38`.
    static func cell(_ r: GradeMeans.Row) -> String {
        Format.number(r.mean, digits: 2) + (r.low.map { l in " [\(Format.number(l, digits: 2))–\(Format.number(r.high ?? l, digits: 2))]" } ?? "") + " n=\(r.items)"
    }

    static func json(_ g: HumanGrades) -> JSONValue {
        let n = EvalReportText.n
        func mean(_ r: GradeMeans.Row) -> JSONValue {
            .object([("items", .number(String(r.items))), ("mean", n(r.mean)),
                     ("ci95", r.low.map { .array([n($0), n(r.high ?? $0)]) } ?? .null)])
        }
        var top: [(String, JSONValue)] = [
            ("graders", .array(g.graders.map { .string($0) })), ("items", .number(String(g.items))),
            ("criteria", .array(g.setup.criteria.map { .string($0) })), ("scale", .array(g.setup.scale.map { .number(String($0)) })),
            ("category", g.setup.category.map { .string($0) } ?? .null),
            ("means", .object(g.setup.criteria.compactMap { k in
                guard let all = g.means.rows.first(where: { $0.criterion == k && $0.category == nil }) else { return nil }
                return (k, .object([("all", mean(all)),
                                    ("by_category", .object(g.means.rows.filter { $0.criterion == k && $0.category != nil }.map { ($0.category!, mean($0)) }))]))
            })),
            ("agreement", .array(g.agreement.map { a in
                .object([("criterion", .string(a.criterion)), ("graders", .array([.string(a.graders.0), .string(a.graders.1)])),
                         ("items", .number(String(a.items))), ("exact", n(a.exact)),
                         ("kappa", a.kappa.map(n) ?? .null), ("quadratic_kappa", a.quadraticKappa.map(n) ?? .null)])
            })),
        ]
        if let l = g.labels {
            top.append(("label_agreement", .object([
                ("criterion", .string(l.criterion)), ("items", .number(String(l.items))), ("agreement", n(l.agreement)),
                ("ci95", .array([n(l.interval.low), n(l.interval.high)])), ("kappa", l.kappa.map(n) ?? .null),
                ("label_correct_accepted", .number(String(l.both))), ("label_correct_rejected", .number(String(l.labelOnly))),
                ("label_wrong_accepted", .number(String(l.humanOnly))), ("label_wrong_rejected", .number(String(l.neither))),
            ])))
        }
        return .object(top)
    }

    static func markdown(_ g: HumanGrades) -> String {
        func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var s = "\n## human grades\n\n\(g.items) items graded by \(g.graders.count) (\(g.graders.map(escape).joined(separator: ", "))) "
            + "on a scale of \(g.setup.scale.map { "\($0)" }.joined(separator: ", ")); mean over items, 95% Student-t interval, item count\n\n"
        s += "| " + ([g.setup.category ?? "items"] + g.setup.criteria).map(escape).joined(separator: " | ") + " |\n|---|"
            + String(repeating: "---:|", count: g.setup.criteria.count) + "\n"
        for row in matrix(g) { s += "| " + ([escape(row.name)] + row.cells.map { $0.map(cell) ?? "-" }).joined(separator: " | ") + " |\n" }
        if !g.agreement.isEmpty {
            s += "\n| criterion | graders | items | same grade | kappa | quadratic kappa |\n|---|---|---:|---:|---:|---:|\n"
            for a in g.agreement {
                s += "| \(escape(a.criterion)) | \(escape(a.graders.0)) · \(escape(a.graders.1)) | \(a.items) | \(Format.percent(a.exact)) | "
                    + "\(a.kappa.map { Format.number($0, digits: 3) } ?? "-") | \(a.quadraticKappa.map { Format.number($0, digits: 3) } ?? "-") |\n"
            }
        }
        if let l = g.labels {
            s += "\ngrades against the automatic label ('\(escape(l.criterion))' above the lowest grade = accepted): agreement **\(Format.percent(l.agreement))** "
                + "(95% CI \(Format.percent(l.interval.low))–\(Format.percent(l.interval.high))), kappa \(l.kappa.map { Format.number($0, digits: 3) } ?? "-"), "
                + "\(l.items) items; label correct but rejected \(l.labelOnly), label wrong but accepted \(l.humanOnly)\n"
        }
        return s
    }
}
