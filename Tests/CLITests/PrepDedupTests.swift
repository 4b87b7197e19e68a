import Foundation
import XCTest

/// Near-duplicates end to end: the real `prep` on `fixtures/aihub/variants/neardup` (283 Training +
/// 41 Validation docs, 24 planted near-copies), checked against `expected_clusters.json`, which the
/// fixture generator computed by brute force in Python (exact Jaccard of every pair on 5-code-point
/// shingles, threshold 0.8, clusters = connected components; see fixtures/README.md). Nothing
/// expected here is copied from a `prep` run: it comes from that file, from the rows `prep` wrote
/// (which split a row ended in) combined with the documented rules, or from the test's own edits.
final class PrepDedupTests: XCTestCase {
    static let fixture = Binaries.repo + "/fixtures/aihub/variants/neardup"

    // MARK: The truth

    struct Truth {
        var clusters: [Set<String>] = []
        var pairs: [(a: String, b: String, jaccard: Double, crossSplit: Bool)] = []
        var planted: [(id: String, source: String)] = []
        var docs: [String: Int] = [:]

        func cluster(of id: String) -> Set<String>? { clusters.first { $0.contains(id) } }

        func jaccard(_ a: String, _ b: String) -> Double? {
            pairs.first { ($0.a == a && $0.b == b) || ($0.a == b && $0.b == a) }?.jaccard
        }

        /// Every unordered pair of ids that share a cluster.
        static func coClustered(_ clusters: [Set<String>]) -> Set<Set<String>> {
            var out = Set<Set<String>>()
            for c in clusters { let m = c.sorted(); for i in m.indices { for j in m.indices where i < j { out.insert([m[i], m[j]]) } } }
            return out
        }
    }

    static func truth() throws -> Truth {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture + "/expected_clusters.json"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var t = Truth()
        XCTAssertEqual(json["threshold"] as? Double, 0.8)
        XCTAssertEqual(json["ngram"] as? Int, 5)
        t.docs = try XCTUnwrap(json["docs"] as? [String: Int])
        for c in try XCTUnwrap(json["clusters"] as? [[String: Any]]) {
            let members = try XCTUnwrap(c["members"] as? [[String: Any]])
            t.clusters.append(Set(members.compactMap { $0["id"] as? String }))
        }
        for p in try XCTUnwrap(json["pairs"] as? [[String: Any]]) {
            t.pairs.append((try XCTUnwrap(p["a"] as? String), try XCTUnwrap(p["b"] as? String), try XCTUnwrap(p["jaccard"] as? Double),
                            (p["a_split"] as? String) != (p["b_split"] as? String)))
        }
        for p in try XCTUnwrap(json["planted"] as? [[String: Any]]) {
            t.planted.append((try XCTUnwrap(p["id"] as? String), try XCTUnwrap(p["source"] as? String)))
        }
        return t
    }

    // MARK: Helpers

