import Support

/// An inline SVG line chart with axes, ticks and a legend; no external assets.
public struct LineChart {
    public struct Series {
        public let name: String
        public let points: [(x: Double, y: Double)]
        public let color: String
        public init(name: String, points: [(x: Double, y: Double)], color: String) {
            self.name = name; self.points = points; self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var series: [Series]
    public var width = 520.0
    public var height = 260.0

    public init(title: String, xLabel: String, series: [Series]) {
        self.title = title; self.xLabel = xLabel; self.series = series
    }

    public func svg() -> Markup {
        let all = series.flatMap(\.points)
        guard !all.isEmpty else { return "<p class=\"muted\">\(title): no data.</p>" }
        let left = 56.0, right = 12.0, top = 24.0, bottom = 40.0
        let pw = width - left - right, ph = height - top - bottom
        var (x0, x1) = (all.map(\.x).min()!, all.map(\.x).max()!)
        var (y0, y1) = (all.map(\.y).min()!, all.map(\.y).max()!)
        if x0 == x1 { x0 -= 1; x1 += 1 }
        if y0 == y1 { y0 -= abs(y0) * 0.1 + 1e-9; y1 += abs(y1) * 0.1 + 1e-9 }
        let pad = (y1 - y0) * 0.05
        y0 -= pad; y1 += pad
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * ph }
        var s: Markup = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(title)\">"
        s += "<text x=\"\(left)\" y=\"16\" font-size=\"13\" font-weight=\"600\">\(title)</text>"
        for t in Self.ticks(y0, y1) {
            let y = py(t)
            s += "<line x1=\"\(left)\" x2=\"\(left + pw)\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#eceff3\"/>"
            s += "<text x=\"\(left - 6)\" y=\"\(f(y + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6472\">\(Self.label(t))</text>"
        }
        for t in Self.ticks(x0, x1) {
            let x = px(t)
            s += "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(top + ph)\" y2=\"\(top + ph + 4)\" stroke=\"#5b6472\"/>"
            s += "<text x=\"\(f(x))\" y=\"\(top + ph + 16)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6472\">\(Self.label(t))</text>"
        }
        s += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(pw)\" height=\"\(ph)\" fill=\"none\" stroke=\"#c4c9d1\"/>"
        s += "<text x=\"\(left + pw / 2)\" y=\"\(height - 6)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6472\">\(xLabel)</text>"
        for (i, line) in series.enumerated() {
            let pts = line.points.sorted { $0.x < $1.x }.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.8\" points=\"\(pts)\"/>"
            if line.points.count < 40 {
                for p in line.points { s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2.5\" fill=\"\(line.color)\"/>" }
            }
            let lx = left + pw - 150, ly = top + 14 + Double(i) * 16
            s += "<rect x=\"\(lx)\" y=\"\(ly - 9)\" width=\"10\" height=\"10\" fill=\"\(line.color)\"/><text x=\"\(lx + 14)\" y=\"\(ly)\" font-size=\"11\">\(line.name)</text>"
        }
        return s + "</svg>"
    }

    private func f(_ x: Double) -> String { Format.number(x, digits: 1) }

    /// About five round tick values across a range.
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        let raw = (hi - lo) / 5
        let mag = pow10(floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        let first = (lo / step).rounded(.up)
        var out: [Double] = []
        var k = 0.0
        while (first + k) * step <= hi + step * 1e-9, out.count < 12 {
            let t = (first + k) * step
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            k += 1
        }
        return out
    }

    static func label(_ v: Double) -> String {
        if abs(v) < 1e-12 { return "0" }
        return String(format: "%.3g", v)
    }

    private static func pow10(_ x: Double) -> Double { exp(x * log(10)) }
}

import Foundation
