#if canImport(Glibc)
import Glibc
#endif

/// Progress of long work: items, rate and ETA, redrawn in place on a terminal (stderr),
/// and silent when stderr is not a terminal (CI logs) or `CI` is set.
public final class Progress: @unchecked Sendable {
    private let label: String
    private let total: Int?
    private let unit: String
    private var done = 0
    private let start: Double
    private var lastDraw: Double = 0
    private let enabled: Bool

    public init(_ label: String, total: Int? = nil, unit: String = "items", enabled: Bool? = nil) {
        self.label = label
        self.total = total
        self.unit = unit
        self.start = Clock.now()
        self.enabled = enabled ?? Progress.isInteractive
    }

    /// Whether progress lines are drawn: stderr is a terminal and this is not CI.
    public static var isInteractive: Bool {
        isatty(2) == 1 && getenv("CI") == nil && getenv("HARNESS_NO_PROGRESS") == nil
    }

    public func advance(by n: Int = 1, detail: String = "") {
        done += n
        guard enabled else { return }
        let now = Clock.now()
        if now - lastDraw < 0.1 { return }
        lastDraw = now
        draw(now: now, detail: detail)
    }

    public func finish() {
        guard enabled else { return }
        draw(now: Clock.now(), detail: "")
        Terminal.error("\n")
    }

    public var count: Int { done }
    public var elapsed: Double { Clock.now() - start }

    private func draw(now: Double, detail: String) {
        let seconds = max(now - start, 1e-9)
        let rate = Double(done) / seconds
        var line = "\r\u{1B}[2K\(label): \(done)"
        if let total { line += "/\(total)" }
        line += " \(unit), \(Format.number(rate, digits: 1))/s"
        if let total, rate > 0, done < total { line += ", ETA \(Format.duration(Double(total - done) / rate))" }
        if !detail.isEmpty { line += " \(detail)" }
        Terminal.error(line)
    }
}

/// Wall-clock and monotonic time.
public enum Clock {
    /// Monotonic seconds.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// UTC timestamp like `2026-11-25T10:40:14Z`.
    public static func timestamp() -> String {
        var t = time(nil)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 32)
        let n = strftime(&buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tmv)
        return String(decoding: buf.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Number and duration formatting for summaries.
public enum Format {
    public static func number(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return "-" }
        var factor = 1.0
        for _ in 0..<digits { factor *= 10 }
        let rounded = (x * factor).rounded() / factor
        var s = String(rounded)
        if s.hasSuffix(".0") && digits == 0 { s.removeLast(2) }
        if let dot = s.firstIndex(of: "."), digits > 0 {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
        }
        if s.contains("e") { return String(x) }
        return s
    }

    public static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return number(seconds, digits: 1) + "s" }
        let s = Int(seconds.rounded())
        if s < 3600 { return "\(s / 60)m\(String(format2: s % 60))s" }
        return "\(s / 3600)h\(String(format2: (s % 3600) / 60))m"
    }

    public static func percent(_ fraction: Double, digits: Int = 1) -> String { number(fraction * 100, digits: digits) + "%" }
}

extension String {
    /// A number padded to two digits (`7` -> `"07"`).
    public init(format2 n: Int) { self = n < 10 ? "0\(n)" : "\(n)" }
}

/// Writes to the standard streams without Foundation or C's shared FILE objects.
public enum Terminal {
    public static func error(_ text: String) { write(fd: 2, text) }

    private static func write(fd: Int32, _ text: String) {
        var t = text
        t.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
                off += n
            }
        }
    }
}