    /// Writes `specs/<name>.yaml` reading the fixture (the clickbait record mapping) into
    /// `out/<name>/` (or as `outputs` says), with the refine rules expected_clusters.json assumes, then `stages`.
    @discardableResult
    private func writeSpec(_ w: Workspace, _ name: String, stages: String, outputs: String? = nil) throws -> String {
        let text = """
            name: \(name)
            source:
              root: "\(Self.fixture)"
              archives: ["**/02.라벨링데이터/*.zip"]
              entries: "*_L.json"
              split_by_path: {Training: train, Validation: test}
            record:
              id: sourceDataInfo.newsID
              type: sourceDataInfo.processPattern
              title: {first: [labeledDataInfo.newTitle, sourceDataInfo.newsTitle]}
              body: {join: "labeledDataInfo.processSentenceInfo[*].sentenceContent",
                     or: {join: "sourceDataInfo.sentenceInfo[*].sentenceContent"}, with: " "}
              label: {from: labeledDataInfo.clickbaitClass, map: {0: clickbait, 1: normal}}
            stages:
              - refine: {fields: [body], rules: [unescape_quotes, newlines_to_spaces, collapse_spaces, strip]}
            \(stages)
            outputs: \(outputs ?? "{dir: out/\(name), formats: [jsonl]}")

            """
        let path = "specs/\(name).yaml"
        try text.write(toFile: w.dir + "/" + path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `prep run specs/<name>.yaml` and checks it succeeded.
    @discardableResult
    private func run(_ w: Workspace, _ name: String, _ extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> Binaries.Result {
        let r = try w.prep(["run", "specs/\(name).yaml"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout, file: file, line: line)
        return r
    }

    private func rows(_ w: Workspace, _ name: String, _ file: String) throws -> [[String: Any]] {
        try Workspace.jsonl(w.dir + "/out/\(name)/\(file)")
    }

    private func ids(_ rows: [[String: Any]]) -> [String] { rows.compactMap { $0["id"] as? String } }

    /// Split of every row of the final split files.
    private func splitOf(_ w: Workspace, _ name: String, splits: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for s in splits { for id in ids(try rows(w, name, "\(s).jsonl")) { XCTAssertNil(out.updateValue(s, forKey: id), "\(id) twice") } }
        return out
    }

    /// The latest run's stages and artifacts, read with Python's own sqlite3.
    private func storeStages(_ w: Workspace) throws -> (stages: [[String: Any]], artifactRows: [String: Int]) {
        let json = try XCTUnwrap(try Python.json("""
            import sqlite3, sys, json
            c = sqlite3.connect(sys.argv[1])
            run = c.execute("SELECT max(id) FROM runs").fetchone()[0]
            stages = [{"position": p, "name": n, "rows_in": i, "rows_out": o, "removed": json.loads(r)}
                      for p, n, i, o, r in c.execute("SELECT position, name, rows_in, rows_out, removed FROM stages WHERE run_id = ? ORDER BY position", (run,))]
            arts = {p: n for p, n in c.execute("SELECT path, rows FROM artifacts WHERE run_id = ?", (run,))}
            print(json.dumps({"stages": stages, "artifacts": arts}))
            """, [w.db]) as? [String: Any])
        return (try XCTUnwrap(json["stages"] as? [[String: Any]]), try XCTUnwrap(json["artifacts"] as? [String: Int]))
    }

    /// Brute-force Jaccard of 5-code-point shingles after NFC, lower case and whitespace collapsing,
    /// as fixtures/README.md defines it (for texts this test edits itself).
    private func jaccard(_ a: String, _ b: String) -> Double {
        func set(_ s: String) -> Set<[UInt32]> {
            let v = s.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ").unicodeScalars.map(\.value)
            if v.count < 5 { return v.isEmpty ? [] : [v] }
            return Set((0...(v.count - 5)).map { Array(v[$0..<($0 + 5)]) })
        }
        let x = set(a), y = set(b)
        return Double(x.intersection(y).count) / Double(x.union(y).count)
    }

    private func normalised(_ s: String) -> String {
        s.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static let groupedStages = """
          - dedup: {fields: [body], threshold: 0.8, action: group, into: cluster, against_test: drop}
          - sample: {from: train, stratify_by: type, group_by: cluster, per_class: 20, splits: {train: 0.8, valid: 0.2}, seed: 3}
        """

    // MARK: 1. Clusters

    func testClustersMatchThePlantedTruth() throws {
        let truth = try Self.truth()
        XCTAssertEqual(truth.clusters.count, 27, "fixtures/README.md: 27 clusters (24 planted, 3 natural)")
        let w = try Workspace("dedup-clusters")
        try writeSpec(w, "nd-group", stages: "  - dedup: {fields: [body], threshold: 0.8, action: group, against_test: report}")
        let r = try run(w, "nd-group")

        // Every doc stays (no drop of duplicates); the cluster file is the dedup stage's (position 2).
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: w.dir + "/out/nd-group/clusters"), ["02-dedup.jsonl"])
        XCTAssertFalse(w.exists("out/nd-group/removed"), "action: group with against_test: report removes nothing")
        let lines = try rows(w, "nd-group", "clusters/02-dedup.jsonl")
        var found: [Set<String>] = []
        var clusterOf: [String: String] = [:]
        for line in lines {
            let members = try XCTUnwrap(line["members"] as? [[String: Any]])
            let memberIDs = ids(members)
            found.append(Set(memberIDs))
            XCTAssertEqual(line["size"] as? Int, members.count)
            XCTAssertEqual(line["cluster"] as? String, memberIDs.first, "a cluster is named by its first member")
            for m in members {
                XCTAssertEqual(m["kept"] as? Bool, true)
                clusterOf[m["id"] as! String] = line["cluster"] as? String
                // The Jaccard to the first member matches Python's for a direct pair.
                if let first = memberIDs.first, m["id"] as? String != first, let expected = truth.jaccard(first, m["id"] as! String) {
                    XCTAssertEqual(m["jaccard"] as? Double ?? -1, expected, accuracy: 1e-4, "\(first) ~ \(m["id"]!)")
                }
            }
        }

        let expectedPairs = Truth.coClustered(truth.clusters), foundPairs = Truth.coClustered(found)
        let pairPrecision = Double(foundPairs.intersection(expectedPairs).count) / Double(max(foundPairs.count, 1))
        let pairRecall = Double(foundPairs.intersection(expectedPairs).count) / Double(expectedPairs.count)
        let clusterPrecision = Double(Set(found).intersection(truth.clusters).count) / Double(max(found.count, 1))
        let clusterRecall = Double(Set(found).intersection(truth.clusters).count) / Double(truth.clusters.count)
        print("neardup fixture: pairs precision \(pairPrecision) recall \(pairRecall) (\(foundPairs.count) found, \(expectedPairs.count) expected); "
              + "clusters precision \(clusterPrecision) recall \(clusterRecall) (\(found.count) found, \(truth.clusters.count) expected)")
        XCTAssertEqual(pairPrecision, 1.0, "false pairs: \(foundPairs.subtracting(expectedPairs))")
        XCTAssertEqual(pairRecall, 1.0, "missed pairs: \(expectedPairs.subtracting(foundPairs))")
        XCTAssertEqual(clusterPrecision, 1.0)
        XCTAssertEqual(clusterRecall, 1.0)
        // Every direct pair of the truth is also an edge here (clusters are all pairs in this fixture).
        for p in truth.pairs { XCTAssertEqual(clusterOf[p.a].map { $0 == clusterOf[p.b] }, true, "\(p.a) ~ \(p.b) (J=\(p.jaccard)) not clustered") }
        for p in truth.planted { XCTAssertEqual(clusterOf[p.id].map { $0 == clusterOf[p.source] }, true, "planted \(p.id) (copy of \(p.source)) not found") }

        // Every row is written, with its cluster: the cluster's first member, else its own id.
        let train = try rows(w, "nd-group", "train.jsonl"), test = try rows(w, "nd-group", "test.jsonl")
        XCTAssertEqual(train.count, truth.docs["train"])
        XCTAssertEqual(test.count, truth.docs["test"])
        for row in train + test {
            let id = try XCTUnwrap(row["id"] as? String)
            XCTAssertEqual(row["cluster"] as? String, clusterOf[id] ?? id, id)
        }
        let rowsInClusters = truth.clusters.reduce(0) { $0 + $1.count }
        XCTAssertTrue(r.stdout.contains("near-duplicates: \(truth.clusters.count) clusters holding \(rowsInClusters) rows (out/nd-group/clusters/02-dedup.jsonl)"), r.stdout)
    }

    // MARK: 2. The removal ledger

    /// The summary names the ledger folder as the spec wrote it: an absolute output folder keeps its
    /// leading slash (it once printed `tmp/x/removed/`).
    func testTheSummaryNamesAnAbsoluteLedgerFolderWhole() throws {
        let w = try Workspace("dedup-ledger-abs")
        try writeSpec(w, "nd-abs", stages: "  - drop: {required: [id, body], duplicates: [body]}", outputs: "{dir: \"\(w.dir)/abs-out\", formats: [jsonl]}")
        let r = try run(w, "nd-abs")
        XCTAssertTrue(r.stdout.contains("removed rows kept in \(w.dir)/abs-out/removed/ ("), r.stdout)
    }

    func testTheLedgerHoldsExactlyTheRowsThatVanished() throws {
        let truth = try Self.truth()
        let w = try Workspace("dedup-ledger")
        try writeSpec(w, "nd-ledger", stages: """
              - drop: {required: [id, body], duplicates: [body]}
              - dedup: {fields: [body], threshold: 0.8, action: drop, against_test: drop}
              - sample: {from: train, stratify_by: type, per_class: 15, splits: {train: 0.8, valid: 0.2}, seed: 3}
            """)
        try run(w, "nd-ledger", ["--keep-stages"])
        let stageFiles = ["records.jsonl", "stages/01-refine.jsonl", "stages/02-drop.jsonl", "stages/03-dedup.jsonl", "stages/04-sample.jsonl"]
        let stageRows = try stageFiles.map { try rows(w, "nd-ledger", $0) }
        let store = try storeStages(w)

        for (position, kind) in [(2, "drop"), (3, "dedup"), (4, "sample")] {
            let input = stageRows[position - 1], output = stageRows[position]
            let ledgerPath = "removed/0\(position)-\(kind).jsonl"
            let ledger = try rows(w, "nd-ledger", ledgerPath)
            let ledgerRows = try ledger.map { try XCTUnwrap($0["row"] as? [String: Any]) }
            // Exactly the rows that vanished: input ids minus output ids, each once.
            XCTAssertEqual(ids(ledgerRows).sorted(), Set(ids(input)).subtracting(ids(output)).sorted(), kind)
            XCTAssertEqual(Set(ids(ledgerRows)).count, ledgerRows.count, "\(kind): a row ledgered twice")
            XCTAssertEqual(output.count + ledger.count, input.count, "\(kind): kept + ledger = input")
            // Each ledger row is the row as it entered the stage.
            let inputByID = Dictionary(uniqueKeysWithValues: input.map { ($0["id"] as! String, $0) })
            for row in ledgerRows {
                XCTAssertTrue(NSDictionary(dictionary: row).isEqual(to: inputByID[row["id"] as! String] ?? [:]), "\(kind): \(row["id"]!) changed in the ledger")
            }
            for entry in ledger { XCTAssertEqual(entry["stage"] as? String, kind) }
            // The store agrees: rows_in - rows_out, the removed counts by reason, the ledger artifact's rows.
            let stage = try XCTUnwrap(store.stages.first { $0["position"] as? Int == position })
            XCTAssertEqual(stage["name"] as? String, kind)
            XCTAssertEqual(stage["rows_in"] as? Int, input.count, kind)
            XCTAssertEqual(stage["rows_out"] as? Int, output.count, kind)
            var reasons: [String: Int] = [:]
            for entry in ledger { reasons[entry["reason"] as? String ?? "?", default: 0] += 1 }
            XCTAssertEqual(stage["removed"] as? [String: Int], reasons, kind)
            XCTAssertEqual(store.artifactRows["out/nd-ledger/" + ledgerPath], ledger.count, kind)
        }

        // Which rows drop and dedup take, from the truth: every cluster (all pairs here) loses one
        // member; a cluster with a held-out (test) member loses its training member, any other the
        // member that comes later in the input. Exact copies (same normalised body) go in `drop`.
        let refined = stageRows[1]
        let order = Dictionary(uniqueKeysWithValues: ids(refined).enumerated().map { ($1, $0) })
        let split = Dictionary(uniqueKeysWithValues: refined.map { ($0["id"] as! String, $0["_split"] as! String) })
        let body = Dictionary(uniqueKeysWithValues: refined.map { ($0["id"] as! String, normalised($0["body"] as? String ?? "")) })
        var expectedDrop = Set<String>(), expectedDedup = Set<String>()
        for c in truth.clusters {
            XCTAssertEqual(c.count, 2, "fixtures/README.md: every cluster is a pair")
            let m = c.sorted { order[$0]! < order[$1]! }
            let loser = split[m[0]] == "test" ? m[1] : (split[m[1]] == "test" ? m[0] : m[1])
            XCTAssertEqual(split[loser], "train", "a held-out row is never the one to go")
            if body[m[0]] == body[m[1]] { expectedDrop.insert(loser) } else { expectedDedup.insert(loser) }
        }
        XCTAssertFalse(expectedDrop.isEmpty, "precondition: the fixture has exact copies")
        let dropLedger = try rows(w, "nd-ledger", "removed/02-drop.jsonl"), dedupLedger = try rows(w, "nd-ledger", "removed/03-dedup.jsonl")
        XCTAssertEqual(Set(dropLedger.map { ($0["row"] as! [String: Any])["id"] as! String }), expectedDrop)
        XCTAssertEqual(Set(dedupLedger.map { ($0["row"] as! [String: Any])["id"] as! String }), expectedDedup)

        for (kind, ledger, kept) in [("drop", dropLedger, stageRows[2]), ("dedup", dedupLedger, stageRows[3])] {
            let keptIDs = Set(ids(kept))
            for entry in ledger {
                let row = entry["row"] as! [String: Any]
                let id = row["id"] as! String
                let dup = try XCTUnwrap(entry["duplicate_of"] as? [String: Any], "\(kind) \(id): no duplicate_of")
                let dupID = try XCTUnwrap(dup["id"] as? String)
                XCTAssertEqual(truth.cluster(of: id), truth.cluster(of: dupID), "\(kind) \(id) points at \(dupID), not in its cluster")
                XCTAssertTrue(keptIDs.contains(dupID), "\(kind) \(id) points at \(dupID), which the stage did not keep")
                XCTAssertEqual(dup["split"] as? String, split[dupID])
                // No held-out row is removed for duplicating a training row.
                XCTAssertFalse(row["_split"] as? String == "test" && dup["split"] as? String == "train", "\(kind) removed test row \(id)")
                if kind == "dedup", let expected = truth.jaccard(id, dupID) {
                    let j = try XCTUnwrap(entry["jaccard"] as? Double, "\(id): no jaccard")
                    XCTAssertGreaterThanOrEqual(j, 0.8)
                    XCTAssertEqual(j, expected, accuracy: 1e-4, "\(id) ~ \(dupID)")
                }
                if kind == "drop" { XCTAssertNil(entry["jaccard"], "an exact duplicate has no Jaccard") }
            }
        }
        // Every held-out row reaches the test output.
        XCTAssertEqual(Set(ids(try rows(w, "nd-ledger", "test.jsonl"))), Set(split.filter { $0.value == "test" }.keys))
    }

    // MARK: 3. Group-aware sampling

    func testGroupAwareSamplingNeverSplitsACluster() throws {
        let truth = try Self.truth()
        let w = try Workspace("dedup-sample")
        try writeSpec(w, "nd-grouped", stages: Self.groupedStages)
        try run(w, "nd-grouped")
        var splitsOf: [String: Set<String>] = [:], members: [String: Set<String>] = [:]
        for s in ["train", "valid"] {
            for row in try rows(w, "nd-grouped", "\(s).jsonl") {
                let cluster = try XCTUnwrap(row["cluster"] as? String)
                splitsOf[cluster, default: []].insert(s)
                members[cluster, default: []].insert(row["id"] as! String)
            }
        }
        let multi = members.filter { $0.value.count > 1 }
        XCTAssertGreaterThanOrEqual(multi.count, 3, "precondition: the sample holds clusters of several rows")
        for (cluster, splits) in splitsOf { XCTAssertEqual(splits.count, 1, "cluster \(cluster) straddles \(splits.sorted())") }
        // The clusters of several rows are clusters of the truth, taken whole; no training copy of a
        // test row is left (against_test: drop), so no cluster reaches into test either.
        for (_, m) in multi { XCTAssertTrue(truth.clusters.contains(m), "\(m.sorted()) is no cluster of the truth") }
        let sampled = Set(members.values.flatMap { $0 })
        let testIDs = Set(ids(try rows(w, "nd-grouped", "test.jsonl")))
        for c in truth.clusters {
            if c.isDisjoint(with: testIDs) {
                XCTAssertTrue(c.isSubset(of: sampled) || c.isDisjoint(with: sampled), "\(c.sorted()) was cut by the sample")
            } else {
                XCTAssertTrue(c.isDisjoint(with: sampled), "\(c.sorted()) has a test member and a sampled training member")
            }
        }
    }

    // MARK: 4. The leakage audit

    func testTheAuditFailsOnANaiveSplitAndPassesOnAGroupAwareOne() throws {
        let truth = try Self.truth()
        let w = try Workspace("dedup-audit")
        // A: clusters marked but ignored by the sample, training copies of test rows kept.
        try writeSpec(w, "nd-naive", stages: """
              - dedup: {fields: [body], threshold: 0.8, action: group, against_test: report}
              - sample: {from: train, stratify_by: type, splits: {train: 0.8, valid: 0.2}, seed: 3}
            """)
        try run(w, "nd-naive")
        let split = try splitOf(w, "nd-naive", splits: ["train", "valid", "test"])
        XCTAssertEqual(split.count, truth.docs.values.reduce(0, +), "no per_class: every row is kept")
        // The pairs that must be reported: those of the truth whose rows ended in different splits.
        let crossing = truth.pairs.filter { split[$0.a] != split[$0.b] }
        let straddling = crossing.filter { Set([split[$0.a], split[$0.b]]) == ["train", "valid"] }
        XCTAssertFalse(straddling.isEmpty, "precondition: seed 3 puts a cluster across train and valid; choose another seed")

        let audit = try w.prep(["audit", "latest", "--limit", "100", "--out", w.dir + "/pairs.jsonl"])
        XCTAssertEqual(audit.status, 1, audit.stderr)
        let pairs = try Workspace.jsonl(w.dir + "/pairs.jsonl")
        XCTAssertEqual(Set(pairs.map { Set([$0["a"] as! String, $0["b"] as! String]) }), Set(crossing.map { Set([$0.a, $0.b]) }))
        for p in pairs {
            XCTAssertEqual(p["a_split"] as? String, split[p["a"] as! String])
            XCTAssertEqual(p["b_split"] as? String, split[p["b"] as! String])
            XCTAssertEqual(p["jaccard"] as? Double ?? -1, truth.jaccard(p["a"] as! String, p["b"] as! String) ?? -2, accuracy: 1e-4)
        }
        XCTAssertTrue(audit.stdout.contains(": \(crossing.count) pairs cross"), audit.stdout)
        let printed = audit.stdout.split(separator: "\n")
        for p in straddling {
            XCTAssertTrue(printed.contains { $0.contains(p.a) && $0.contains(p.b) }, "pair \(p.a) ~ \(p.b) not printed:\n\(audit.stdout)")
        }

        // B: training copies of test rows dropped, clusters kept in one split.
        try writeSpec(w, "nd-grouped", stages: Self.groupedStages)
        try run(w, "nd-grouped")
        let clean = try w.prep(["audit", "latest"])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        XCTAssertTrue(clean.stdout.hasPrefix("audit run-2: splits against each other ("), clean.stdout)
        XCTAssertTrue(clean.stdout.hasSuffix("no pair crosses\n"), clean.stdout)
        // The naive run still fails when named.
        XCTAssertEqual(try w.prep(["audit", "run-1", "--limit", "0"]).status, 1)
    }

    func testTheAuditAgainstAnOutsideFileFindsEditedCopies() throws {
        let truth = try Self.truth()
        let w = try Workspace("dedup-against")
        try writeSpec(w, "nd-grouped", stages: Self.groupedStages)
        try run(w, "nd-grouped")
        // The longest bodies of valid and test rows that are in no cluster, so each copy has one match.
        func pick(_ split: String) throws -> (id: String, body: String) {
            let candidates = try rows(w, "nd-grouped", "\(split).jsonl").filter { truth.cluster(of: $0["id"] as! String) == nil }
            let row = try XCTUnwrap(candidates.max { ($0["body"] as! String).count < ($1["body"] as! String).count })
            return (row["id"] as! String, row["body"] as! String)
        }
        func edited(_ text: String, at offsets: [Int]) -> String {
            var chars = Array(text)
            for o in offsets { chars[o] = chars[o] == "햏" ? "뷁" : "햏" }
            return String(chars)
        }
        let valid = try pick("valid"), test = try pick("test")
        let validCopy = edited(valid.body, at: [valid.body.count / 2])                     // one character
        let testCopy = edited(test.body, at: [test.body.count / 3, test.body.count / 3 + 1]) // two, side by side
        let unrelated = "봄바람이 불어오는 강가에서 할머니는 손주들에게 옛날이야기를 들려주셨고 아이들은 밤늦도록 귀를 기울였다."
        XCTAssertGreaterThanOrEqual(jaccard(validCopy, valid.body), 0.85, "precondition")
        XCTAssertGreaterThanOrEqual(jaccard(testCopy, test.body), 0.85, "precondition")
        func line(_ id: String, _ body: String) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: ["id": id, "body": body]), as: UTF8.self)
        }
        try [try line("ext-valid", validCopy), try line("ext-test", testCopy), try line("ext-unrelated", unrelated)].joined(separator: "\n")
            .write(toFile: w.dir + "/bench.jsonl", atomically: true, encoding: .utf8)

        let r = try w.prep(["audit", "latest", "--against", "bench.jsonl", "--out", w.dir + "/pairs.jsonl"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let pairs = try Workspace.jsonl(w.dir + "/pairs.jsonl")
        let found = Set(pairs.map { "\($0["a"]!)~\($0["b"]!)" })
        XCTAssertEqual(found, ["ext-valid~\(valid.id)", "ext-test~\(test.id)"])
        for p in pairs {
            XCTAssertEqual(p["a_split"] as? String, "outside:bench.jsonl")
            let expected = p["a"] as? String == "ext-valid" ? jaccard(validCopy, valid.body) : jaccard(testCopy, test.body)
            XCTAssertEqual(p["jaccard"] as? Double ?? -1, expected, accuracy: 1e-4)
            XCTAssertEqual(p["exact"] as? Bool, false)
        }
        XCTAssertEqual(Set(pairs.map { $0["b_split"] as! String }), ["valid", "test"])
        for id in ["ext-valid", "ext-test", valid.id, test.id] { XCTAssertTrue(r.stdout.contains(id), "\(id) not listed:\n\(r.stdout)") }
        XCTAssertFalse(r.stdout.contains("ext-unrelated"), r.stdout)
        XCTAssertTrue(r.stdout.contains("against bench.jsonl"), r.stdout)

        try (try line("ext-unrelated", unrelated) + "\n").write(toFile: w.dir + "/unrelated.jsonl", atomically: true, encoding: .utf8)
        let none = try w.prep(["audit", "latest", "--against", "unrelated.jsonl"])
        XCTAssertEqual(none.status, 0, none.stdout + none.stderr)
        XCTAssertTrue(none.stdout.hasSuffix("no pair crosses\n"), none.stdout)
    }

    func testTheAuditRejectsBadInput() throws {
        let truth = try Self.truth()
        let w = try Workspace("dedup-audit-bad")
        try writeSpec(w, "nd-grouped", stages: Self.groupedStages)
        try run(w, "nd-grouped")
        func write(_ name: String, _ text: String) throws { try text.write(toFile: w.dir + "/" + name, atomically: true, encoding: .utf8) }
        func expectBad(_ args: [String], _ fragments: [String], status: Int32 = 2, line: UInt = #line) throws {
            let r = try w.prep(["audit"] + args)
            XCTAssertEqual(r.status, status, r.stdout + r.stderr, line: line)
            for f in fragments { XCTAssertTrue(r.stderr.contains(f), "'\(f)' not in: \(r.stderr)", line: line) }
        }
        try write("bad.jsonl", "{\"id\": \"x\", \"body\": \"봄바람이 분다\"}\nthis is not json\n")
        try expectBad(["run-1", "--against", "bad.jsonl"], ["bad.jsonl:2: not a JSON object per line"])
        try write("array.jsonl", "[1, 2]\n")
        try expectBad(["run-1", "--against", "array.jsonl"], ["array.jsonl:1: not a JSON object per line"])
        try expectBad(["run-1", "--against", "missing.jsonl"], ["missing.jsonl"])
        try write("nobody.jsonl", "{\"id\": \"q\", \"text\": \"봄바람이 분다\"}\n")
        try expectBad(["run-1", "--against", "nobody.jsonl"], ["nobody.jsonl: no row has the field 'body'", "--fields"])
        // A typo among good fields is not compared as empty text.
        try expectBad(["run-1", "--fields", "title,bdy"], ["the run's outputs: no row has the field 'bdy'; did you mean 'body'?"])
        // A usage error is ArgumentParser's (64), as for every other command (see EvalCommandTests).
        try expectBad(["run-1", "--threshold", "1.5"], ["--threshold must be above 0 and at most 1"], status: 64)

        // A run without dedup has no fields to compare until they are named.
        try writeSpec(w, "nd-plain", stages: "")
        try run(w, "nd-plain")
        try expectBad(["latest"], ["run-2 has no dedup stage to take the fields from", "--fields title,body"])
        let named = try w.prep(["audit", "latest", "--fields", "body"])
        // Every row is kept in its own split: every cross-split pair of the truth crosses.
        let crossing = truth.pairs.filter(\.crossSplit).count
        XCTAssertEqual(crossing, 13, "fixtures/README.md: 13 train–test pairs")
        XCTAssertEqual(named.status, 1, named.stdout + named.stderr)
        XCTAssertTrue(named.stdout.contains(": \(crossing) pairs cross"), named.stdout)
    }

    // MARK: 6. The data report

    func testTheDataReportShowsTheLedgerClustersAndAudit() throws {
        let truth = try Self.truth()
        let w = try Workspace("dedup-report")
        try writeSpec(w, "nd-report", stages: """
              - dedup: {fields: [body], threshold: 0.8, action: drop, against_test: drop}
              - sample: {from: train, stratify_by: type, per_class: 15, splits: {train: 0.8, valid: 0.2}, seed: 3}
            """)
        try run(w, "nd-report")
        let r = try w.prep(["report", "latest"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "wrote reports/run-1-data.html\n")
        let html = try String(contentsOfFile: w.dir + "/reports/run-1-data.html", encoding: .utf8)
        for section in ["<h2>Removed rows</h2>", "<h2>Near-duplicate clusters</h2>", "<h2>Leakage audit</h2>"] {
            XCTAssertTrue(html.contains(section), "\(section) missing")
        }
        for path in ["out/nd-report/removed/02-dedup.jsonl", "out/nd-report/removed/03-sample.jsonl", "out/nd-report/clusters/02-dedup.jsonl"] {
            XCTAssertTrue(html.contains("<code>\(path)</code>"), "\(path) missing")
        }
        // Every cluster is a pair, each losing one member: as many dedup removals as clusters.
        let ledger = try rows(w, "nd-report", "removed/02-dedup.jsonl").count
        XCTAssertEqual(ledger, truth.clusters.count)
        XCTAssertTrue(html.contains("<code>out/nd-report/removed/02-dedup.jsonl</code> (\(ledger) rows)"), "ledger heading")
        let spanning = truth.pairs.filter(\.crossSplit).count
        XCTAssertTrue(html.contains("<b>\(truth.clusters.count)</b> clusters holding \(2 * truth.clusters.count) rows (largest 2); \(spanning) span splits"),
                      "cluster summary")
        XCTAssertTrue(html.contains("no pair crosses splits."), "audit verdict")

        // A run whose splits leak says so, with the number of crossing pairs.
        try writeSpec(w, "nd-naive", stages: """
              - dedup: {fields: [body], threshold: 0.8, action: group, against_test: report}
              - sample: {from: train, stratify_by: type, splits: {train: 0.8, valid: 0.2}, seed: 3}
            """)
        try run(w, "nd-naive")
        let split = try splitOf(w, "nd-naive", splits: ["train", "valid", "test"])
        let crossing = truth.pairs.filter { split[$0.a] != split[$0.b] }.count
        XCTAssertEqual(try w.prep(["report", "latest"]).status, 0)
        let leaky = try String(contentsOfFile: w.dir + "/reports/run-2-data.html", encoding: .utf8)
        XCTAssertTrue(leaky.contains("\(crossing) pairs cross splits"), "audit verdict of the naive run")
        XCTAssertTrue(leaky.contains("kept and reported"))
        XCTAssertTrue(leaky.contains("<h2>Removed rows</h2><p>No stage removed a row.</p>"))
    }

    // MARK: Regressions found while writing these tests (both failed before the fix)

    /// The run summary of a CSV-only run says "bin/prep audit run-1 lists them": the audit reads
    /// the CSV split files when there are no JSONL ones (it used to find "no rows", exit 2).
    func testTheAuditReadsARunWhoseOutputsAreCSVOnly() throws {
        let truth = try Self.truth()
        let w = try Workspace("dedup-csv")
        try writeSpec(w, "nd-csv", stages: "  - dedup: {fields: [body], threshold: 0.8, action: group, against_test: report}",
                      outputs: "{dir: out/nd-csv, formats: [csv]}")
        let run = try run(w, "nd-csv")
        XCTAssertTrue(run.stdout.contains("bin/prep audit run-1 lists them"), run.stdout)
        // Every row stays in its source split: the train–test pairs of the truth cross.
        let crossing = truth.pairs.filter(\.crossSplit).count
        let audit = try w.prep(["audit", "latest"])
        XCTAssertEqual(audit.status, 1, audit.stdout + audit.stderr)
        XCTAssertTrue(audit.stdout.contains(": \(crossing) pairs cross"), audit.stdout + audit.stderr)
    }

    /// An output folder whose last part is `clusters` or `removed` (a spec named `clusters` writes
    /// to out/clusters/ by default) holds no side files of its own; its data files used to be taken
    /// for side files, and the run failed with "stage ingest: no JSONL output recorded".
    func testAnOutputFolderNamedLikeASideFolderStillWorks() throws {
        let truth = try Self.truth()
        let w = try Workspace("dedup-folder")
        let stages = "  - dedup: {fields: [body], threshold: 0.8, action: group, against_test: report}"
        try writeSpec(w, "clusters", stages: stages, outputs: "{formats: [jsonl]}")
        try writeSpec(w, "nd-removed", stages: stages, outputs: "{dir: data/removed, formats: [jsonl]}")
        for (name, dir) in [("clusters", "out/clusters"), ("nd-removed", "data/removed")] {
            let r = try w.prep(["run", "specs/\(name).yaml"])
            XCTAssertEqual(r.status, 0, "\(name): " + r.stderr)
            guard r.status == 0 else { continue }
            XCTAssertEqual(try? Workspace.jsonl(w.dir + "/\(dir)/train.jsonl").count, truth.docs["train"], name)
            let audit = try w.prep(["audit", "latest", "--limit", "0"])
            XCTAssertEqual(audit.status, 1, "\(name): " + audit.stdout + audit.stderr)
        }
    }
}
