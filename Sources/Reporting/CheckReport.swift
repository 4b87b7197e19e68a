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
        s += "  McNemar exact: \(o.mcnemar.baselineOnly) items only the baseline got right, \(o.mcnemar.candidateOnly) only the candidate; p = \(Format.number(o.mcnemar.pValue, digits: 4))"
        s += o.significant ? " (significant)\n" : " (not significant)\n"
        s += o.failed ? "FAIL: \(candidate) is significantly worse than \(baseline)\n" : "PASS\n"
        return s
    }

    public static func junit(_ o: RegressionCheck.Outcome, baseline: String, candidate: String) -> String {
        let failures = o.metrics.filter(\.failed).count
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<testsuites><testsuite name=\"harness.check\" tests=\"\(o.metrics.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        for m in o.metrics {
            s += "  <testcase classname=\"\(HTML.escape(candidate)).vs.\(HTML.escape(baseline))\" name=\"\(HTML.escape(m.name))\">"
            if m.failed {
                s += "<failure message=\"\(HTML.escape(m.name)) dropped \(signed(m.delta)) (p=\(Format.number(o.mcnemar.pValue, digits: 4)))\">"
                s += "baseline \(m.baseline) candidate \(m.candidate) CI [\(m.interval.low), \(m.interval.high)]</failure>"
            }
            s += "</testcase>\n"
        }
        return s + "</testsuite></testsuites>\n"
    }

    static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + Format.number(x, digits: 4) }
    static func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
}
