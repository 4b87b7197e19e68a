import HarnessSpec
import JSON
@testable import Prep
import Records
import Support
import XCTest

/// The `dedup` stage (near-duplicate clusters, the removal ledger, held-out rows protected) and the
/// `sample` stage's `group_by`, on hand-made records. Texts are seeded random Hangul with a known
/// number of edited syllables; every expected Jaccard comes from `BruteShingles`, every expected
/// kept/removed row from the stage's documented rules applied by hand.
final class DedupStageTests: XCTestCase {
    private let h = StageHarness.self

    // Base texts (120 syllables, unrelated to each other) and near-copies with one or two edits.
    private let textA = KoreanText.random(seed: 101, length: 120)
    private let textT = KoreanText.random(seed: 102, length: 120)
    private let textF = KoreanText.random(seed: 103, length: 120)
    private var textA1: String { KoreanText.edited(textA, at: [60]) }
    private var textT1: String { KoreanText.edited(textT, at: [30]) }
    private var textT2: String { KoreanText.edited(textT, at: [90]) }

    private func dedup(_ args: String, then more: String = "") throws -> Dedup {
        try h.stage("  - dedup: \(args)\n\(more)", as: Dedup.self)
    }

    private func ids(_ records: [Record]) -> [String] { records.compactMap { $0.fields["id"] } }

    /// x (train copy of t1), a, t1 (test), b (train copy of a), t2 (test copy of t1), f (alone).
    private func mixedInput() -> [Record] {
        [h.record("x", split: "train", ["body": textT1]), h.record("a", split: "train", ["body": textA]),
         h.record("t1", split: "test", ["body": textT]), h.record("b", split: "train", ["body": textA1]),
         h.record("t2", split: "test", ["body": textT2]), h.record("f", split: "train", ["body": textF])]
    }

    private func checkPreconditions() {
        // Every pair inside {x, t1, t2} and {a, b} is at or above 0.8, every other pair far below.
        for (p, q) in [(textT1, textT), (textT1, textT2), (textT, textT2), (textA, textA1)] {
            XCTAssertGreaterThanOrEqual(BruteShingles.jaccard(p, q), 0.8, "precondition")
        }
        for (p, q) in [(textA, textT), (textA, textF), (textT, textF)] { XCTAssertLessThan(BruteShingles.jaccard(p, q), 0.2, "precondition") }
    }

    private func clusterLines(_ r: StageResult) throws -> [JSONValue] {
        XCTAssertEqual(r.sideFiles.map(\.folder), ["clusters"])
        return try (r.sideFiles.first?.lines ?? []).map { try JSONParser.parse(Array($0.utf8)) }
    }

    private func ledger(_ r: StageResult, _ id: String) -> Removal? { r.ledger.first { $0.record.fields["id"] == id } }

    // MARK: action: drop

