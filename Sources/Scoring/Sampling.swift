import Foundation
import Support

/// How a generation picks each next token when it does not take the most likely one: temperature
/// and top-k sampling with a seeded generator, so the same prompt, settings and seed give the same
/// text on every run (the paraphrase cache relies on that).
///
///     let s = Sampling(temperature: 0.8, topK: 40, seed: 7)
///     try scorer.generate(prompt: p, maxTokens: 32, stop: ["\n"], sampling: s)
///
/// A temperature of 0 is greedy decoding.
public struct Sampling: Equatable, Sendable {
    public var temperature: Double
    /// Only the `topK` most likely tokens are drawn from (0: the whole vocabulary).
    public var topK: Int
    public var seed: UInt64

    public init(temperature: Double, topK: Int = 40, seed: UInt64) {
        self.temperature = temperature
        self.topK = topK
        self.seed = seed
    }

    /// The settings in words, for cache keys and provenance (`t=0.8 k=40 seed=7`).
    public var description: String { "t=\(temperature) k=\(topK) seed=\(seed)" }

    /// Draws a token index from `count` logits: the `topK` largest, softmax at `temperature`.
    /// Ties and order are resolved by index, so the draw depends only on the logits and `rng`.
    func draw(_ logits: UnsafePointer<Float>, count: Int, rng: inout SeededRandom) -> Int {
        let k = topK <= 0 ? count : min(topK, count)
        // The k largest logits, by a bounded insertion (k is small next to the vocabulary); most
        // logits fall below the current k-th and cost one comparison.
        var top: [(logit: Float, index: Int)] = []
        top.reserveCapacity(k + 1)
        var floor = -Float.infinity
        var i = 0
        while i < count {
            let v = logits[i]
            if v > floor || top.count < k {
                var at = top.count
                while at > 0, top[at - 1].logit < v { at -= 1 }
                top.insert((v, i), at: at)
                if top.count > k { top.removeLast() }
                if top.count == k { floor = top[k - 1].logit }
            }
            i += 1
        }
        guard temperature > 0, top.count > 1 else { return top.first?.index ?? 0 }
        let maxLogit = Double(top[0].logit)
        let weights = top.map { exp((Double($0.logit) - maxLogit) / temperature) }
        let total = weights.reduce(0, +)
        // A uniform double in [0, 1) from the top 53 bits.
        var u = Double(rng.next() >> 11) / Double(1 << 53) * total
        for (w, t) in zip(weights, top) {
            u -= w
            if u < 0 { return t.index }
        }
        return top[top.count - 1].index
    }
}
