import JSON
import Records
import Store
import Support

/// The first stages of a spec run on the rows as the ingest reads them, so that the whole input is
/// never held: `refine` stages (row by row), then a `drop` and a `sample`, which decide on keys per
/// row (a digest of the duplicate key, split, id, group and class) while the rows wait on disk in
/// a `RowSpool`. Only the rows the sample keeps are read back into memory, for the stages after it.
///
///     ingest ──batch──▶ refine… ──▶ drop's row checks, keys ──▶ spool (rows) + keys (memory)
///     end of input: drop decides ▶ sample draws ▶ ledgers from the spool ▶ kept rows read back
///
/// Memory then grows with the keys (about 100 bytes a row) and with what the sample keeps, not with
/// the input. Outputs, ledgers and stage records are byte for byte those of the in-memory run; the
/// one difference is that drop matches duplicate keys by a 128-bit digest instead of comparing the
/// texts (`Drop.keyDigest`).
final class StreamedHead {
    private let refines: [Refine]
    private let drop: Drop?
    private let sample: Sample
    /// The stages this head runs: the refines, the drop (if any), the sample.
    var stageCount: Int { refines.count + (drop == nil ? 0 : 1) + 1 }

    private let encoder: RecordCoding.Encoder
    private let spool: RowSpool
    private static let batchSize = 2048
    private var batch: [Record] = []
    /// Each row's line as read (`add`), reused for the spool when no refine changed the row, and
    /// where it lies in the file the spool reads too (-1: nowhere).
    private var lines: [ArraySlice<UInt8>] = []
    private var at: [Int64] = []

    // Per refine: what its rules did and its output's class values (but the last one's: `values`).
    private var tallies: [Refine.Tally]
    private var refineValues: [ClassTally]
    /// The class values of the rows after the refines (the drop's and the sample's input).
    private var values: ClassTally
    // Keys per row, by position in the input.
    private var rows = 0
    private var failures = RowFailures()
    private var digests: [(UInt64, UInt64)] = []
    private var splitCodes: [UInt8] = []
    private var splitNames: [String?] = []
    private var ids: [String] = []
    /// Only for rows of the sample's `from` split ("" for the others).
    private var groups: [String] = []
    private var classes: [String] = []
    /// Time spent per stage, in the order of the stages, and all of it.
    private var seconds: [Double]
    private(set) var totalSeconds = 0.0

    /// A head for `stages` when they begin with refines, then at most one drop that counts no tokens,
    /// then a sample; nil for any other shape (the run then holds its rows, as before).
    /// - parameter columns: the columns of the rows as read; `dir`: where the spool goes.
    static func make(stages: [any Stage], columns: [String], dir: String) throws -> StreamedHead? {
        var refines: [Refine] = []
        var i = 0
        while i < stages.count, let r = stages[i] as? Refine { refines.append(r); i += 1 }
        var drop: Drop?
        if i < stages.count, let d = stages[i] as? Drop {
            guard !d.countsTokens else { return nil }
            drop = d
            i += 1
        }
        guard i < stages.count, let sample = stages[i] as? Sample else { return nil }
        return try StreamedHead(refines: refines, drop: drop, sample: sample, columns: columns, dir: dir)
    }

    private init(refines: [Refine], drop: Drop?, sample: Sample, columns: [String], dir: String) throws {
        self.refines = refines
        self.drop = drop
        self.sample = sample
        // Refine, drop and sample keep the columns: the spool's rows have the input's.
        encoder = RecordCoding.Encoder(columns: columns)
        try FileSystem.makeDirectories(dir)
        spool = try RowSpool(dir: dir)
        tallies = refines.map { Refine.Tally(fields: $0.fields.count, rules: $0.rules.count) }
        refineValues = refines.dropLast().map { _ in ClassTally(columns: columns) }
        values = ClassTally(columns: columns)
        seconds = [Double](repeating: 0, count: refines.count + (drop == nil ? 0 : 1) + 1)
        batch.reserveCapacity(Self.batchSize)
        lines.reserveCapacity(Self.batchSize)
    }

    /// Rows whose line lies in the file at `path` (`add(_:line:at:)`) are read back from there
    /// rather than written to the spool again: the ingest's `records.jsonl`, while it is written.
    func readingAlso(_ path: String) throws { try spool.readingAlso(path) }

    /// Takes the next row of the input.
    /// - parameter line: the row's JSON line as the ingest wrote it (`RecordCoding.Encoder` with the
    ///   same columns), without its newline; empty when there is none to reuse.
    /// - parameter offset: where `line` lies in the file given to `readingAlso`, if it does; the
    ///   file must hold it by the time `finish` is called.
    func add(_ record: Record, line: ArraySlice<UInt8> = [], at offset: Int64? = nil) throws {
        batch.append(record)
        lines.append(line)
        at.append(offset ?? -1)
        if batch.count >= Self.batchSize { try flush() }
    }