    func testDropKeepsTheFirstRowPerSideAndLedgersEveryOther() throws {
        checkPreconditions()
        let input = mixedInput()
        let r = try dedup("{fields: [body], threshold: 0.8, action: drop, against_test: drop}").apply(input)
        // x is a training copy of the held-out t1: it goes though it comes first; t2 is the second
        // held-out member of that cluster; b the second training member of a's.
        XCTAssertEqual(ids(r.records), ["a", "t1", "f"])
        XCTAssertEqual(r.records.count + r.ledger.count, input.count, "kept + ledger = input")
        XCTAssertEqual(h.totalRemoved(r), r.ledger.count, "the ledger's reasons add up to `removed`")
        XCTAssertEqual(h.removed(r, "near-duplicate body of a test row (train copy)"), 1)
        XCTAssertEqual(h.removed(r, "near-duplicate body (train)"), 1)
        XCTAssertEqual(h.removed(r, "near-duplicate body (test)"), 1)

        let x = try XCTUnwrap(ledger(r, "x"))
        XCTAssertEqual(x.reason, "near-duplicate body of a test row (train copy)")
        XCTAssertEqual(x.duplicateOf?.id, "t1")
        XCTAssertEqual(x.duplicateOf?.split, "test")
        XCTAssertEqual(x.jaccard ?? -1, BruteShingles.jaccard(textT1, textT), accuracy: 1e-12)
        XCTAssertEqual(x.record, input[0], "the ledger keeps the row as it came in")
        let b = try XCTUnwrap(ledger(r, "b"))
        XCTAssertEqual(b.duplicateOf?.id, "a")
        XCTAssertEqual(b.duplicateOf?.split, "train")
        XCTAssertEqual(b.jaccard ?? -1, BruteShingles.jaccard(textA1, textA), accuracy: 1e-12)
        let t2 = try XCTUnwrap(ledger(r, "t2"))
        XCTAssertEqual(t2.reason, "near-duplicate body (test)")
        XCTAssertEqual(t2.duplicateOf?.id, "t1", "a held-out row only ever loses to a held-out row")
        XCTAssertEqual(t2.jaccard ?? -1, BruteShingles.jaccard(textT2, textT), accuracy: 1e-12)

        // The ledger line as written to removed/NN-dedup.jsonl.
        let line = try JSONParser.parse(Array(Ledger.line(x, stage: "dedup", columns: ["id", "body"]).utf8))
        XCTAssertEqual(line["stage"]?.scalarText, "dedup")
        XCTAssertEqual(line["duplicate_of"]?["id"]?.scalarText, "t1")
        XCTAssertEqual(line["duplicate_of"]?["split"]?.scalarText, "test")
        XCTAssertEqual(Double(line["jaccard"]?.scalarText ?? "") ?? -1, BruteShingles.jaccard(textT1, textT), accuracy: 1e-4)
        XCTAssertEqual(line["row"]?["id"]?.scalarText, "x")
        XCTAssertEqual(line["row"]?["_split"]?.scalarText, "train")

        // clusters/NN-dedup.jsonl: each cluster, first member first, with Jaccard to it and kept flags.
        let clusters = try clusterLines(r)
        XCTAssertEqual(clusters.count, 2)
        XCTAssertEqual(clusters.map { $0["cluster"]?.scalarText }, ["x", "a"], "clusters in order of their first member")
        XCTAssertEqual(clusters[0]["size"]?.scalarText, "3")
        guard case let .array(members)? = clusters[0]["members"] else { return XCTFail("no members: \(clusters[0])") }
        XCTAssertEqual(members.map { $0["id"]?.scalarText }, ["x", "t1", "t2"])
        XCTAssertEqual(members.map { $0["split"]?.scalarText }, ["train", "test", "test"])
        XCTAssertEqual(members.map { $0["kept"] }, [.bool(false), .bool(true), .bool(false)])
        XCTAssertEqual(Double(members[2]["jaccard"]?.scalarText ?? "") ?? -1, BruteShingles.jaccard(textT2, textT1), accuracy: 1e-4)

        let texts = input.map { $0.fields["body"]! }
        var expectedPairs = 0
        for i in texts.indices { for j in texts.indices where i < j && BruteShingles.jaccard(texts[i], texts[j]) >= 0.8 { expectedPairs += 1 } }
        // Dedup only needs clusters, so it skips candidates already connected: it verifies at least
        // enough pairs to join 5 rows into 2 clusters, and at most every pair at the threshold.
        let verified = Int(h.detail(r, "verified_pairs")?.scalarText ?? "") ?? -1
        XCTAssertTrue((3...max(3, expectedPairs)).contains(verified), "\(verified) of \(expectedPairs)")
        XCTAssertEqual(h.detail(r, "clusters")?.scalarText, "2")
        XCTAssertEqual(h.detail(r, "rows_in_clusters")?.scalarText, "5")
        XCTAssertEqual(h.detail(r, "largest_cluster")?.scalarText, "3")
        XCTAssertEqual(h.detail(r, "cross_split_clusters")?.scalarText, "1")
        XCTAssertEqual(h.detail(r, "bands")?.scalarText, "25x5")
        XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
    }

