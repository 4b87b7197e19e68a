/// A MinHash signature by one-permutation hashing: each shingle hash is hashed once, its top bits
/// choose one of `size` bins and its low 32 bits compete for that bin's minimum. Bins no shingle
/// reached borrow the value of a bin chosen by a seeded probe sequence ("optimal densification",
/// Shrivastava 2017), so short texts still give full signatures. Two signatures agree in a bin
/// with probability equal to the texts' Jaccard similarity; cost is one pass over the shingles,
/// whatever `size` is.
struct MinHash {
    let size: Int
    let seed: UInt64

    init(size: Int = 128, seed: UInt64) {
        self.size = size
        self.seed = seed
    }

    /// The signature of a non-empty set of shingle hashes (nil for an empty one).
    func signature(_ shingles: [UInt64]) -> [UInt32]? {
        guard !shingles.isEmpty else { return nil }
        var sig = [UInt32](repeating: .max, count: size)
        var filled = [Bool](repeating: false, count: size)
        let k = UInt64(size)
        for s in shingles {
            let h = Shingles.mix(s ^ seed)
            let bin = Int(((h >> 32) &* k) >> 32)
            let v = UInt32(truncatingIfNeeded: h)
            if !filled[bin] || v < sig[bin] {
                sig[bin] = v
                filled[bin] = true
            }
        }
        var out = sig
        for i in 0..<size where !filled[i] {
            var attempt: UInt64 = 0
            while true {
                let j = Int(Shingles.mix(seed &+ (UInt64(i) << 32 | attempt)) % k)
                if filled[j] { out[i] = sig[j]; break }
                attempt += 1
            }
        }
        return out
    }
}

/// LSH banding: a signature cut into `bands` bands of `rows` bins; two texts are candidates when
/// one band is equal. Rows are chosen so that a pair at the threshold becomes a candidate with
/// probability at least 0.999; exact Jaccard then decides, so false candidates cost time, not
/// precision.
struct Banding: Equatable {
    let bands: Int
    let rows: Int

    init(bands: Int, rows: Int) {
        self.bands = bands
        self.rows = rows
    }

    /// The most rows per band (fewest false candidates) that still find a pair at `threshold`.
    init(threshold: Double, size: Int) {
        var best = (bands: size, rows: 1)
        for r in 1...size {
            let b = size / r
            guard b >= 1 else { break }
            if Self.probability(threshold, bands: b, rows: r) >= 0.999 { best = (b, r) }
        }
        self.init(bands: best.bands, rows: best.rows)
    }

    /// Probability that a pair with Jaccard `s` shares at least one band.
    static func probability(_ s: Double, bands: Int, rows: Int) -> Double {
        1 - pow1(1 - pow1(s, rows), bands)
    }

    private static func pow1(_ x: Double, _ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= x }
        return r
    }

    /// The key of band `band` of a signature.
    func key(_ sig: [UInt32], band: Int) -> UInt64 {
        var h = Shingles.mix(UInt64(band) &+ 0x5851_F42D_4C95_7F2D)
        for i in (band * rows)..<((band + 1) * rows) { h = Shingles.mix(h ^ UInt64(sig[i])) }
        return h
    }
}
