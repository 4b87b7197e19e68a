import Support

/// When and how long to wait before asking a server again.
///
/// A request is tried at most `attempts` times. It is retried only when the failure may pass:
/// HTTP 5xx (a server loading its model answers 503), no connection, a dropped connection, or
/// no answer within the timeout. A 4xx is the request's own fault and is never retried. The
/// wait before try `n + 1` is `initialDelay * 2^(n-1)`, scaled by a random factor in
/// `[1 - jitter, 1]` so that clients that failed together do not come back together.
///
///     RetryPolicy.standard   // 3 tries, 0.5 s then 1 s (each less up to 25 % jitter)
///     RetryPolicy(attempts: 1) // no retry
public struct RetryPolicy: Sendable, Equatable {
    /// Tries in all, at least 1 (1: no retry).
    public var attempts: Int
    /// Seconds before the second try; doubled before each later one.
    public var initialDelay: Double
    /// The fraction of each wait that is random, in `0...1`.
    public var jitter: Double
    /// Seeds the jitter; nil seeds it from the clock.
    public var seed: UInt64?

    public init(attempts: Int = 3, initialDelay: Double = 0.5, jitter: Double = 0.25, seed: UInt64? = nil) {
        self.attempts = max(1, attempts)
        self.initialDelay = max(0, initialDelay)
        self.jitter = min(max(jitter, 0), 1)
        self.seed = seed
    }

    /// 3 tries, 0.5 s then 1 s apart, 25 % jitter from the clock.
    public static let standard = RetryPolicy()

    /// Seconds to wait after failed try `failed` (1-based), given a uniform random number in `[0, 1)`.
    public func delay(afterTry failed: Int, random: Double) -> Double {
        var base = initialDelay
        for _ in 1..<max(1, failed) { base *= 2 }
        return base * (1 - jitter * random)
    }

    /// Whether a failure may pass if the request is sent again.
    public static func isTransient(_ error: ScoringError) -> Bool {
        switch error {
        case .serverDown, .remoteTimeout: return true
        case let .httpStatus(_, status, _): return status >= 500
        default: return false
        }
    }
}

/// SplitMix64: the jitter's random numbers (seeded, so a test can replay them).
struct JitterSource {
    private var state: UInt64

    init(seed: UInt64?) {
        state = seed ?? UInt64(Clock.now() * 1_000_000)
    }

    /// A uniform number in `[0, 1)`.
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