    func testReportKeepsTrainingCopiesOfHeldOutRowsAndWarns() throws {
        let r = try dedup("{fields: [body], action: drop, against_test: report}").apply(mixedInput())
        // x is now the first training member of its cluster: kept, and counted as reported.
        XCTAssertEqual(ids(r.records), ["x", "a", "t1", "f"])
        XCTAssertEqual(r.ledger.compactMap { $0.record.fields["id"] }, ["b", "t2"])
        XCTAssertEqual(h.detail(r, "kept_against_test")?.scalarText, "1")
        XCTAssertEqual(h.detail(r, "against_test")?.scalarText, "report")
        XCTAssertEqual(r.warnings.count, 1)
        XCTAssertTrue(r.warnings.first?.hasPrefix("1 training rows are near-duplicates (body, Jaccard ≥ 0.80) of held-out rows and were kept") ?? false, "\(r.warnings)")
    }

    func testAHeldOutRowIsNeverRemovedForATrainingCopyWhateverTheOrder() throws {
        // Exact copies both ways round, and a held-out row alone among training copies.
        for order in [["train", "test"], ["test", "train"]] {
            let input = [h.record("first", split: order[0], ["body": textA]), h.record("second", split: order[1], ["body": textA1]),
                         h.record("third", split: "train", ["body": textA])]
            for action in ["drop", "group"] {
                let r = try dedup("{fields: [body], action: \(action), against_test: drop}").apply(input)
                let heldOut = input.first { $0.split == "test" }!.fields["id"]!
                XCTAssertTrue(ids(r.records).contains(heldOut), "\(order) \(action): the test row was removed")
                XCTAssertEqual(ids(r.records).filter { $0 != heldOut }, [], "\(order) \(action): training copies stay")
                XCTAssertTrue(r.ledger.allSatisfy { $0.duplicateOf?.id == heldOut && $0.duplicateOf?.split == "test" })
            }
        }
    }

    func testTheTrainingSplitIsTheSampleStagesFrom() throws {
        let stage = try dedup("{fields: [body]}", then: "  - sample: {from: pool, splits: {train: 0.9, valid: 0.1}}")
        XCTAssertEqual(stage.readsBeyondItsEntry, "training split: pool")
        let r = try stage.apply([h.record("p", split: "pool", ["body": textA1]), h.record("tr", split: "train", ["body": textA])])
        XCTAssertEqual(ids(r.records), ["tr"], "with `from: pool`, `train` rows are held out")
        XCTAssertEqual(r.ledger.first?.reason, "near-duplicate body of a train row (pool copy)")
    }

    func testEmptyTextsAreNeverNearDuplicates() throws {
        let input = [h.record("e1", ["body": ""]), h.record("e2", [:]), h.record("e3", ["body": "  "]), h.record("e4", ["body": ""])]
        let dropped = try dedup("{fields: [body], action: drop}").apply(input)
        XCTAssertEqual(ids(dropped.records), ["e1", "e2", "e3", "e4"])
        XCTAssertTrue(dropped.ledger.isEmpty)
        let grouped = try dedup("{fields: [body], action: group}").apply(input)
        XCTAssertEqual(grouped.records.map { $0.fields["cluster"] }, ["e1", "e2", "e3", "e4"])
        XCTAssertEqual(try clusterLines(grouped).count, 0)
    }

    func testAChainIsOneClusterAndItsFarEndPointsAtTheFirstMember() throws {
        // a ~ b ~ c with one edit per step, a and c below the threshold (see NearDuplicatesTests).
        let a = KoreanText.random(seed: 21, length: 70, spaces: false)
        let b = KoreanText.edited(a, at: [20]), c = KoreanText.edited(b, at: [50])
        XCTAssertLessThan(BruteShingles.jaccard(a, c), 0.8, "precondition")
        let r = try dedup("{fields: [body], action: drop}").apply([h.record("a", ["body": a]), h.record("b", ["body": b]), h.record("c", ["body": c])])
        XCTAssertEqual(ids(r.records), ["a"])
        // c went as a member of a's cluster; its ledger entry names a and their own (sub-threshold) Jaccard.
        let lc = try XCTUnwrap(ledger(r, "c"))
        XCTAssertEqual(lc.duplicateOf?.id, "a")
        XCTAssertEqual(lc.jaccard ?? -1, BruteShingles.jaccard(c, a), accuracy: 1e-12)
        XCTAssertEqual(ledger(r, "b")?.jaccard ?? -1, BruteShingles.jaccard(b, a), accuracy: 1e-12)
    }

