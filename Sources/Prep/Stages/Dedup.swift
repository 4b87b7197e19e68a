import HarnessSpec
import JSON
import Records
import Support

/// `dedup`: near-duplicates by MinHash over character n-gram shingles, LSH banding and exact
/// Jaccard verification.
///
///     - dedup: {fields: [body], threshold: 0.8, action: group, into: cluster, against_test: drop}
///
/// `action: drop` keeps the first member of each cluster (per side: training rows and held-out rows
/// are deduplicated separately). `action: group` keeps every member and writes the cluster's id (the
/// id of its first member; a row alone gets its own id) into the field `into`, so that
/// `sample: {group_by: cluster}` keeps a cluster in one split. Either way, a training row that is a
/// near-duplicate of a held-out row (the AI Hub Validation set, our `test`) is dropped
/// (`against_test: drop`, the default) or kept and reported (`against_test: report`).
/// Every cluster is written to `clusters/NN-dedup.jsonl`.
struct Dedup: Stage {
    static let kind = "dedup"

    enum Action: String, CaseIterable { case drop, group }
    enum AgainstTest: String, CaseIterable { case drop, report }

    let fields: [String]
    let threshold: Double
    let ngram: Int
    let seed: UInt64
    let action: Action
    let into: String
    let againstTest: AgainstTest
    let trainSplit: String

    init(args: SpecNode, spec: Spec) throws {
        try args.checkKeys(["fields", "threshold", "ngram", "action", "into", "against_test", "seed"])
        fields = try args.required("fields", hint: "name the text fields to compare, e.g. `fields: [body]`").fieldList(among: spec.fieldNames)
        threshold = try args.double("threshold", default: 0.8)
        // Below 0.1 no banding of 128 bins finds pairs at the threshold reliably (and nearly every
        // pair of texts in one language would be a "near-duplicate").
        if !(threshold >= 0.1 && threshold <= 1) {
            throw try args.required("threshold").error("must be a Jaccard similarity between 0.1 and 1, e.g. 0.8")
        }
        ngram = try args.int("ngram", default: 5)
        if !(1...64).contains(ngram) { throw try args.required("ngram").error("must be between 1 and 64 characters (5 suits Korean)") }
        seed = UInt64(bitPattern: Int64(try args.int("seed", default: 1)))
        action = try args.optional("action").map { Action(rawValue: try $0.choice(Action.allCases.map(\.rawValue)))! } ?? .drop
        into = try args.string("into", default: "cluster")
        if try args.optional("into") != nil, action != .group {
            throw try args.required("into").error("`into` names the cluster field of `action: group`; with `action: drop` there is none")
        }
        if action == .group, spec.fieldNames.contains(into) {
            throw try (args.optional("into") ?? args).error("the records already have a field '\(into)'; choose another name with `into:`")
        }
        againstTest = try args.optional("against_test").map { AgainstTest(rawValue: try $0.choice(AgainstTest.allCases.map(\.rawValue)))! } ?? .drop
        trainSplit = try Drop.trainingSplit(spec)
    }

    func columns(after input: [String]) -> [String] {
        action == .group && !input.contains(into) ? input + [into] : input
    }

    var readsBeyondItsEntry: String { "training split: " + trainSplit }

    var audit: LeakAudit? { LeakAudit(fields: fields, threshold: threshold, ngram: ngram, seed: seed) }

    var finder: NearDuplicates { NearDuplicates(threshold: threshold, ngram: ngram, seed: seed) }

