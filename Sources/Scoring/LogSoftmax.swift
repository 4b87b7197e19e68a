#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Log-softmax over one row of logits, computed as llama-perplexity does: the maximum in
/// `Float`, `exp` in `Float`, the sum in `Double`.
struct LogSoftmax {
    let maxLogit: Float
    let logSumExp: Double

    init(_ logits: UnsafePointer<Float>, count: Int) {
        var m = logits[0]
        for i in 1..<count where logits[i] > m { m = logits[i] }
        var sum = 0.0
        for i in 0..<count { sum += Double(expf(logits[i] - m)) }
        maxLogit = m
        logSumExp = log(sum)
    }

    /// log p(token) for a token of the row this was built from.
    func logprob(_ logits: UnsafePointer<Float>, _ token: Int32) -> Double {
        Double(logits[Int(token)] - maxLogit) - logSumExp
    }
}
