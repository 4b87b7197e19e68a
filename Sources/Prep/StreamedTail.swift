import JSON
import Records
import Store
import Support

/// The stages after a `StreamedHead`, when they change rows one at a time (`instruct`, and an
/// `augment` of a sampled split), and the write stage: the rows the sample drew run through the
/// stages in memory as before, while the rows of the other splits (the held-out test set, which
/// grows with the input) stay on disk until the write stage reads them back a batch at a time, runs
/// each stage's row-wise change on them and writes them. Outputs and stage figures are those of
/// the in-memory run: those rows come first in every split file, as they come first in its rows.
extension PrepRunner {
    /// Whether `stage` can run on the rows of `otherSplits` one batch at a time, after the rest.
    static func streams(_ stage: any Stage, otherSplits: Set<String?>) -> Bool {
        if stage is Instruct { return true }
        // Augment copies rows of its split only, which must not be one of the rows left on disk; a
        // paraphrase guard reads the held-out rows.
        if let augment = stage as? Augment { return augment.paraphrase == nil && !otherSplits.contains(augment.split) }
        return false
    }

    /// Passthrough rows read back and written at a time: small, as they are held beside all the
    /// sampled rows.
    static let passthroughBatch = 256

    /// Runs `plan` (the stages after the head) on `held`, then writes the split files from the rows
    /// at `passthrough` (read back from the head's spool, each stage's change made on them) and
    /// `held`, and records the stages and the write stage.
    ///
    /// The rows at `passthrough` are read, changed and written on the shared pool while this thread
    /// runs the stages on `held` (one after the other, each left the other core idle a third of the
    /// time). That work waits only for the file writers' queues, never for the pool it runs on (see
    /// `SplitWriter.Session.add(_:overlapping:)`). On a thread of its own it was no faster, and the
    /// fresh heap it made its rows in raised the peak by about 2 MB.
    func runTail(_ plan: [Planned], held: consuming [Record], passthrough: [Int], head: StreamedHead, key: String, inputDigest: String, columns: [String],
                 export: (suffix: String, line: (Record) -> [UInt8])?, position: Int, out: OutputFiles, report: inout Report) throws {
        var rows = consume held
        let values = plan.map { ClassTally(columns: $0.columns) }
        let session = SplitWriter.Session(SplitWriter(out: out, columns: columns, defaultSplit: spec.source.defaultSplit, export: export))
        // Each stage's time on the passthrough rows, and the write stage's time writing them.
        let passing = Background { () throws -> (stages: [Double], write: Double) in
            var extra = [Double](repeating: 0, count: plan.count), write = 0.0
            for start in stride(from: 0, to: passthrough.count, by: Self.passthroughBatch) {
                var batch = try head.read(passthrough[start..<min(passthrough.count, start + Self.passthroughBatch)])
                for (k, p) in plan.enumerated() {
                    let t = Clock.now()
                    // Augment passes these rows through as they are.
                    if p.stage is Instruct { batch = try p.stage.apply(batch).records }
                    values[k].add(batch)
                    extra[k] += Clock.now() - t
                }
                let t = Clock.now()
                try session.add(batch, overlapping: false)
                write += Clock.now() - t
            }
            return (extra, write)
        }
        var results: [(rowsIn: Int, rowsOut: Int, result: StageResult, seconds: Double)] = []
        let passed: (stages: [Double], write: Double)
        var writeSeconds = 0.0
        do {
            do {
                for (k, p) in plan.enumerated() {
                    let t0 = Clock.now()
                    let rowsIn = rows.count
                    var result = try p.stage.apply(rows, context: StageContext(store: store, runID: report.runID, progress: options.progress))
                    rows = []
                    swap(&rows, &result.records)
                    values[k].add(rows)
                    results.append((rowsIn, rows.count, result, Clock.now() - t0))
                }
            } catch {
                // The passthrough rows' writer still reads the session: it ends before the session does.
                _ = try? passing.wait()
                throw error
            }
            passed = try passing.wait()
            let t0 = Clock.now()
            try session.add(rows)
            writeSeconds = passed.write + Clock.now() - t0
        } catch {
            session.abort()
            throw error
        }
        let t0 = Clock.now()
        let written = try session.finish()
        writeSeconds += Clock.now() - t0
        Memory.releaseInBackground(rows)
        rows = []
        for (k, p) in plan.enumerated() {
            let (rowsIn, rowsOut, result, seconds) = results[k]
            let record = stageRecord(p, rowsIn: rowsIn + passthrough.count, rowsOut: rowsOut + passthrough.count, removed: result.removed,
                                     details: result.details, warnings: result.warnings, classCounts: values[k].counts(),
                                     seconds: seconds + passed.stages[k], artifacts: [])
            try store.recordStage(run: report.runID, record)
            report.stages.append(record)
            report.warnings += result.warnings
        }
        try recordWrite(written, details: written.perSplit.map { ($0.split, .number(String($0.rows))) }, key: key, inputDigest: inputDigest,
                        position: position, seconds: writeSeconds, report: &report)
    }
}