    func apply(_ records: [Record]) throws -> StageResult {
        let finder = self.finder
        let found = try finder.find(records.map { r in Shingles.text(of: fields.map { r.fields[$0] }) }, goal: .clusters)
        func isTraining(_ i: Int) -> Bool { (records[i].split ?? trainSplit) == trainSplit }
        func pointer(_ i: Int) -> (id: String, split: String) { (records[i].fields["id"] ?? "", records[i].split ?? "-") }
        func split(_ i: Int) -> String { records[i].split ?? "-" }

        // The first held-out member of each cluster: training members lose to it.
        var firstHeldOut: [Int: Int] = [:]
        for i in records.indices where !isTraining(i) {
            let c = found.cluster(of: i)
            if firstHeldOut[c] == nil { firstHeldOut[c] = i }
        }
        var removed = Removals()
        var removedIndex = Set<Int>()
        var firstKept: [Int: (training: Int?, heldOut: Int?)] = [:]
        var kept: [Record] = []
        kept.reserveCapacity(records.count)
        var reported = 0
        let fieldNames = fields.joined(separator: "+")
        // Rows that gain the cluster field share one layout of names (see `Fields.adding`).
        let layout = action == .group ? records.first.flatMap { Fields.layout(from: $0.fields.names, adding: [into]) } : nil
        for (i, r) in records.enumerated() {
            let c = found.cluster(of: i)
            var out = r
            if action == .group {
                let cluster = records[c].fields["id"] ?? ""
                if let layout { out.fields = r.fields.adding([cluster], as: layout) } else { out.fields[into] = cluster }
            }
            if isTraining(i), let h = firstHeldOut[c] {
                if againstTest == .drop {
                    removed.add(Removal(r, reason: "near-duplicate \(fieldNames) of a \(split(h)) row (\(split(i)) copy)",
                                        duplicateOf: pointer(h), jaccard: found.jaccard(i, h)))
                    removedIndex.insert(i)
                    continue
                }
                reported += 1
            }
            if action == .drop {
                var firsts = firstKept[c] ?? (nil, nil)
                if let first = isTraining(i) ? firsts.training : firsts.heldOut {
                    removed.add(Removal(r, reason: "near-duplicate \(fieldNames) (\(split(i)))", duplicateOf: pointer(first), jaccard: found.jaccard(i, first)))
                    removedIndex.insert(i)
                    continue
                }
                if isTraining(i) { firsts.training = i } else { firsts.heldOut = i }
                firstKept[c] = firsts
            }
            kept.append(out)
        }

        let clusters = found.clusters
        let cross = clusters.filter { m in Set(m.map(split)).count > 1 }
        var lines: [String] = []
        lines.reserveCapacity(clusters.count)
        for members in clusters {
            let rep = members[0]
            let memberValues: [JSONValue] = members.map { i in
                .object([("id", .string(records[i].fields["id"] ?? "")), ("split", .string(split(i))),
                         ("jaccard", .number(Format.number(i == rep ? 1 : found.jaccard(i, rep) ?? 0, digits: 4))),
                         ("kept", .bool(!removedIndex.contains(i)))])
            }
            lines.append(JSONWriter.serialize(.object([("cluster", .string(records[rep].fields["id"] ?? "")), ("size", .number(String(members.count))),
                                                       ("members", .array(memberValues))])))
        }
        var warnings: [String] = []
        if reported > 0 {
            warnings.append("\(reported) training rows are near-duplicates (\(fieldNames), Jaccard ≥ \(Format.number(threshold, digits: 2))) of held-out rows"
                            + " and were kept (against_test: report): held-out scores may come out inflated; `prep audit` lists the pairs")
        }
        let examples: [JSONValue] = clusters.prefix(20).map { members in
            .array(members.prefix(6).map { i in
                .object([("id", .string(records[i].fields["id"] ?? "")), ("split", .string(split(i))),
                         ("jaccard", .number(Format.number(i == members[0] ? 1 : found.jaccard(i, members[0]) ?? 0, digits: 3))),
                         ("text", .string(String((records[i].fields[fields[0]] ?? "").prefix(90))))])
            })
        }
        let details: [(String, JSONValue)] = [
            ("fields", .array(fields.map { .string($0) })), ("threshold", .number(Format.number(threshold, digits: 3))),
            ("ngram", .number(String(ngram))), ("seed", .number(String(Int64(bitPattern: seed)))),
            ("bands", .string("\(finder.banding.bands)x\(finder.banding.rows)")), ("candidates", .number(String(found.candidates))),
            ("verified_pairs", .number(String(found.pairs.count))), ("clusters", .number(String(clusters.count))),
            ("rows_in_clusters", .number(String(clusters.reduce(0) { $0 + $1.count }))),
            ("largest_cluster", .number(String(clusters.map(\.count).max() ?? 0))),
            ("cross_split_clusters", .number(String(cross.count))),
            ("against_test", .string(againstTest.rawValue)), ("kept_against_test", .number(String(reported))),
            ("examples", .array(examples)),
        ]
        return StageResult(records: kept, removed: removed.byReason, ledger: removed.ledger, sideFiles: [("clusters", lines)],
                           details: details, warnings: warnings)
    }
}
