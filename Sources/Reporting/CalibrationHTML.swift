import Evaluation
import Support

/// The calibration section of a run report: ECE, Brier score and a reliability diagram as inline SVG.
enum CalibrationHTML {
    static func section(_ c: Calibration?) -> Markup {
        var s: Markup = "<h2>Calibration</h2>"
        guard let c else {
            return s + "<p class=\"muted\">No choice scores stored (an import without scores, or generate mode): nothing to calibrate.</p>"
        }
        s += "<div class=\"cards\"><div class=\"card\">ECE<b>\(Format.number(c.ece, digits: 3))</b>\(Calibration.binCount) equal-width bins</div>"
            + "<div class=\"card\">Brier score<b>\(Format.number(c.brier, digits: 3))</b>multi-class, 0 is perfect</div>"
            + "<div class=\"card\">items<b>\(c.items)</b>labeled, with a score per label</div></div>"
        s += "<p class=\"muted\">Confidence is the softmax of the stored choice scores over the labels, at the predicted label. "
            + "ECE: Σ (bin items / items) × |accuracy − mean confidence| over \(Calibration.binCount) bins [0, 1/\(Calibration.binCount)), …, [\(Calibration.binCount - 1)/\(Calibration.binCount), 1]. "
            + "Brier: mean over items of Σ over labels (p − 1[gold])². Points above the diagonal are under-confident, below over-confident.</p>"
        s += diagram(c)
        s += Markup.table(header: ["confidence bin", "items", "mean confidence", "accuracy"], rows: c.bins.map { b in
            Markup.cells(["[\(Format.number(b.lower, digits: 3)), \(Format.number(b.upper, digits: 3)))", String(b.count),
                          Format.number(b.confidence, digits: 3), Format.number(b.accuracy, digits: 3)])
        })
        return s
    }

    /// Accuracy against mean confidence per bin, dots sized by their item count, and the diagonal.
    static func diagram(_ c: Calibration) -> Markup {
        let size = 240.0, pad = 30.0, side = size - 2 * pad
        func x(_ v: Double) -> String { Format.number(pad + v * side, digits: 1) }
        func y(_ v: Double) -> String { Format.number(size - pad - v * side, digits: 1) }
        let most = Double(c.bins.map(\.count).max() ?? 1)
        var s: Markup = "<svg width=\"\(Int(size))\" height=\"\(Int(size))\" viewBox=\"0 0 \(Int(size)) \(Int(size))\" role=\"img\" aria-label=\"reliability diagram\">"
        s += "<rect x=\"\(x(0))\" y=\"\(y(1))\" width=\"\(Format.number(side, digits: 1))\" height=\"\(Format.number(side, digits: 1))\" fill=\"none\" stroke=\"#d9dde3\"/>"
        s += "<line x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(1))\" stroke=\"#5b6472\" stroke-dasharray=\"4 3\"/>"
        var path = ""
        for b in c.bins {
            path += (path.isEmpty ? "M" : " L") + "\(x(b.confidence)) \(y(b.accuracy))"
            let r = 2.5 + 5 * (Double(b.count) / most).squareRoot()
            s += "<circle cx=\"\(x(b.confidence))\" cy=\"\(y(b.accuracy))\" r=\"\(Format.number(r, digits: 1))\" fill=\"#2454c5\" fill-opacity=\"0.75\">"
                + "<title>\(b.count) items: confidence \(Format.number(b.confidence, digits: 3)), accuracy \(Format.number(b.accuracy, digits: 3))</title></circle>"
        }
        if !path.isEmpty { s += "<path d=\"\(path)\" fill=\"none\" stroke=\"#2454c5\"/>" }
        s += "<text x=\"\(Format.number(size / 2, digits: 0))\" y=\"\(Format.number(size - 6, digits: 0))\" text-anchor=\"middle\" font-size=\"11\">mean confidence</text>"
        s += "<text x=\"12\" y=\"\(Format.number(size / 2, digits: 0))\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 12 \(Format.number(size / 2, digits: 0)))\">accuracy</text>"
        for t in [0.0, 0.5, 1.0] {
            s += "<text x=\"\(x(t))\" y=\"\(Format.number(size - pad + 12, digits: 1))\" text-anchor=\"middle\" font-size=\"9\">\(Format.number(t, digits: 1))</text>"
            s += "<text x=\"\(Format.number(pad - 4, digits: 1))\" y=\"\(y(t))\" text-anchor=\"end\" font-size=\"9\">\(Format.number(t, digits: 1))</text>"
        }
        return s + "</svg>"
    }
}
