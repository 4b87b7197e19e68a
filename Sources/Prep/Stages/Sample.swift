import HarnessSpec
import JSON
import Records
import Support

/// `sample`: N items per class, split by ratio, stratified and deterministic from a seed.
///
///     - sample: {from: train, stratify_by: type, per_class: 1000, splits: {train: 0.9, valid: 0.1}, seed: 42}
///
/// Only rows of the `from` split are sampled; other splits (the held-out test) pass through untouched.
/// Rows sharing an id travel together, so no article lands in two splits; `group_by: FIELD` groups
/// by another field instead (a dedup `cluster`, a source article), a null value being a group of its
/// own. Whole groups are taken and placed, so per-class counts and split ratios hold as closely as
/// the group sizes allow; the stage's details say how close. A class with fewer than `per_class`
/// rows gives all it has, with a warning.
struct Sample: InPlaceStage {
    static let kind = "sample"
    let from: String
    let stratifyBy: String?
    /// The field whose value keeps rows together (default `id`).
    let groupBy: String
    let perClass: Int?
    let splits: [(name: String, ratio: Double)]
    let seed: UInt64
    /// Where `from` was written, for the error when no such split exists.
    let fromNode: SpecNode?

    init(args: SpecNode, spec: Spec) throws {
        try args.checkKeys(["from", "stratify_by", "group_by", "per_class", "splits", "seed"])
        from = try args.string("from", default: "train")
        fromNode = try args.optional("from")
        stratifyBy = try args.optional("stratify_by")?.field(among: spec.fieldNames)
        groupBy = try args.optional("group_by")?.field(among: Self.columns(before: args, spec: spec)) ?? "id"
        perClass = try args.optional("per_class")?.int()
        if let n = perClass, n <= 0 { throw try args.required("per_class").error("must be a positive number of rows per class") }
        var splits: [(String, Double)] = []
        if let node = try args.optional("splits") {
            for (name, v) in try node.entries() {
                _ = try v.newSplit(name)
                let r = try v.double()
                guard r >= 0 else { throw v.error("a split ratio cannot be negative") }
                splits.append((name, r))
            }
            let total = splits.reduce(0) { $0 + $1.1 }
            guard abs(total - 1) < 1e-6 else { throw node.error("split ratios must add up to 1 (they add up to \(Format.number(total, digits: 3)))") }
        } else {
            splits = [(from, 1)]
        }
        self.splits = splits
        let seed = try args.int("seed", default: 42)
        self.seed = UInt64(bitPattern: Int64(seed))
    }

    func columns(after input: [String]) -> [String] { input }

    var sampling: (stratifyBy: String?, seed: UInt64)? { (stratifyBy, seed) }

    /// `from` must exist; it is replaced by the sampled splits, the others pass through.
    func splits(after input: [String]) throws -> [String] {
        if !input.contains(from) {
            guard let fromNode else {
                throw SpecError(file: "", line: 1, column: 1, key: "sample.from",
                                message: "sample draws from 'train' by default, but the source has no such split (splits: \(input.joined(separator: ", "))); set `from:`")
            }
            _ = try fromNode.split(among: input)
        }
        var out = input.filter { $0 != from }
        for s in splits.map(\.name) where !out.contains(s) { out.append(s) }
        return out
    }

    /// The columns the records have when they reach this stage: the record's fields as the stages
    /// before it change them (a `dedup` group adds its cluster field, `instruct` its three).
    static func columns(before args: SpecNode, spec: Spec) -> [String] {
        var columns = spec.fieldNames
        for entry in spec.stages {
            if entry.args.path == args.path { break }
            // A stage with bad arguments reports itself; here it only adds no columns.
            if let stage = try? StageRegistry.make(entry, spec: spec) { columns = stage.columns(after: columns) }
        }
        return columns
    }

    func apply(_ records: [Record]) throws -> StageResult {
        var rows = records
        var result = try applyInPlace(&rows)
        result.records = rows
        return result
    }

