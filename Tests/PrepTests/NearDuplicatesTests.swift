@testable import Prep
import Support
import XCTest

/// Reference shingles computed the slow, obvious way, to check `Shingles` against: the text
/// normalised as documented for `drop`'s duplicate key (NFC, lower case, whitespace runs as one
/// space, trimmed), every run of `n` code points as an array of code points (not a `String`, whose
/// equality is canonical equivalence, not code points), a text shorter than `n` being one shingle.
/// This is the definition `fixtures/generate.py` uses for `expected_clusters.json`.
enum BruteShingles {
    static func normalise(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func set(_ text: String, n: Int = 5) -> Set<[UInt32]> {
        let scalars = normalise(text).unicodeScalars.map(\.value)
        if scalars.isEmpty { return [] }
        if scalars.count < n { return [scalars] }
        return Set((0...(scalars.count - n)).map { Array(scalars[$0..<($0 + n)]) })
    }

    /// |A ∩ B| / |A ∪ B|; two empty sets count as equal (1), as `Shingles.jaccard` documents.
    static func jaccard(_ a: String, _ b: String, n: Int = 5) -> Double {
        let x = set(a, n: n), y = set(b, n: n)
        if x.isEmpty && y.isEmpty { return 1 }
        return Double(x.intersection(y).count) / Double(x.union(y).count)
    }
}

/// Seeded Korean-looking texts for the near-duplicate tests.
enum KoreanText {
    /// `length` Hangul syllables drawn from the first `alphabet` syllables after 가, with a space
    /// now and then; deterministic from `seed`.
    static func random(_ rng: inout SeededRandom, length: Int, alphabet: Int = 400, spaces: Bool = true) -> String {
        var scalars = String.UnicodeScalarView()
        for i in 0..<length {
            if spaces, i > 0, i < length - 1, rng.below(7) == 0 { scalars.append(" ") }
            scalars.append(Unicode.Scalar(0xAC00 + UInt32(rng.below(alphabet)))!)
        }
        return String(scalars)
    }

    static func random(seed: UInt64, length: Int, alphabet: Int = 400, spaces: Bool = true) -> String {
        var rng = SeededRandom(seed: seed)
        return random(&rng, length: length, alphabet: alphabet, spaces: spaces)
    }

    /// `text` with the characters at `positions` (offsets in characters) replaced by a syllable
    /// outside the alphabet `random` uses, so each edit is a real change.
    static func edited(_ text: String, at positions: [Int]) -> String {
        var chars = Array(text)
        for (k, p) in positions.enumerated() { chars[p] = Character(Unicode.Scalar(0xD000 + UInt32(k))!) }
        return String(chars)
    }
}

/// Unit tests of the near-duplicate machinery: shingles, MinHash signatures, LSH banding and the
/// finder. Expected values come from `BruteShingles` (set arithmetic on code-point arrays), from
/// the banding formula evaluated by hand, or from the texts' construction.
final class NearDuplicatesTests: XCTestCase {
    private let shingles = Shingles(n: 5, seed: 1)

    private func jaccard(_ a: String, _ b: String) -> Double {
        Shingles.jaccard(shingles.hashes(a), shingles.hashes(b))
    }

    // MARK: Shingles

    func testShingleJaccardEqualsBruteForceOnRandomTexts() {
        // A small alphabet (6 syllables, Latin capitals, spaces, newlines, a decomposed 가) makes
        // random texts share shingles, so the Jaccards spread over [0, 1] rather than sitting at 0.
        let pieces = ["가", "나", "다", "라", "마", "바", "K", "q", " ", "  ", "\n", "\u{1100}\u{1161}", "\t"]
        let singles = pieces.filter { $0.count == 1 }.map { Character($0) }
        var rng = SeededRandom(seed: 20240601)
        func text(_ length: Int) -> String { (0..<length).map { _ in pieces[rng.below(pieces.count)] }.joined() }
        var seen = Set<Int>()   // tenths of the Jaccard values met, to show the range was covered
        for round in 0..<600 {
            let a = text(rng.below(40))
            var b: String
            switch round % 3 {
            case 0: b = text(rng.below(40))                                   // independent
            case 1: b = a + text(rng.below(4))                                // a prefix of b
            default:                                                          // a with a few changes
                var chars = Array(a)
                for _ in 0..<min(chars.count, 1 + rng.below(3)) { chars[rng.below(chars.count)] = singles[rng.below(singles.count)] }
                b = String(chars)
            }
            let expected = BruteShingles.jaccard(a, b)
            let hashesA = shingles.hashes(a), hashesB = shingles.hashes(b)
            XCTAssertEqual(hashesA.count, BruteShingles.set(a).count, "one hash per distinct shingle of \(a.debugDescription)")
            XCTAssertEqual(hashesA, hashesA.sorted(), "hashes are sorted")
            XCTAssertEqual(Shingles.jaccard(hashesA, hashesB), expected, accuracy: 1e-12, "\(a.debugDescription) vs \(b.debugDescription)")
            XCTAssertEqual(Shingles.jaccard(hashesB, hashesA), expected, accuracy: 1e-12, "symmetric")
            seen.insert(Int(expected * 10))
        }
        XCTAssertGreaterThanOrEqual(seen.count, 8, "the random pairs should cover most of [0, 1]: \(seen.sorted())")
    }

