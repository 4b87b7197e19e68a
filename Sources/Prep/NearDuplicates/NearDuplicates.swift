import Support

/// Near-duplicate pairs and clusters among texts: MinHash signatures, LSH banding for candidates,
/// then the exact Jaccard similarity of the candidates' shingle sets. A pair at or above the
/// threshold is an edge; clusters are the connected components.
///
///     let found = try NearDuplicates(threshold: 0.8, ngram: 5, seed: 1).find(texts)
///     found.cluster(of: 7)   // the smallest index in 7's cluster (7 itself when alone)
struct NearDuplicates {
    let threshold: Double
    let shingles: Shingles
    let minHash: MinHash
    let banding: Banding
    /// Buckets up to this size are compared pair by pair; larger ones (boilerplate shared by many
    /// texts) compare each member with the bucket's first and previous members, which keeps the
    /// work linear and still connects every chain of similar texts.
    static let allPairsBucket = 32

    init(threshold: Double, ngram: Int, seed: UInt64, signatureSize: Int = 128) {
        self.threshold = threshold
        shingles = Shingles(n: ngram, seed: seed)
        minHash = MinHash(size: signatureSize, seed: seed)
        banding = Banding(threshold: threshold, size: signatureSize)
    }

    struct Pair: Equatable {
        let a: Int
        let b: Int
        let jaccard: Double
    }

    struct Result {
        /// Pairs (a < b) at or above the threshold, sorted.
        var pairs: [Pair] = []
        /// Per text, the smallest index of its cluster (its own index when it has no near-duplicate).
        var representative: [Int] = []
        /// Candidate pairs the banding proposed (verified exactly).
        var candidates = 0
        /// Shingle sets of every text that was part of a candidate pair (nil for the others).
        var sets: [[UInt64]?] = []

        func cluster(of i: Int) -> Int { representative[i] }

        /// Exact Jaccard of two texts that were candidates (of anything); nil otherwise.
        func jaccard(_ a: Int, _ b: Int) -> Double? {
            guard a < sets.count, b < sets.count, let x = sets[a], let y = sets[b] else { return nil }
            return Shingles.jaccard(x, y)
        }

        /// Members of each cluster of two or more, smallest index first, clusters by first member.
        var clusters: [[Int]] {
            var members: [Int: [Int]] = [:]
            for (i, r) in representative.enumerated() { members[r, default: []].append(i) }
            return members.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// What a search must give: every pair at or above the threshold (an audit lists them), or
    /// only the clusters, which lets it skip candidates already connected through other pairs.
    enum Goal { case allPairs, clusters }

    /// Finds the near-duplicates among `texts`. `pairFilter(a, b)` can skip candidate pairs that do
    /// not matter (e.g. pairs within one split for an audit). Empty texts are never near-duplicates.
    /// Bands are searched one after the other; each band's new candidates are verified on all cores.
    func find(_ texts: [String], goal: Goal = .allPairs, pairFilter: ((Int, Int) -> Bool)? = nil) throws -> Result {
        let n = texts.count
        let signatures: [[UInt32]?] = try Parallel.map(texts.indices, minimumPerWorker: 64) { minHash.signature(shingles.hashes(texts[$0])) }
        var sets = [[UInt64]?](repeating: nil, count: n)
        var parent = Array(0..<n)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var result = Result()
        var seen = Set<UInt64>()
        var keyed: [(key: UInt64, doc: Int32)] = []
        keyed.reserveCapacity(n)
        for band in 0..<banding.bands {
            // Candidates: texts equal in this band. The band's keys are sorted; runs are buckets.
            keyed.removeAll(keepingCapacity: true)
            for (i, s) in signatures.enumerated() { if let s { keyed.append((banding.key(s, band: band), Int32(i))) } }
            keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.doc < $1.doc }
            var candidates: [UInt64] = []
            var start = 0
            while start < keyed.count {
                var end = start + 1
                while end < keyed.count && keyed[end].key == keyed[start].key { end += 1 }
                let size = end - start
                if size > 1 {
                    for x in (start + 1)..<end {
                        let partners = size <= Self.allPairsBucket ? Array(start..<x) : (x - 1 == start ? [start] : [start, x - 1])
                        for y in partners {
                            let a = Int(keyed[y].doc), b = Int(keyed[x].doc)
                            if let pairFilter, !pairFilter(a, b) { continue }
                            if goal == .clusters, root(a) == root(b) { continue }
                            let pair = UInt64(a) << 32 | UInt64(b)
                            if seen.insert(pair).inserted { candidates.append(pair) }
                        }
                    }
                }
                start = end
            }
            guard !candidates.isEmpty else { continue }
            result.candidates += candidates.count
            // Shingle sets of the texts met for the first time, then the exact Jaccard of each pair.
            var fresh: [Int] = []
            for c in candidates {
                for i in [Int(c >> 32), Int(c & 0xFFFF_FFFF)] where sets[i] == nil {
                    sets[i] = []
                    fresh.append(i)
                }
            }
            for (i, s) in zip(fresh, try Parallel.map(fresh, minimumPerWorker: 64) { shingles.hashes(texts[$0]) }) { sets[i] = s }
            let known = sets
            let verified: [Pair?] = try Parallel.map(candidates, minimumPerWorker: 1024) { c in
                let a = Int(c >> 32), b = Int(c & 0xFFFF_FFFF)
                let j = Shingles.jaccard(known[a]!, known[b]!)
                return j >= threshold ? Pair(a: a, b: b, jaccard: j) : nil
            }
            for case let p? in verified {
                result.pairs.append(p)
                let ra = root(p.a), rb = root(p.b)
                if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
            }
        }
        result.pairs.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        result.sets = sets
        // Each cluster's representative is its smallest index (a union keeps the smaller root).
        result.representative = (0..<n).map(root)
        return result
    }
}