    func applyInPlace(_ records: inout [Record]) throws -> StageResult {
        let plan = self.plan(count: records.count, split: { records[$0].split }, group: { groupKey(records[$0]) }, cls: { classKey(records[$0]) })
        var ledger: [Removal] = []
        ledger.reserveCapacity(plan.notSampled.count)
        records.moveRows(keeping: plan.order, removing: plan.notSampled) { _, row in ledger.append(Removal(row, reason: Self.notSampled)) }
        for (k, start) in plan.starts.enumerated() {
            let end = k + 1 < plan.starts.count ? plan.starts[k + 1].at : records.count
            for i in start.at..<end { records[i].split = start.split }
        }
        return StageResult(records: [], removed: plan.removed, ledger: ledger, details: plan.details, warnings: plan.warnings)
    }

    /// The reason in the ledger of a row the draw left out.
    static let notSampled = "not sampled"

    /// The value that keeps a row with others (`group_by`), or its id as a group of its own.
    func groupKey(_ r: Record) -> String { r.fields[groupBy] ?? "\u{1F}" + (r.fields["id"] ?? "") }

    /// The class a row is drawn in.
    func classKey(_ r: Record) -> String { stratifyBy.map { r.fields[$0] ?? "(null)" } ?? "all" }

    /// The draw, decided on three keys per row and nothing else, so that it can run on rows held
    /// in memory or on keys kept while the rows themselves wait on disk (`StreamedHead`).
    struct Plan {
        /// Positions of the output rows in order: the rows of other splits, then each split's rows.
        var order: [Int] = []
        /// Where each sampled split starts in `order`.
        var starts: [(at: Int, split: String)] = []
        /// Positions of the rows left out, ascending (the ledger's order: the input's).
        var notSampled: [Int] = []
        var details: [(String, JSONValue)] = []
        var warnings: [String] = []
        var removed: [(reason: String, count: Int)] { notSampled.isEmpty ? [] : [(Sample.notSampled, notSampled.count)] }
    }

