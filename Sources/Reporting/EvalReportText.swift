import Evaluation
import JSON
import Support

/// JSON and Markdown forms of a run report, for terminals and CI logs.
public enum EvalReportText {
    public static func json(_ r: RunReport) -> String {
        var top: [(String, JSONValue)] = [("run", .string(r.run.name)), ("kind", .string(r.run.kind.rawValue)), ("spec", r.run.specName.map { .string($0) } ?? .null),
                                          ("items", .number(String(r.predictions.count)))]
        if let m = r.metrics {
            func row(_ x: ClassificationReport.Row) -> JSONValue {
                .object([("precision", n(x.precision)), ("recall", n(x.recall)), ("f1", n(x.f1)), ("support", .number(String(x.support)))])
            }
            top += [("accuracy", n(m.accuracy)), ("accuracy_ci95", .array([n(m.accuracyInterval.low), n(m.accuracyInterval.high)])),
                    ("classes", .object(m.rows.map { ($0.label, row($0)) })), ("macro_avg", row(m.macro)), ("weighted_avg", row(m.weighted)),
                    ("confusion", .object([("labels", .array(r.confusion.labels.map { .string($0) })),
                                           ("counts", .array(r.confusion.counts.map { .array($0.map { .number(String($0)) }) }))]))]
        }
        if let c = r.calibration {
            top.append(("calibration", .object([
                ("items", .number(String(c.items))), ("ece", n(c.ece)), ("ece_bins", .number(String(Calibration.binCount))), ("brier", n(c.brier)),
                ("bins", .array(c.bins.map { b in
                    .object([("lower", n(b.lower)), ("upper", n(b.upper)), ("count", .number(String(b.count))),
                             ("confidence", n(b.confidence)), ("accuracy", n(b.accuracy))])
                })),
            ])))
        }
        if let g = r.grades { top.append(("grades", GradesText.json(g))) }
        top.append(("predicted", .object(r.predictedCounts.map { ($0.label, .number(String($0.count))) })))
        top.append(("breakdowns", .object(r.breakdowns.map { bd in
            (bd.field, .object(bd.groups.map { g in
                (g.value, .object([("labeled", .number(String(g.count))), ("accuracy", g.count > 0 ? n(g.accuracy) : .null),
                                   ("predicted", .object(g.predicted.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) }))]))
            }))
        })))
        return JSONWriter.serialize(.object(top)) + "\n"
    }

    public static func markdown(_ r: RunReport) -> String {
        var s = "# \(r.title)\n\n"
        if let m = r.metrics {
            s += "accuracy **\(Format.percent(m.accuracy))** (95% CI \(Format.percent(m.accuracyInterval.low))–\(Format.percent(m.accuracyInterval.high))), "
            s += "macro F1 **\(Format.number(m.macro.f1, digits: 3))**, \(m.total) labeled items\n\n"
            s += "| label | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n"
            for row in m.rows + [m.macro, m.weighted] {
                s += "| \(row.label) | \(Format.number(row.precision, digits: 3)) | \(Format.number(row.recall, digits: 3)) | \(Format.number(row.f1, digits: 3)) | \(row.support) |\n"
            }
            if let c = r.calibration {
                s += "\ncalibration: ECE **\(Format.number(c.ece, digits: 3))** (\(Calibration.binCount) equal-width confidence bins), "
                    + "Brier score **\(Format.number(c.brier, digits: 3))** (multi-class), \(c.items) scored items\n"
            }
        } else {
            s += "No gold labels. Predicted: " + r.predictedCounts.map { "\($0.label) \($0.count)" }.joined(separator: ", ") + "\n"
            let answers = r.hasAnswers ? ["answer"] : []
            s += "\n| " + (["id"] + r.show + ["predicted"] + answers).joined(separator: " | ") + " |\n|---|"
                + String(repeating: "---|", count: r.show.count + 1 + answers.count) + "\n"
            for p in r.predictions.prefix(50) {
                let cells = [p.id] + r.show.map { p.fields[$0] ?? "" } + [p.predicted] + (r.hasAnswers ? [RunReport.quoted(p.answer)] : [])
                s += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }.joined(separator: " | ") + " |\n"
            }
        }
        if let g = r.grades { s += GradesText.markdown(g) }
        for bd in r.breakdowns {
            s += "\n## by \(bd.field)\n\n| \(bd.field) | labeled | accuracy | " + r.labels.map { "→ \($0)" }.joined(separator: " | ") + " |\n"
            s += "|---|---:|---:|" + String(repeating: "---:|", count: r.labels.count) + "\n"
            for g in bd.groups {
                s += "| \(g.value) | \(g.count) | \(g.count > 0 ? Format.percent(g.accuracy) : "-") | " + r.labels.map { String(g.predicted[$0] ?? 0) }.joined(separator: " | ") + " |\n"
            }
        }
        if !r.curves.isEmpty {
            s += "\n## training log\n\n| series | points | first | last | min |\n|---|---:|---:|---:|---:|\n"
            for key in r.curves.keys.sorted() {
                let pts = r.curves[key]!.sorted { $0.step < $1.step }
                s += "| \(key) | \(pts.count) | \(Format.number(pts.first!.value, digits: 4)) | \(Format.number(pts.last!.value, digits: 4)) | \(Format.number(pts.map(\.value).min()!, digits: 4)) |\n"
            }
        }
        let wrong = r.predictions.filter { $0.gold != nil && !$0.isCorrect }
        if !wrong.isEmpty {
            let fields = r.show + r.breakdowns.map(\.field).filter { !r.show.contains($0) }
            let answers = r.hasAnswers ? ["answer"] : []
            s += "\n## misclassified (\(wrong.count)\(wrong.count > 20 ? ", first 20" : ""))\n\n| "
                + (["id"] + fields + ["gold", "predicted"] + answers).joined(separator: " | ") + " |\n"
            s += "|---|" + String(repeating: "---|", count: fields.count + 2 + answers.count) + "\n"
            for p in wrong.prefix(20) {
                let cells = [p.id] + fields.map { p.fields[$0] ?? "" } + [p.gold ?? "", p.predicted] + (r.hasAnswers ? [RunReport.quoted(p.answer)] : [])
                s += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }.joined(separator: " | ") + " |\n"
            }
        }
        s += "\n## run\n\n" + r.metadata.map { "- \($0.0): \($0.1)" }.joined(separator: "\n") + "\n"
        return s
    }

    static func n(_ x: Double) -> JSONValue { .number(x.isFinite ? String(x) : "0") }
}