    func testShortAndEmptyTextsAndNormalisation() {
        // Fewer than 5 code points: the whole (normalised) text is the one shingle.
        XCTAssertEqual(shingles.hashes("가나다").count, 1)
        XCTAssertEqual(jaccard("가나다", "가나다"), 1)
        XCTAssertEqual(jaccard("가나다", "가나라"), 0)
        XCTAssertEqual(jaccard("가나다라", "가나다라마"), 0, "a 4-character text is not a shingle of a 5-character one")
        XCTAssertEqual(jaccard("가나다라", "가나다라마"), BruteShingles.jaccard("가나다라", "가나다라마"))
        // Empty, or only whitespace: no shingles at all.
        XCTAssertEqual(shingles.hashes(""), [])
        XCTAssertEqual(shingles.hashes(" \n\t "), [])
        XCTAssertEqual(Shingles.jaccard([], []), 1, "two empty sets are equal (documented)")
        XCTAssertEqual(jaccard("", "가나다라마바"), 0)
        // Case, spacing and Unicode form do not matter: the duplicate key is shingled.
        XCTAssertEqual(jaccard("ABCDE fghij", "abcde   FGHIJ\n"), 1)
        XCTAssertEqual(jaccard("  한국어 문장입니다  ", "한국어\t문장입니다"), 1)
        let nfd = "\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}\u{110B}\u{1165}"   // 한국어 decomposed
        XCTAssertEqual(shingles.hashes(nfd), shingles.hashes("한국어"))
        // 10 code points, 6 shingles; one changed in the middle removes 5 of them: 1 / 11 (by hand).
        XCTAssertEqual(jaccard("가나다라마바사아자차", "가나다라마X사아자차"), 1.0 / 11, accuracy: 1e-12)
    }

    func testTheSeedChangesTheHashesButNotTheJaccard() {
        let a = KoreanText.random(seed: 1, length: 80), b = KoreanText.edited(a, at: [10, 40])
        let other = Shingles(n: 5, seed: 99)
        XCTAssertNotEqual(shingles.hashes(a), other.hashes(a))
        XCTAssertEqual(Shingles(n: 5, seed: 1).hashes(a), shingles.hashes(a), "deterministic")
        XCTAssertEqual(Shingles.jaccard(other.hashes(a), other.hashes(b)), jaccard(a, b), accuracy: 1e-12)
        XCTAssertEqual(jaccard(a, b), BruteShingles.jaccard(a, b), accuracy: 1e-12)
        // Other shingle lengths follow the same definition.
        let three = Shingles(n: 3, seed: 1)
        XCTAssertEqual(Shingles.jaccard(three.hashes(a), three.hashes(b)), BruteShingles.jaccard(a, b, n: 3), accuracy: 1e-12)
    }

    // MARK: Banding

    func testBandingFindsAPairAtTheThresholdWithTheMostRowsThatDoes() {
        for size in [32, 64, 128, 256] {
            for t in [0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0] {
                let b = Banding(threshold: t, size: size)
                let what = "threshold \(t), size \(size): \(b.bands)x\(b.rows)"
                XCTAssertLessThanOrEqual(b.bands * b.rows, size, what)
                XCTAssertGreaterThanOrEqual(b.bands, 1, what)
                XCTAssertGreaterThanOrEqual(Banding.probability(t, bands: b.bands, rows: b.rows), 0.999, what)
                // No band of more rows still reaches 0.999 (fewer false candidates would be free).
                for r in stride(from: b.rows + 1, through: size, by: 1) {
                    XCTAssertLessThan(Banding.probability(t, bands: size / r, rows: r), 0.999, "\(what) but \(size / r)x\(r) also works")
                }
            }
        }
        // By hand: 0.8^5 = 0.32768, 1 - (1 - 0.32768)^25 = 0.99995; 0.8^6 = 0.262, 1 - 0.738^21 = 0.9983 < 0.999.
        XCTAssertEqual(Banding(threshold: 0.8, size: 128), Banding(bands: 25, rows: 5))
        XCTAssertEqual(Banding.probability(0.8, bands: 25, rows: 5), 1 - pow(1 - pow(0.8, 5), 25), accuracy: 1e-12)
        XCTAssertEqual(Banding.probability(0, bands: 25, rows: 5), 0)
        XCTAssertEqual(Banding.probability(1, bands: 25, rows: 5), 1)
    }