    private func flush() throws {
        guard !batch.isEmpty else { return }
        let t0 = Clock.now()
        var stage = 0
        // Rows no refine changes keep the line they were read with: most rows of a real set.
        var changed = [Bool](repeating: false, count: batch.count)
        for (k, refine) in refines.enumerated() {
            let t = Clock.now()
            tallies[k].merge(try changed.withUnsafeMutableBufferPointer { try refine.cleanAll(&batch, changed: $0) })
            if k < refines.count - 1 { refineValues[k].add(batch) }
            seconds[stage] += Clock.now() - t
            stage += 1
        }
        let t = Clock.now()
        // Per row on every core: the drop's verdict and key digest, the sample's keys, and the row's
        // line for the spool; what is left to the main thread is appending them in order.
        let taken = batch, read = lines, reencode = changed, offsets = at
        let drop = self.drop, encoder = self.encoder, sample = self.sample
        let made = try Parallel.map(taken.indices) { i -> Keys in
            let r = taken[i]
            let failure = try drop?.rowFailure(r)
            let digest = failure == nil && !(drop?.duplicateKeys.isEmpty ?? true) ? drop!.keyDigest(r) : (0, 0)
            let drawn = r.split == sample.from
            var keys = Keys(failure: failure, digest: digest, id: r.fields["id"] ?? "",
                            group: drawn ? sample.groupKey(r) : "", cls: drawn ? sample.classKey(r) : "", line: read[i])
            if reencode[i] || read[i].isEmpty {
                var line: [UInt8] = []
                line.reserveCapacity(1024)
                encoder.appendJSON(r, to: &line)
                keys.line = line[...]
            }
            return keys
        }
        values.add(taken)
        for i in taken.indices {
            if let f = made[i].failure { failures.add(row: rows + i, f) }
            digests.append(made[i].digest)
            splitCodes.append(code(of: taken[i].split))
            ids.append(made[i].id)
            groups.append(made[i].group)
            classes.append(made[i].cls)
            // A row no refine changed is where the ingest wrote it.
            if !reencode[i], !read[i].isEmpty, offsets[i] >= 0, spool.hasSource {
                spool.reference(offset: offsets[i], length: made[i].line.count)
            } else {
                try spool.append(made[i].line)
            }
        }
        // One pass serves the drop and the sample: its time is shared between them.
        let shared = drop == nil ? [stage] : [stage, stage + 1]
        for k in shared { seconds[k] += (Clock.now() - t) / Double(shared.count) }
        rows += batch.count
        // The batch's rows are freed on another thread (2048 records took the main thread longer
        // than appending their keys).
        Memory.releaseInBackground((batch, lines, made))
        batch = []
        lines = []
        at = []
        batch.reserveCapacity(Self.batchSize)
        lines.reserveCapacity(Self.batchSize)
        at.reserveCapacity(Self.batchSize)
        totalSeconds += Clock.now() - t0
    }

    /// The rows that failed the drop's row checks, and why: a bit per row for the question asked of
    /// every row, the reasons of the few that failed beside it (a dictionary lookup per row was
    /// most of the drop's time).
    private struct RowFailures {
        private var bits: [UInt64] = []
        private var rows: [Int] = []
        private var reasons: [String] = []

        /// Row `row` failed for `reason`; rows come in increasing order.
        mutating func add(row: Int, _ reason: String) {
            while bits.count <= row >> 6 { bits.append(0) }
            bits[row >> 6] |= 1 << UInt64(row & 63)
            rows.append(row)
            reasons.append(reason)
        }