    // MARK: action: group

    func testGroupKeepsEveryRowAndWritesItsClusterId() throws {
        let input = mixedInput()
        let stage = try dedup("{fields: [body], action: group, against_test: report}")
        XCTAssertEqual(stage.columns(after: ["id", "body"]), ["id", "body", "cluster"])
        let r = try stage.apply(input)
        XCTAssertEqual(ids(r.records), ids(input), "nothing removed, order kept")
        XCTAssertTrue(r.ledger.isEmpty)
        XCTAssertTrue(r.removed.isEmpty)
        // The cluster is the id of its first member in the input; a row alone is its own cluster.
        XCTAssertEqual(r.records.map { $0.fields["cluster"] }, ["x", "a", "x", "a", "x", "f"])
        XCTAssertEqual(r.records.map { Record(fields: $0.fields.filter { $0.key != "cluster" }, split: $0.split, archive: $0.archive, entry: $0.entry) }, input,
                       "only the cluster field is added")
        XCTAssertEqual(try clusterLines(r).flatMap { line -> [JSONValue] in
            guard case let .array(m)? = line["members"] else { return [] }
            return m.map { $0["kept"] ?? .null }
        }, Array(repeating: .bool(true), count: 5))
        XCTAssertEqual(h.detail(r, "kept_against_test")?.scalarText, "1")

        // `into` names the field; against_test: drop still removes the training copy x.
        let named = try dedup("{fields: [body], action: group, into: dup_group}").apply(input)
        XCTAssertEqual(ids(named.records), ["a", "t1", "b", "t2", "f"])
        XCTAssertEqual(named.records.map { $0.fields["dup_group"] }, ["a", "x", "a", "x", "f"])
        XCTAssertNil(named.records.first?.fields["cluster"])
        XCTAssertEqual(named.ledger.map { $0.duplicateOf?.id }, ["t1"])
    }

    func testSeveralFieldsAreComparedAsOneText() throws {
        // Same long body under unrelated titles: Jaccard of "title␟body" stays high.
        let r1 = h.record("1", ["title": "첫째 제목", "body": textA]), r2 = h.record("2", ["title": "완전히 다른 제목", "body": textA])
        let expected = BruteShingles.jaccard(Shingles.text(of: ["첫째 제목", textA]), Shingles.text(of: ["완전히 다른 제목", textA]))
        XCTAssertGreaterThan(expected, 0.8, "precondition")
        let r = try dedup("{fields: [title, body], action: drop}").apply([r1, r2])
        XCTAssertEqual(ids(r.records), ["1"])
        XCTAssertEqual(r.ledger.first?.jaccard ?? -1, expected, accuracy: 1e-12)
        XCTAssertEqual(r.ledger.first?.reason, "near-duplicate title+body (train)")
        // Titles alone are not near-duplicates.
        XCTAssertEqual(ids(try dedup("{fields: [title], action: drop}").apply([r1, r2]).records), ["1", "2"])
    }