    func testBandKeysDependOnlyOnTheirOwnRows() {
        let b = Banding(bands: 4, rows: 3)
        let sig: [UInt32] = Array(0..<12)
        var changed = sig
        changed[4] = 99   // band 1 (rows 3...5)
        XCTAssertEqual(b.key(sig, band: 0), b.key(changed, band: 0))
        XCTAssertNotEqual(b.key(sig, band: 1), b.key(changed, band: 1))
        XCTAssertEqual(b.key(sig, band: 2), b.key(changed, band: 2))
        // Equal rows in different bands do not make equal keys (a pair must agree in the same band).
        XCTAssertNotEqual(b.key([1, 2, 3, 1, 2, 3, 0, 0, 0, 0, 0, 0], band: 0), b.key([1, 2, 3, 1, 2, 3, 0, 0, 0, 0, 0, 0], band: 1))
    }

    // MARK: MinHash

    private func agreement(_ a: [UInt32], _ b: [UInt32]) -> Double {
        Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
    }

    func testSignatureAgreementApproximatesTheJaccard() throws {
        let minHash = MinHash(size: 128, seed: 1)
        let base = KoreanText.random(seed: 7, length: 400)
        // Edits every `step` characters give Jaccards from about 0.05 to 0.97; an unrelated text gives 0.
        var cases: [(String, String)] = [(base, KoreanText.random(seed: 8, length: 400))]
        for step in [6, 10, 20, 40, 100, 200] {
            cases.append((base, KoreanText.edited(base, at: Array(stride(from: 3, to: 400, by: step)))))
        }
        var checked: [String] = []
        for (a, b) in cases {
            let truth = BruteShingles.jaccard(a, b)
            let sa = try XCTUnwrap(minHash.signature(shingles.hashes(a)))
            let sb = try XCTUnwrap(minHash.signature(shingles.hashes(b)))
            XCTAssertEqual(sa.count, 128)
            let estimate = agreement(sa, sb)
            XCTAssertEqual(estimate, truth, accuracy: 0.15, "true Jaccard \(truth), signatures agree in \(estimate)")
            checked.append(String(format: "%.2f~%.2f", truth, estimate))
        }
        print("MinHash: true Jaccard ~ signature agreement:", checked.joined(separator: ", "))
        XCTAssertEqual(agreement(try XCTUnwrap(minHash.signature(shingles.hashes(base))), try XCTUnwrap(minHash.signature(shingles.hashes(base)))), 1)
    }

    func testSignaturesAreDeterministicPerSeedAndFullForShortTexts() throws {
        let text = KoreanText.random(seed: 3, length: 200)
        let set = shingles.hashes(text)
        let one = try XCTUnwrap(MinHash(size: 128, seed: 1).signature(set))
        XCTAssertEqual(MinHash(size: 128, seed: 1).signature(set), one, "same seed, same signature")
        let other = try XCTUnwrap(MinHash(size: 128, seed: 2).signature(set))
        XCTAssertLessThan(agreement(one, other), 0.1, "another seed is another permutation")
        XCTAssertNil(MinHash(size: 128, seed: 1).signature([]), "an empty text has no signature")
        XCTAssertEqual(MinHash(size: 64, seed: 1).signature(set)?.count, 64)
        // 3 shingles for 128 bins: every bin still gets a value (densification), taken from the 3.
        let short = shingles.hashes("가나다라마바사")
        XCTAssertEqual(short.count, 3)
        let sig = try XCTUnwrap(MinHash(size: 128, seed: 1).signature(short))
        XCTAssertFalse(sig.contains(.max), "an empty bin was left unfilled")
        XCTAssertLessThanOrEqual(Set(sig).count, 3)
        XCTAssertEqual(MinHash(size: 128, seed: 1).signature(shingles.hashes("가나다")).map { Set($0).count }, 1)
    }

    // MARK: NearDuplicates