    /// Draws from `count` rows given each row's split, group key (asked only for rows of `from`) and
    /// class (asked for the first row of each group).
    func plan(count: Int, split: (Int) -> String?, group: (Int) -> String, cls: (Int) -> String) -> Plan {
        // Rows are handled by index: groups, classes and splits hold positions, and the output is
        // built once at the end.
        var passthrough: [Int] = []
        var numbers = GroupNumbers()
        var groupKeys: [String] = []
        var groupOfRow = [Int](repeating: -1, count: count)
        for i in 0..<count {
            guard split(i) == from else { passthrough.append(i); continue }
            let key = group(i)
            let g = numbers.number(key)
            if g == groupKeys.count { groupKeys.append(key) }
            groupOfRow[i] = g
        }
        let groups = Groups(groupOfRow, count: groupKeys.count)
        var byClass: [String: [Int]] = [:]
        for g in 0..<groups.count { byClass[cls(groups[g].first!), default: []].append(g) }

        var sampled = [[Int]](repeating: [], count: splits.count)
        var warnings: [String] = []
        var details: [(String, JSONValue)] = []
        var notSampled: [Int] = []
        var short: [String] = []
        var worst: (deviation: Double, what: String) = (0, "")
        for cls in byClass.keys.sorted() {
            // Groups in the order of their keys, then shuffled: the same draw whatever the input order.
            var ids = byClass[cls]!.sorted { groupKeys[$0] < groupKeys[$1] }
            var rng = SeededRandom(seed: seed, key: cls)
            rng.shuffle(&ids)
            let available = ids.reduce(0) { $0 + groups[$1].count }
            // Whole groups, in the shuffled order, until the class has per_class rows.
            var taken = 0, take = 0
            while take < ids.count, taken < (perClass ?? .max) {
                taken += groups[ids[take]].count
                take += 1
            }
            if let n = perClass, available < n { short.append("\(cls) (\(available))") }
            for g in ids[take...] { notSampled += groups[g] }
            // Each split is filled to its share of the rows in turn; a group never straddles two.
            let targets = Self.apportion(taken, ratios: splits.map(\.ratio))
            var placed = [Int](repeating: 0, count: splits.count)
            var s = 0
            for g in ids[..<take] {
                let rows = groups[g]
                // The next split takes the group when this one would overshoot its share by at
                // least as much as it falls short (for single rows: when this one is full).
                while s < splits.count - 1 && placed[s] + rows.count - targets[s] >= targets[s] - placed[s] && placed[s] + rows.count > targets[s] { s += 1 }
                sampled[s] += rows
                placed[s] += rows.count
            }
            var perSplit: [(String, JSONValue)] = []
            for (i, split) in splits.enumerated() {
                perSplit.append((split.name, .number(String(placed[i]))))
                if taken > 0, abs(Double(placed[i]) - Double(targets[i])) / Double(taken) > worst.deviation {
                    worst = (abs(Double(placed[i]) - Double(targets[i])) / Double(taken), "\(cls) \(split.name): \(placed[i]) rows for a target of \(targets[i])")
                }
            }
            details.append((cls, .object([("available", .number(String(available))), ("taken", .number(String(taken)))] + perSplit)))
        }
        // Classes interleaved in a seeded order, so that the first rows of a split (`--limit`) are a fair mix.
        var plan = Plan()
        plan.order = passthrough
        plan.order.reserveCapacity(passthrough.count + sampled.reduce(0) { $0 + $1.count })
        for (s, split) in splits.enumerated() {
            var rows = sampled[s]
            var rng = SeededRandom(seed: seed, key: "order:" + split.name)
            rng.shuffle(&rows)
            plan.starts.append((plan.order.count, split.name))
            plan.order += rows
        }
        // The ledger lists the rows left out in input order (it listed them class by class in the
        // draw's order): rows waiting on disk are then read back in one pass over the file, not a
        // pass per batch of the ledger.
        plan.notSampled = notSampled.sorted()
        if let n = perClass, !short.isEmpty {
            warnings.append("\(short.count) of \(byClass.count) classes of \(stratifyBy ?? "rows") have fewer than per_class \(n) items, so all of them were taken: " + short.joined(separator: ", "))
        }
        let grouping: [(String, JSONValue)] = [
            ("group_by", .string(groupBy)), ("groups", .number(String(groups.count))),
            ("largest_group", .number(String((0..<groups.count).map { groups[$0].count }.max() ?? 0))),
            ("ratio_deviation_pp", .number(Format.number(worst.deviation * 100, digits: 2))),
        ] + (worst.deviation > 0 ? [("ratio_deviation_worst", .string(worst.what))] : [])
        plan.details = [("classes", .object(details))] + grouping
        plan.warnings = warnings
        return plan
    }

    /// Splits `n` into integer parts proportional to `ratios` (largest remainder; ties to the earlier split).
    static func apportion(_ n: Int, ratios: [Double]) -> [Int] {
        let exact = ratios.map { Double(n) * $0 }
        var parts = exact.map { Int($0.rounded(.down)) }
        var left = n - parts.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - Double(parts[$0]), -$0) > (exact[$1] - Double(parts[$1]), -$1) }
        for i in order where left > 0 { parts[i] += 1; left -= 1 }
        return parts
    }
}

/// Rows by group, in row order within each group: one array of row positions and an offset per
/// group, rather than an array per group.
private struct Groups {
    private let start: [Int]
    private let rows: [Int]
    var count: Int { start.count - 1 }

    /// `groupOfRow[i]`: the group of row `i`, or -1 for a row in none.
    init(_ groupOfRow: [Int], count: Int) {
        var start = [Int](repeating: 0, count: count + 1)
        for g in groupOfRow where g >= 0 { start[g + 1] += 1 }
        for g in 0..<count { start[g + 1] += start[g] }
        var next = Array(start.dropLast())
        var rows = [Int](repeating: 0, count: start[count])
        for (i, g) in groupOfRow.enumerated() where g >= 0 {
            rows[next[g]] = i
            next[g] += 1
        }
        self.start = start
        self.rows = rows
    }

    subscript(g: Int) -> ArraySlice<Int> { rows[start[g]..<start[g + 1]] }
}