    func testArgumentsAreChecked() throws {
        func message(_ args: String) -> String? {
            do { _ = try dedup(args); return nil } catch { return (error as? SpecError)?.message ?? "\(error)" }
        }
        XCTAssertEqual(message("{fields: [body], threshold: 0}"), "must be a Jaccard similarity between 0.1 and 1, e.g. 0.8")
        XCTAssertEqual(message("{fields: [body], threshold: 1.5}"), "must be a Jaccard similarity between 0.1 and 1, e.g. 0.8")
        XCTAssertEqual(message("{fields: [body], threshold: 0.05}"), "must be a Jaccard similarity between 0.1 and 1, e.g. 0.8")
        XCTAssertNil(message("{fields: [body], threshold: 1}"))
        XCTAssertEqual(message("{fields: [body], ngram: 0}"), "must be between 1 and 64 characters (5 suits Korean)")
        XCTAssertEqual(message("{fields: [body], into: grp}"), "`into` names the cluster field of `action: group`; with `action: drop` there is none")
        XCTAssertEqual(message("{fields: [body], action: group, into: title}"), "the records already have a field 'title'; choose another name with `into:`")
        XCTAssertNotNil(message("{fields: [body], action: merge}"))
        XCTAssertNotNil(message("{fields: [body], against_test: keep}"))
        XCTAssertNotNil(message("{fields: [bdy]}"))
        XCTAssertNotNil(message("{threshold: 0.8}"), "fields are required")
        XCTAssertNotNil(message("{fields: [body], treshold: 0.8}"), "unknown key")
        let d = try dedup("{fields: [body]}")
        XCTAssertEqual(d.action, .drop)
        XCTAssertEqual(d.againstTest, .drop)
        XCTAssertEqual(d.threshold, 0.8)
        XCTAssertEqual(d.ngram, 5)
        XCTAssertEqual(d.audit?.fields, ["body"])
    }

    // MARK: sample group_by

    private func sample(_ args: String) throws -> Sample {
        try h.stage("  - dedup: {fields: [body], action: group}\n  - sample: \(args)", at: 1, as: Sample.self)
    }

    /// Train rows of class `type` in groups of the given sizes: ids `<type>-<g>-<k>`, cluster `<type>-<g>`
    /// (a group of one gets its own id, as `dedup` writes it).
    private func grouped(_ type: String, sizes: [Int]) -> [Record] {
        sizes.enumerated().flatMap { g, size in
            (0..<size).map { k in
                let id = "\(type)-\(g)-\(k)"
                return h.record(id, split: "train", ["type": type, "cluster": size == 1 ? id : "\(type)-\(g)"])
            }
        }
    }

    func testGroupsNeverStraddleSplitsAndClassesGetAboutPerClass() throws {
        let sizes = (0..<12).map { $0 % 4 + 1 }                                  // 1,2,3,4,... = 30 rows
        let input = grouped("A", sizes: sizes) + grouped("B", sizes: Array(sizes.reversed().dropLast(4))) + grouped("C", sizes: [3, 3])
            + (0..<4).map { h.record("test-\($0)", split: "test", ["type": "A", "cluster": "A-0"]) }
        let stage = try sample("{from: train, stratify_by: type, group_by: cluster, per_class: 10, splits: {train: 0.8, valid: 0.2}, seed: 3}")
        XCTAssertEqual(stage.groupBy, "cluster")
        let r = try stage.apply(input)
        XCTAssertEqual(r.records.filter { $0.split == "test" }, Array(input.suffix(4)), "other splits pass through untouched")

        let out = r.records.filter { $0.split != "test" }
        var splitsOf: [String: Set<String>] = [:]
        for row in out { splitsOf[row.fields["cluster"]!, default: []].insert(row.split!) }
        for (cluster, splits) in splitsOf { XCTAssertEqual(splits.count, 1, "cluster \(cluster) straddles \(splits.sorted())") }
        // Whole groups: a cluster is either all in the output or all in the ledger.
        let inputTrain = input.filter { $0.split == "train" }
        let size = Dictionary(grouping: inputTrain, by: { $0.fields["cluster"]! }).mapValues(\.count)
        for (cluster, n) in Dictionary(grouping: out, by: { $0.fields["cluster"]! }).mapValues(\.count) {
            XCTAssertEqual(n, size[cluster], "cluster \(cluster) was cut")
        }
        XCTAssertEqual(out.count + r.ledger.count, inputTrain.count, "kept + not sampled = input")
        XCTAssertEqual(Set(ids(r.ledger.map(\.record))), Set(ids(inputTrain)).subtracting(ids(out)))
        XCTAssertTrue(r.ledger.allSatisfy { $0.record.split == "train" }, "the ledger keeps rows as they came in")
        XCTAssertTrue(r.ledger.allSatisfy { $0.reason == "not sampled" })

        guard case let .object(classes)? = h.detail(r, "classes") else { return XCTFail("no class details") }
        for (cls, available) in [("A", 30), ("B", 20), ("C", 6)] {
            let rows = out.filter { $0.fields["type"] == cls }
            let taken = rows.count
            let detail = classes.first { $0.key == cls }?.value
            XCTAssertEqual(detail?["taken"]?.scalarText, String(taken), cls)
            XCTAssertEqual(detail?["available"]?.scalarText, String(available), cls)
            if available < 10 {
                XCTAssertEqual(taken, available, "\(cls): a short class gives all it has")
            } else {
                // Whole groups until 10 rows: at least 10, at most 10 + (largest group - 1).
                XCTAssertGreaterThanOrEqual(taken, 10, cls)
                XCTAssertLessThanOrEqual(taken, 13, cls)
            }
            // Each split within a group of its share (filled in turn, the last group may overshoot).
            let target = Sample.apportion(taken, ratios: [0.8, 0.2])
            XCTAssertLessThanOrEqual(abs(rows.filter { $0.split == "valid" }.count - target[1]), 3, "\(cls): \(target)")
            XCTAssertEqual(detail?["train"]?.scalarText, String(rows.filter { $0.split == "train" }.count))
        }
        XCTAssertEqual(r.warnings.count, 1)
        XCTAssertTrue(r.warnings.first?.hasSuffix("C (6)") ?? false, "\(r.warnings)")
        XCTAssertEqual(h.detail(r, "groups")?.scalarText, String(size.count))
        XCTAssertEqual(h.detail(r, "largest_group")?.scalarText, "4")
    }