    func testFindPairsANearCopyAndNotAFarText() throws {
        let base = KoreanText.random(seed: 11, length: 120)
        let copy = KoreanText.edited(base, at: [60])                 // one syllable: J about 0.9
        let far = KoreanText.random(seed: 12, length: 120)
        let texts = [far, base, "", copy, "", "   ", "짧은글", "짧은 글"]
        let expectedJ = BruteShingles.jaccard(base, copy)
        XCTAssertGreaterThan(expectedJ, 0.85, "precondition")
        XCTAssertLessThan(BruteShingles.jaccard(base, far), 0.1, "precondition")

        let found = try NearDuplicates(threshold: 0.8, ngram: 5, seed: 1).find(texts)
        XCTAssertEqual(found.pairs.count, 1, "\(found.pairs)")
        XCTAssertEqual(found.pairs.first?.a, 1)
        XCTAssertEqual(found.pairs.first?.b, 3)
        XCTAssertEqual(found.pairs.first?.jaccard ?? 0, expectedJ, accuracy: 1e-12)
        XCTAssertEqual(found.jaccard(1, 3) ?? -1, expectedJ, accuracy: 1e-12)
        // Empty and blank texts are never near-duplicates of each other; "짧은글" and "짧은 글" differ.
        XCTAssertEqual(found.representative, [0, 1, 2, 1, 4, 5, 6, 7])
        XCTAssertEqual(found.clusters, [[1, 3]])
        XCTAssertEqual(found.cluster(of: 3), 1)
        XCTAssertNil(found.jaccard(0, 2), "no Jaccard for texts that were never candidates")
        XCTAssertGreaterThanOrEqual(found.candidates, 1)

        // The filter can skip the pair (the audit skips pairs within one split).
        let filtered = try NearDuplicates(threshold: 0.8, ngram: 5, seed: 1).find(texts) { a, b in !(a == 1 && b == 3) }
        XCTAssertEqual(filtered.pairs, [])
        XCTAssertEqual(filtered.clusters, [])
        // Above the pair's Jaccard it is no pair either.
        XCTAssertEqual(try NearDuplicates(threshold: min(1, expectedJ + 0.01), ngram: 5, seed: 1).find(texts).pairs, [])
        // The same short text twice is a pair (one shingle each, equal).
        XCTAssertEqual(try NearDuplicates(threshold: 0.8, ngram: 5, seed: 1).find(["짧은글", "짧은글"]).clusters, [[0, 1]])
    }

    func testClustersAreConnectedComponentsEvenWhenEndsAreFarApart() throws {
        // a ~ b ~ c by one edit each, a and c two edits apart: 66 shingles, (66-5)/(66+5) = 0.859
        // per step, (66-10)/(66+10) = 0.737 end to end (counted by hand, checked by BruteShingles).
        let base = KoreanText.random(seed: 21, length: 70, spaces: false)
        XCTAssertEqual(base.unicodeScalars.count, 70)
        let b = KoreanText.edited(base, at: [20]), c = KoreanText.edited(b, at: [50])
        let unrelated = KoreanText.random(seed: 22, length: 70, spaces: false)
        XCTAssertGreaterThanOrEqual(BruteShingles.jaccard(base, b), 0.8)
        XCTAssertGreaterThanOrEqual(BruteShingles.jaccard(b, c), 0.8)
        XCTAssertLessThan(BruteShingles.jaccard(base, c), 0.8, "precondition: the ends are not a pair")
        let found = try NearDuplicates(threshold: 0.8, ngram: 5, seed: 1).find([c, unrelated, b, base])
        XCTAssertEqual(found.pairs.map { [$0.a, $0.b] }, [[0, 2], [2, 3]])
        XCTAssertEqual(found.clusters, [[0, 2, 3]])
        XCTAssertEqual(found.representative, [0, 1, 0, 0], "the smallest index represents the cluster")
    }

    func testManyCopiesInOneBucketStillFormOneCluster() throws {
        // 40 copies exceed the all-pairs bucket (32): members are compared with the first and the
        // previous member only, which must still connect all of them.
        let text = KoreanText.random(seed: 31, length: 90)
        var texts = Array(repeating: text, count: 40)
        texts.insert(KoreanText.random(seed: 32, length: 90), at: 17)
        let found = try NearDuplicates(threshold: 0.8, ngram: 5, seed: 1).find(texts)
        XCTAssertEqual(found.clusters.count, 1)
        XCTAssertEqual(found.clusters.first, (0..<41).filter { $0 != 17 })
        XCTAssertEqual(found.representative[17], 17)
        XCTAssertTrue(found.pairs.allSatisfy { $0.jaccard == 1 && $0.a < $0.b })
    }
}