        func reason(of row: Int) -> String? {
            guard row >> 6 < bits.count, bits[row >> 6] & (1 << UInt64(row & 63)) != 0 else { return nil }
            // `rows` is sorted: a binary search finds the row's reason.
            var lo = 0, hi = rows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if rows[mid] < row { lo = mid + 1 } else { hi = mid }
            }
            return reasons[lo]
        }
    }

    /// What the flush keeps of a row, made on any core.
    private struct Keys {
        var failure: String?
        var digest: (UInt64, UInt64)
        var id: String
        var group: String
        var cls: String
        var line: ArraySlice<UInt8>
    }

    private func code(of split: String?) -> UInt8 {
        if let i = splitNames.firstIndex(where: { $0 == split }) { return UInt8(i) }
        precondition(splitNames.count < 255, "StreamedHead: more than 255 splits")
        splitNames.append(split)
        return UInt8(splitNames.count - 1)
    }

    private func split(_ row: Int) -> String? { splitNames[Int(splitCodes[row])] }

    /// One stage's outcome, recorded by the runner as any stage's.
    struct Outcome {
        var rowsIn: Int
        var rowsOut: Int
        var removed: [(reason: String, count: Int)] = []
        var details: [(String, JSONValue)] = []
        var warnings: [String] = []
        var classCounts: JSONValue
        var seconds: Double
    }

    /// Ends the input: the drop decides, the sample draws, and the rows it keeps are read back.
    /// - parameter deferring: leave the rows of other splits than `from` on disk (`StreamedTail`).
    /// - parameter writeLedger: writes one stage's removal ledger, given its size and the lines of a
    ///   range of its rows at a time (made on every core).
    /// - returns: each stage's outcome, in order; the sample's rows (its output) that are held; and
    ///   the spool positions of those left on disk (`read`), which come first in the output's order.
    func finish(deferring: Bool = false, writeLedger: (_ stage: Int, _ count: Int, _ lines: (Range<Int>) throws -> [[UInt8]]) throws -> Void) throws
        -> (outcomes: [Outcome], held: [Record], passthrough: [Int]) {
        try flush()
        try spool.flush()
        var outcomes: [Outcome] = []
        for (k, refine) in refines.enumerated() {
            let counts = k == refines.count - 1 ? values.counts() : refineValues[k].counts()
            outcomes.append(Outcome(rowsIn: rows, rowsOut: rows, details: refine.details(tallies[k]), classCounts: counts, seconds: seconds[k]))
        }
        // The drop's decisions, on positions of its input (all rows).
        var keptRows = Array(0..<rows)
        if let drop {
            let t = Clock.now()
            let failures = self.failures, digests = self.digests
            let decided = drop.decide(count: rows, failure: { failures.reason(of: $0) }, hash: { Int(truncatingIfNeeded: digests[$0].0) },
                                      same: { digests[$0] == digests[$1] }, split: { self.split($0) }, id: { self.ids[$0] })
            keptRows = decided.kept
            var counts = Counter()
            for r in decided.removed { counts.add(r.reason) }
            try writeLedger(refines.count, decided.removed.count) { range in
                try spool.rows(range.map { decided.removed[$0].row }) { k, row in
                    let r = decided.removed[range.lowerBound + k]
                    return Ledger.bytes(reason: r.reason, duplicateOf: r.duplicateOf, stage: Drop.kind, row: row)
                }
            }
            outcomes.append(Outcome(rowsIn: rows, rowsOut: keptRows.count, removed: counts.items.map { ($0.key, $0.count) }, classCounts: values.counts(of: keptRows),
                                    seconds: seconds[refines.count] + Clock.now() - t))
        }
        // The sample draws on positions of its input (the kept rows).
        let t = Clock.now()
        let kept = keptRows
        let plan = sample.plan(count: kept.count, split: { self.split(kept[$0]) }, group: { self.groups[kept[$0]] }, cls: { self.classes[kept[$0]] })
        try writeLedger(stageCount - 1, plan.notSampled.count) { range in
            try spool.rows(range.map { kept[plan.notSampled[$0]] }) { Ledger.bytes(reason: Sample.notSampled, stage: Sample.kind, row: $1) }
        }
        let order = plan.order.map { kept[$0] }
        outcomes.append(Outcome(rowsIn: kept.count, rowsOut: order.count, removed: plan.removed, details: plan.details, warnings: plan.warnings,
                                classCounts: values.counts(of: order), seconds: 0))
        // The draw's rows come back from the spool in its order, but for the rows of other splits
        // (`passthrough`) when the caller reads those itself later (`read`).
        let first = deferring ? plan.starts.first?.at ?? order.count : 0
        var held = try read(order[first...])
        for (k, start) in plan.starts.enumerated() {
            let end = k + 1 < plan.starts.count ? plan.starts[k + 1].at : order.count
            for i in start.at..<end { held[i - first].split = start.split }
        }
        outcomes[outcomes.count - 1].seconds = seconds[stageCount - 1] + Clock.now() - t
        // The keys are done with; the spool stays for `read`.
        failures = RowFailures()
        digests = []
        ids = []
        groups = []
        classes = []
        values = ClassTally(columns: [])
        refineValues = []
        return (outcomes, held, Array(order[..<first]))
    }

    /// The splits of the input other than the sample's `from` (the rows it passes through).
    var otherSplits: Set<String?> { Set(splitNames + batch.map(\.split)).subtracting([sample.from]) }

    /// Rows of the input read back from the spool, in the order of `positions`, on every core.
    func read(_ positions: ArraySlice<Int>) throws -> [Record] {
        let columns = encoder.columns
        return try spool.rows(positions) { try RecordCoding.record(fromJSON: $1, columns: columns) }
    }
}