    func testAllSingletonGroupsSampleExactlyAsWithoutGroupBy() throws {
        // Types A (25 rows) and B (14); the cluster is the row's own id (as dedup writes a row alone),
        // or absent (a null group value is a group of its own).
        let plain = (0..<25).map { h.record(String(format: "A%03d", $0), split: "train", ["type": "A"]) }
            + (0..<14).map { h.record(String(format: "B%03d", $0), split: "train", ["type": "B"]) }
        let own = plain.map { r -> Record in var c = r; c.fields["cluster"] = r.fields["id"]; return c }
        let args = "stratify_by: type, per_class: 10, splits: {train: 0.7, valid: 0.3}, seed: 5"
        let without = try sample("{\(args)}").apply(plain)
        XCTAssertEqual(try sample("{\(args)}").groupBy, "id")
        func picks(_ r: StageResult) -> [String] { r.records.map { "\($0.fields["id"]!)@\($0.split!)" } }
        let withOwn = try sample("{\(args), group_by: cluster}").apply(own)
        let withNull = try sample("{\(args), group_by: cluster}").apply(plain)
        XCTAssertEqual(picks(withOwn), picks(without), "cluster = own id")
        XCTAssertEqual(picks(withNull), picks(without), "no cluster value")
        XCTAssertEqual(without.records.count, 20)
        XCTAssertEqual(without.ledger.map { $0.record.fields["id"]! }.sorted(), withOwn.ledger.map { $0.record.fields["id"]! }.sorted())
    }

