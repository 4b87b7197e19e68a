import Evaluation
import Support

/// The text table and JUnit XML of `eval check`.
public enum CheckReport {
    public static func table(_ o: RegressionCheck.Outcome, baseline: String, candidate: String, check: RegressionCheck) -> String {
        var s = "\(candidate) vs \(baseline) on \(o.items) items (max drop \(Format.number(check.maxDrop * 100, digits: 1)) points, alpha \(check.alpha))\n"
        s += "  metric        baseline  candidate    delta   95% CI of delta        result\n"
        for m in o.metrics {
            s += "  " + m.name.padding(toLength: 12, withPad: " ", startingAt: 0)
            s += pad(Format.number(m.baseline, digits: 4), 10) + pad(Format.number(m.candidate, digits: 4), 11)
            s += pad(signed(m.delta), 9) + "   [" + signed(m.interval.low) + ", " + signed(m.interval.high) + "]"
            s += "    " + (m.failed ? "FAIL" : "ok") + "\n"
        }
        if let c = o.calibration {
            s += "  " + "ece".padding(toLength: 12, withPad: " ", startingAt: 0) + pad(Format.number(c.baseline, digits: 4), 10)
                + pad(Format.number(c.candidate, digits: 4), 11) + pad(signed(c.rise), 9) + "   (max rise " + Format.number(c.limit, digits: 4) + ")"
                + "       " + (c.failed ? "FAIL" : "ok") + "\n"
        }
        s += "  McNemar exact: \(o.mcnemar.baselineOnly) items only the baseline got right, \(o.mcnemar.candidateOnly) only the candidate; p = \(Format.number(o.mcnemar.pValue, digits: 4))"
        s += o.significant ? " (significant)\n" : " (not significant)\n"
        let worse = o.metrics.contains(where: \.failed)
        s += worse ? "FAIL: \(candidate) is significantly worse than \(baseline)\n"
            : o.failed ? "FAIL: \(candidate)'s calibration error rose by more than \(Format.number(o.calibration?.limit ?? 0, digits: 4))\n" : "PASS\n"
        return s
    }

    /// JUnit XML: one test case per metric, each with its figures as properties and as a line of
    /// system-out (baseline, candidate, delta, its 95% interval, McNemar's p, the allowed drop, alpha).
    public static func junit(_ o: RegressionCheck.Outcome, baseline: String, candidate: String, check: RegressionCheck) -> String {
        let failures = o.metrics.filter(\.failed).count + (o.calibration?.failed == true ? 1 : 0)
        let p = Format.number(o.mcnemar.pValue, digits: 4)
        let suite = "\(candidate).vs.\(baseline)"
        var s: Markup = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<testsuites><testsuite name=\"harness.check\" tests=\"\(o.metrics.count + (o.calibration == nil ? 0 : 1))\" failures=\"\(failures)\" errors=\"0\">\n"
        for m in o.metrics {
            let figures: [(String, String)] = [
                ("baseline", Format.number(m.baseline, digits: 4)), ("candidate", Format.number(m.candidate, digits: 4)), ("delta", signed(m.delta)),
                ("ci95_low", signed(m.interval.low)), ("ci95_high", signed(m.interval.high)), ("p_value", p),
                ("max_drop", Format.number(m.limit, digits: 4)), ("alpha", "\(check.alpha)"), ("items", String(o.items)),
            ]
            let line = summary(m, p: p, alpha: check.alpha, items: o.items)
            s += "  <testcase classname=\"\(suite)\" name=\"\(m.name)\">"
            s += "<properties>\(figures.map { f -> Markup in "<property name=\"\(f.0)\" value=\"\(f.1)\"/>" }.joined())</properties>"
            if m.failed { s += "<failure message=\"\(failureMessage(m, p: p, alpha: check.alpha))\">\(line)</failure>" }
            s += "<system-out>\(line)</system-out></testcase>\n"
        }
        if let c = o.calibration {
            let line = "ece: baseline \(Format.number(c.baseline, digits: 4)), candidate \(Format.number(c.candidate, digits: 4)), rise \(signed(c.rise)), allowed \(Format.number(c.limit, digits: 4))"
            let message = "expected calibration error rose by \(Format.number(c.rise, digits: 4)), more than the allowed \(Format.number(c.limit, digits: 4))"
            s += "  <testcase classname=\"\(suite)\" name=\"ece\">"
            if c.failed { s += "<failure message=\"\(message)\">\(line)</failure>" }
            s += "<system-out>\(line)</system-out></testcase>\n"
        }
        return (s + "</testsuite></testsuites>\n").rendered
    }

    /// e.g. `accuracy dropped by 0.2917 (0.8750 -> 0.5833), more than the allowed 0.0100; McNemar p = 0.0156 < 0.05`.
    static func failureMessage(_ m: RegressionCheck.Metric, p: String, alpha: Double) -> String {
        "\(m.name) dropped by \(Format.number(-m.delta, digits: 4)) (\(Format.number(m.baseline, digits: 4)) -> \(Format.number(m.candidate, digits: 4))), "
            + "more than the allowed \(Format.number(m.limit, digits: 4)); McNemar p = \(p) < \(alpha)"
    }

    static func summary(_ m: RegressionCheck.Metric, p: String, alpha: Double, items: Int) -> String {
        "\(m.name): baseline \(Format.number(m.baseline, digits: 4)), candidate \(Format.number(m.candidate, digits: 4)), delta \(signed(m.delta)) "
            + "(95% CI [\(signed(m.interval.low)), \(signed(m.interval.high))]) on \(items) items; McNemar p = \(p); "
            + "fails when it drops by more than \(Format.number(m.limit, digits: 4)) with p < \(alpha)"
    }

    static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + Format.number(x, digits: 4) }
    static func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
}