    func testAGroupLargerThanAShareStaysWholeAndTheDeviationIsReported() throws {
        // One group of 12 with per_class 10: taken whole (12 rows); targets 12 * 0.8 = 9.6 and 2.4
        // -> 10 and 2 (largest remainder); the group fills train, valid gets 0: off by 2 of 12 = 16.67 pp.
        let input = grouped("D", sizes: [12])
        let r = try sample("{stratify_by: type, group_by: cluster, per_class: 10, splits: {train: 0.8, valid: 0.2}, seed: 1}").apply(input)
        XCTAssertEqual(r.records.count, 12, "the group is taken whole")
        XCTAssertEqual(Set(r.records.map(\.split)), ["train"])
        XCTAssertTrue(r.ledger.isEmpty)
        XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
        XCTAssertEqual(h.detail(r, "ratio_deviation_pp")?.scalarText, "16.67")
        XCTAssertEqual(h.detail(r, "ratio_deviation_worst")?.scalarText, "D train: 12 rows for a target of 10")
        // Without grouping the same rows split 10 / 2 exactly.
        let plain = try sample("{stratify_by: type, per_class: 10, splits: {train: 0.8, valid: 0.2}, seed: 1}").apply(input)
        XCTAssertEqual(plain.records.filter { $0.split == "valid" }.count, 2)
        XCTAssertEqual(h.detail(plain, "ratio_deviation_pp")?.scalarText, "0.00")
        XCTAssertNil(h.detail(plain, "ratio_deviation_worst"))
    }

    func testDedupThenSampleKeepsEveryNearCopyClusterInOneSplit() throws {
        // 16 articles, each with 0 to 3 near-copies (one edited syllable each), all in train.
        var input: [Record] = []
        var truth: [String: String] = [:]   // id -> article
        for art in 0..<16 {
            let base = KoreanText.random(seed: 500 + UInt64(art), length: 110)
            for copy in 0...(art % 4) {
                let id = String(format: "n%02d-%d", art, copy)
                input.append(h.record(id, split: "train", ["type": art % 2 == 0 ? "even" : "odd",
                                                           "body": copy == 0 ? base : KoreanText.edited(base, at: [copy * 25])]))
                truth[id] = "n\(art)"
            }
        }
        input.reverse()   // cluster ids come from the first member in the input, whatever it is
        let spec = try h.spec(stages: "  - dedup: {fields: [body], action: group}\n  - sample: {stratify_by: type, group_by: cluster, per_class: 8, splits: {train: 0.5, valid: 0.5}, seed: 9}")
        let grouped = try StageRegistry.make(spec.stages[0], spec: spec).apply(input)
        // The clusters found are the articles.
        let byCluster = Dictionary(grouping: grouped.records, by: { $0.fields["cluster"]! }).mapValues { Set($0.map { truth[$0.fields["id"]!]! }) }
        XCTAssertEqual(byCluster.count, 16)
        XCTAssertTrue(byCluster.values.allSatisfy { $0.count == 1 }, "\(byCluster)")
        let sampled = try StageRegistry.make(spec.stages[1], spec: spec).apply(grouped.records)
        var splitsOf: [String: Set<String>] = [:]
        for r in sampled.records { splitsOf[truth[r.fields["id"]!]!, default: []].insert(r.split!) }
        XCTAssertTrue(splitsOf.values.allSatisfy { $0.count == 1 }, "\(splitsOf)")
        XCTAssertEqual(Set(splitsOf.values.flatMap { $0 }), ["train", "valid"], "both splits get rows")
    }

    func testGroupByMustNameAFieldThatExistsAtThatPoint() throws {
        func message(_ stages: String, at index: Int) -> String? {
            do { _ = try h.stage(stages, at: index); return nil } catch { return (error as? SpecError)?.message ?? "\(error)" }
        }
        XCTAssertNil(message("  - dedup: {fields: [body], action: group}\n  - sample: {group_by: cluster}", at: 1))
        XCTAssertNil(message("  - dedup: {fields: [body], action: group, into: grp}\n  - sample: {group_by: grp}", at: 1))
        XCTAssertNil(message("  - sample: {group_by: title}", at: 0), "any record field can group")
        XCTAssertNotNil(message("  - sample: {group_by: cluster}", at: 0), "no dedup: no cluster field")
        XCTAssertNotNil(message("  - dedup: {fields: [body], action: drop}\n  - sample: {group_by: cluster}", at: 1), "action: drop adds no field")
        XCTAssertNotNil(message("  - sample: {group_by: cluster}\n  - dedup: {fields: [body], action: group}", at: 0), "the dedup must come before")
    }
}
