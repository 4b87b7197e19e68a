import ArchiveIO
import Logging
import HarnessSpec
import JSON
import Records
import Store
import Support

/// Runs a spec's preparation: ingest, then each stage, then the per-split outputs. Every stage is
/// recorded in the run store; a stage whose cache key (inputs + its spec section + code version)
/// matches an earlier one with intact outputs is skipped.
public final class PrepRunner {
    /// Bump when a stage's output for the same input and arguments changes.
    public static let codeVersion = "prep-4"

    public struct Options {
        public var dataRoot: String?
        public var force: Bool
        public var progress: Bool?
        /// Also write each shaping stage's output to `stages/NN-kind.jsonl` (for inspection, and so
        /// that a rerun that changes a later stage starts from the file instead of the records).
        public var keepStages: Bool
        /// Told once when another run holds the output folder and this one waits for it.
        public var onWait: (String) -> Void
        public init(dataRoot: String? = nil, force: Bool = false, progress: Bool? = nil, keepStages: Bool = false,
                    onWait: @escaping (String) -> Void = { _ in }) {
            self.dataRoot = dataRoot
            self.force = force
            self.progress = progress
            self.keepStages = keepStages
            self.onWait = onWait
        }
    }

    /// What a run did, for the summary.
    public struct Report {
        public var runID: Int
        public var stages: [StageRecord] = []
        public var warnings: [String] = []
        public var outputs: [Artifact] = []
        public var seconds = 0.0
        /// Bytes of JSON read and entries seen by the ingest (0 when it was skipped).
        public var jsonBytes: Int64 = 0
        public var entries = 0
        public var ingestSeconds = 0.0
        /// Files of earlier runs removed from the output folder, and files harness never wrote moved into `.stale/`.
        public var cleared: (removed: [String], movedAside: [String]) = ([], [])
    }

    let spec: Spec
    let store: RunStore
    let options: Options
    /// Stage decisions (cache hits, timings) at debug level; `HARNESS_LOG=debug` shows them.
    let log = Logger(label: "harness.prep")

    public init(spec: Spec, store: RunStore, options: Options = Options()) {
        self.spec = spec
        self.store = store
        self.options = options
    }

    /// Checks that every stage of the spec is known and its arguments valid, without running anything.
    public static func validate(_ spec: Spec) throws {
        if spec.source.kind == .html {
            _ = try Ingest.pageParser(spec)
            // `source.sentences: kiwi` without Kiwi's model fails here, as augment's `sentences: kiwi` does.
            _ = try Ingest.sentencesIdentity(spec)
        }
        let stages = try spec.stages.map { try StageRegistry.make($0, spec: spec) }
        let splits = try outputSplits(spec, stages: stages)
        try validateOutputs(spec, columns: stages.reduce(spec.fieldNames) { $1.columns(after: $0) }, splits: splits)
        if let eval = spec.eval {
            let columns = stages.reduce(spec.fieldNames) { $1.columns(after: $0) }
            _ = try EvalSpec.parse(spec, fields: columns)
            if let node = try eval.optional("split") { _ = try node.split(among: splits) }
        }
    }

    /// `outputs.subsets` and `outputs.corpus` name fields and splits that must exist after the stages.
    static func validateOutputs(_ spec: Spec, columns: [String], splits: [String]) throws {
        guard let node = spec.outputsNode else { return }
        if let sub = try node.optional("subsets"), !sub.isSequence {
            if let s = try sub.optional("split") { _ = try s.split(among: splits) }
            _ = try sub.optional("stratify_by")?.field(among: columns)
        } else if let sub = spec.outputs.subsets, !splits.contains(sub.split) {
            throw try node.required("subsets").error("subsets are drawn from '\(sub.split)', which the stages do not make (splits: \(splits.joined(separator: ", "))); use the mapping form with `split:`")
        }
        if let corpus = try node.optional("corpus") {
            _ = try corpus.required("fields").fieldList(among: columns)
            if let s = try corpus.optional("splits") { for item in try s.list() { _ = try item.split(among: splits) } }
        }
    }

    /// The splits the outputs will have, checking every split a stage names along the way.
    /// - throws: `SpecError` at the first split name that does not exist where it is used.
    public static func outputSplits(_ spec: Spec) throws -> [String] {
        try outputSplits(spec, stages: spec.stages.map { try StageRegistry.make($0, spec: spec) })
    }

    static func outputSplits(_ spec: Spec, stages: [any Stage]) throws -> [String] {
        try stages.reduce(spec.source.splitNames) { try $1.splits(after: $0) }
    }

    /// Runs the spec. - throws: the first error; the run is then marked failed and no output is half-written.
    ///
    /// One prep run at a time writes an output folder: a second one waits for the folder's lock.
    /// When it succeeds, the folder holds exactly the files this run recorded; files of earlier
    /// runs are removed, and files harness never wrote are moved aside into `.stale/`.
    public func run() throws -> Report {
        try Self.validate(spec)
        let stages = try spec.stages.map { try StageRegistry.make($0, spec: spec) }
        let dataRoot = options.dataRoot ?? spec.source.root
        // The outermost folder of outputs.dir that does not exist yet: removed again if the run fails.
        var created: String?
        var folder = spec.outputs.dir
        while !folder.isEmpty, folder != ".", !FileSystem.exists(folder) {
            created = folder
            folder = folder.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        }
        let lock = try FolderLock(folder: spec.outputs.dir) {
            options.onWait("\(spec.outputs.dir)/ is being written by another prep run; waiting for it to finish")
        }
        do {
            try checkFolderOwner()
        } catch {
            lock.release()
            if let created { FileSystem.removeEmptyDirectories(created) }
            throw error
        }
        let started = Clock.now()
        let runID = try store.beginRun(kind: .prep, spec: SpecIdentity(name: spec.name, path: spec.file, digest: spec.digest, version: spec.version),
                                       settings: .object([("data", .string(dataRoot)), ("force", .bool(options.force)),
                                                          ("outputs_dir", .string(spec.outputs.dir)), ("prep_digest", .string(spec.prepDigest))]
                                                         + (spec.maxSeqLength.map { [("max_seq_length", .number(String($0)))] } ?? [])))
        var report = Report(runID: runID)
        do {
            try execute(stages: stages, dataRoot: dataRoot, report: &report)
            report.cleared = try clearStale(runID: runID)
            report.seconds = Clock.now() - started
            try store.finishRun(runID, status: .done, seconds: report.seconds, summary: summary(report))
            lock.release()
            return report
        } catch {
            lock.release()
            if let created { FileSystem.removeEmptyDirectories(created) }
            let status: RunStatus = if case PrepError.interrupted = error { .interrupted } else { .failed }
            try? store.finishRun(runID, status: status, seconds: Clock.now() - started,
                                 summary: .object([("error", .string(String(describing: error)))]))
            throw error
        }
    }

    /// Refuses to write into a folder whose files were prepared by another spec file (two specs with
    /// the same `name:` share `out/<name>/` by default).
    private func checkFolderOwner() throws {
        guard let owner = try store.outputOwner(dir: spec.outputs.dir), let ownerPath = owner.specPath else { return }
        let ownerDigest = owner.settings["prep_digest"]?.scalarText
        if ownerDigest == spec.prepDigest || FileSystem.samePath(ownerPath, spec.file) { return }
        // A spec file that was renamed or deleted hands its folder over, and so does a folder whose
        // files were deleted.
        guard FileSystem.exists(ownerPath) else { return }
        let files = try store.artifacts(run: owner.id)
        guard files.contains(where: { FileSystem.size($0.path) == $0.bytes }) else { return }
        throw PrepError.folderTaken(dir: spec.outputs.dir, run: owner.name, ownerSpec: ownerPath, spec: spec.file)
    }

    /// Removes what earlier runs left in the output folder and this run did not write; moves data
    /// files (`.jsonl`, `.csv`) that harness never recorded into `.stale/`. Only the places harness
    /// writes are looked at (the folder itself and `stages/`), and other files are left alone, so
    /// an `outputs.dir` that also holds other things loses nothing. Runs under the folder lock.
    private func clearStale(runID: Int) throws -> (removed: [String], movedAside: [String]) {
        let dir = spec.outputs.dir
        let mine = Set(try store.artifacts(run: runID).map(\.path))
        let known = try store.artifactPaths(under: dir)
        var removed: [String] = [], moved: [String] = []
        var ours = FileSystem.files(in: dir)
        for sub in ["stages", Self.subsetFolder] + Artifact.sideFolders { ours += FileSystem.files(in: dir + "/" + sub).map { sub + "/" + $0 } }
        for rel in ours {
            let path = dir + "/" + rel
            if mine.contains(path) { continue }
            let name = rel.split(separator: "/").last.map(String.init) ?? rel
            if known.contains(path) || (name.hasPrefix(".") && name.contains(".tmp-")) {
                FileSystem.remove(path)
                removed.append(path)
            } else if name.hasSuffix(".jsonl") || name.hasSuffix(".csv") {
                let target = dir + "/" + Self.staleFolder + "/" + rel
                try FileSystem.move(path, to: target)
                moved.append(path)
            }
        }
        for sub in ["stages", Self.subsetFolder] + Artifact.sideFolders { FileSystem.removeEmptyDirectories(dir + "/" + sub) }
        return (removed, moved)
    }

    /// Where `outputs.subsets` go: `subsets/train.1000.jsonl`, `subsets/train.1000.alpaca.jsonl`, ...
    public static let subsetFolder = "subsets"

    /// Where files of the output folder that harness did not write are moved.
    public static let staleFolder = ".stale"

    /// One shaping stage as planned before any row is read: its cache key chains the ingest's digest
    /// with every stage's arguments up to it, so a stage's output is identified without writing it.
    struct Planned {
        let stage: any Stage
        let entry: StageSpec
        let position: Int
        let key: String
        let inputDigest: String
        var outputDigest: String { SHA256.hex("output\n" + key) }
        let inputColumns: [String]
        let columns: [String]
    }

    private func execute(stages: [any Stage], dataRoot: String, report: inout Report) throws {
        let out = OutputFiles(dir: spec.outputs.dir, spec: spec.outputs)
        // Every file this run wrote is in place before the folder is tidied or the run reported,
        // also when a later step failed.
        do {
            try execute(stages: stages, dataRoot: dataRoot, out: out, report: &report)
        } catch {
            try? out.commits.wait()
            throw error
        }
        try out.commits.wait()
    }

    private func execute(stages: [any Stage], dataRoot: String, out: OutputFiles, report: inout Report) throws {
        // The rows pass from stage to stage with one reference (`input`), so a stage may change them in place.
        let ingested: StageRecord
        var input: [Record]?
        let export = stages.last(where: { $0.export != nil })?.export
        let audit = stages.lazy.compactMap(\.audit).first
        let extras = (subsets: Subsets(spec: spec, stages: stages), corpus: spec.outputs.corpus.map { Corpus(fields: $0.fields, splits: $0.splits, splitSentences: $0.splitSentences) })
        // With no shaping stage (and nothing the write stage computes over all rows), the ingest
        // writes the split files itself as it reads: no row is held and no line made twice.
        let streams = stages.isEmpty && audit == nil && extras.subsets == nil && extras.corpus == nil
            ? SplitStreams(out: out, columns: spec.fieldNames, defaultSplit: spec.source.defaultSplit) : nil
        defer { streams?.abort() }
        // The first stages run on the rows as they are read when their shape allows (`StreamedHead`).
        let head = streams == nil && !options.keepStages ? try StreamedHead.make(stages: stages, columns: spec.fieldNames, dir: spec.outputs.dir) : nil
        (ingested, input) = try ingest(dataRoot: dataRoot, out: out, streams: streams, head: head, report: &report)
        Memory.releaseFreePages()  // the documents and lines of the ingest's last batches
        let records = try mainArtifact(ingested)
        var plan: [Planned] = []
        var digest = records.digest
        var columns = spec.fieldNames
        for (i, stage) in stages.enumerated() {
            let entry = spec.stages[i]
            let inputColumns = columns
            columns = stage.columns(after: columns)
            // Everything the stage reads: its entry, the spec's `nulls:` (refine's `nulls` rule), what
            // it takes from other entries, and its input.
            // The folder is part of the key too: a stage's side files (ledger, clusters) live there.
            let key = SHA256.hex([Self.codeVersion, entry.canonical, "nulls: " + (spec.sections["nulls"] ?? "-"), stage.readsBeyondItsEntry,
                                  "dir: " + spec.outputs.dir, digest]
                .joined(separator: "\n"))
            plan.append(Planned(stage: stage, entry: entry, position: i + 1, key: key, inputDigest: digest, inputColumns: inputColumns, columns: columns))
            digest = plan[i].outputDigest
        }
        // A corpus cut into sentences by Kiwi depends on Kiwi's version and model too.
        let corpusSentences = try spec.outputs.corpus?.splitSentences.map(SentenceSplitter.identity) ?? ""
        let writeKey = SHA256.hex([Self.codeVersion, "write", spec.sections["outputs"] ?? "-", "dir: " + spec.outputs.dir, columns.joined(separator: ","), digest,
                                   corpusSentences]
            .joined(separator: "\n"))
        if try reuseAll(plan, writeKey: writeKey, report: &report) { return }
        if let streams, streams.rows > 0 {
            try commitStreamedSplits(streams, key: writeKey, inputDigest: digest, position: stages.count + 1, report: &report)
            return
        }

        // Stages run in memory, from the newest kept stage file whose key still matches (with
        // --keep-stages), else from the ingest's records.
        var path = records.path
        var resume = 0
        if options.keepStages {
            for (i, p) in plan.enumerated() {
                // A stage cached by a run without --keep-stages has no rows on disk to start from.
                guard let cached = try reuse(key: p.key, position: p.position, runID: report.runID, record: false),
                      let file = try? mainArtifact(cached) else { break }
                resume = i + 1
                path = file.path
            }
            for p in plan[..<resume] { report.stages.append(try reuse(key: p.key, position: p.position, runID: report.runID)!) }
            if resume > 0 { input = nil }
        }
        if let head {
            // A cached ingest handed no rows to the head: it reads them from the ingest's file.
            if ingested.skipped {
                let reader = try LineReader(path: path)
                while let line = try reader.next() {
                    if !line.isEmpty {
                        let bytes = Array(line.utf8)
                        try head.add(try RecordCoding.record(fromJSON: bytes, columns: spec.fieldNames), line: bytes[...])
                    }
                }
            }
            let headPlan = Array(plan[..<head.stageCount])
            // The stages after the head can take the rows of the other splits as they are written
            // (`StreamedTail`) when they change them row by row and nothing needs all the rows.
            let tailPlan = Array(plan[head.stageCount...])
            var tail = audit == nil && extras.subsets == nil && extras.corpus == nil
                && tailPlan.allSatisfy { Self.streams($0.stage, otherSplits: head.otherSplits) }
            // Intact outputs of this very write stage are kept (`writeSplits` does the same).
            if tail, try reuse(key: writeKey, position: stages.count + 1, runID: report.runID, record: false) != nil { tail = false }
            var ledgers = [Artifact?](repeating: nil, count: headPlan.count)
            let (outcomes, rows, passthrough) = try head.finish(deferring: tail) { k, count, lines in
                guard count > 0 else { return }
                let w = try out.writeLines(count: count, to: "removed/" + Self.ledgerStem(headPlan[k]), lines: lines)
                ledgers[k] = Artifact(path: w.path, digest: w.digest, bytes: w.bytes, rows: w.rows)
            }
            for (k, o) in outcomes.enumerated() {
                let record = stageRecord(headPlan[k], rowsIn: o.rowsIn, rowsOut: o.rowsOut, removed: o.removed, details: o.details, warnings: o.warnings,
                                         classCounts: o.classCounts, seconds: o.seconds, artifacts: ledgers[k].map { [$0] } ?? [])
                try store.recordStage(run: report.runID, record)
                log.debug("stage \(record.name): \(record.rowsIn) -> \(record.rowsOut) rows in \(Format.duration(record.seconds)) (as read)")
                report.stages.append(record)
                report.warnings += o.warnings
            }
            Memory.releaseFreePages()  // the keys, and the rows the drop and the sample left
            if tail {
                // The tail owns the rows: the first stage's output replaces them (kept here until the
                // end, they were a few MB of the peak).
                try runTail(tailPlan, held: consume rows, passthrough: passthrough, head: head, key: writeKey, inputDigest: digest, columns: columns,
                            export: export, position: stages.count + 1, out: out, report: &report)
                return
            }
            input = rows
            resume = head.stageCount
        }
        for p in plan[resume...] {
            var rows = try input ?? Self.load(path)
            input = nil
            let (record, result) = try run(p, input: &rows, out: out, runID: report.runID)
            try store.recordStage(run: report.runID, record)
            log.debug("stage \(record.name): \(record.rowsIn) -> \(record.rowsOut) rows in \(Format.duration(record.seconds))")
            report.stages.append(record)
            report.warnings += result.warnings
            input = result.records
            // The rows a stage removed leave pages behind that the next stage would not reuse.
            Memory.releaseFreePages()
        }
        try writeSplits(input ?? Self.load(path), key: writeKey, inputDigest: digest, columns: columns, export: export, audit: audit, extras: extras,
                        position: stages.count + 1, out: out, report: &report)
    }

    /// When the final outputs of exactly this plan are intact, records every stage as skipped and
    /// reads nothing: an unchanged rerun costs a few digests.
    private func reuseAll(_ plan: [Planned], writeKey: String, report: inout Report) throws -> Bool {
        guard !options.force, let (_, write) = try store.cachedStage(key: writeKey), OutputFiles.intact(write.artifacts) else { return false }
        var cached: [StageRecord] = []
        for p in plan {
            guard let (_, s) = try store.cachedStage(key: p.key), s.artifacts.isEmpty || OutputFiles.intact(s.artifacts) else { return false }
            cached.append(s)
        }
        for var s in cached + [write] {
            s.position = s.name == "write" ? plan.count + 1 : s.position
            s.skipped = true
            s.seconds = 0
            try store.recordStage(run: report.runID, s)
            report.stages.append(s)
        }
        report.outputs = write.artifacts
        log.debug("outputs of this exact spec and input are intact: every stage skipped")
        return true
    }

    /// Stage 0: reads the archives into `records.jsonl`, or reuses an identical earlier read.
    /// `streams`: the split files to write as the records are read (see `SplitStreams`).
    /// `head`: the first stages, which then take the rows as they are read (none are returned).
    private func ingest(dataRoot: String, out: OutputFiles, streams: SplitStreams?, head: StreamedHead?, report: inout Report) throws -> (StageRecord, [Record]?) {
        let ingest = Ingest(spec: spec, dataRoot: dataRoot, skipBadEntries: spec.source.skipBadEntries, recordsCSV: options.keepStages && spec.outputs.csv, splitStreams: streams,
                            rowSink: head.map { head in { try head.add($0, line: $1, at: $2) } },
                            recordsFileOpened: head.map { head in { try head.readingAlso($0) } })
        let inputDigest = try ingest.inputDigest()
        // Its files live in the output folder: another folder reads the archives again rather than
        // recording files it does not hold (nor `records.csv` when this run keeps stages and that one did not).
        let key = SHA256.hex(([Self.codeVersion, "ingest", "dir: " + spec.outputs.dir, spec.sections["outputs"] ?? "-", inputDigest]
                              + (ingest.recordsCSV ? ["records.csv"] : [])).joined(separator: "\n"))
        if let cached = try reuse(key: key, position: 0, runID: report.runID) {
            report.stages.append(cached)
            return (cached, nil)
        }
        let result = try ingest.run(into: out, progress: Progress("reading entries", unit: "entries", enabled: options.progress))
        var artifacts = result.artifacts.map { Artifact(path: $0.path, digest: $0.digest, bytes: $0.bytes, rows: $0.rows) }
        if !result.skippedEntries.isEmpty {
            // The ingest's ledger: what was skipped gave no row, so it is named by where it was read.
            let w = try out.writeLines(result.skippedEntries.map { Ledger.skipped(at: $0.location, reason: $0.reason) }, to: "removed/00-ingest.jsonl")
            artifacts.append(Artifact(path: w.path, digest: w.digest, bytes: w.bytes, rows: w.rows))
        }
        let record = StageRecord(position: 0, name: "ingest", cacheKey: key, inputDigest: inputDigest,
                                 outputDigest: artifacts[0].digest, rowsIn: result.entries, rowsOut: result.written,
                                 removed: result.skipped,
                                 details: .object([("splits", .object(result.perSplit.map { ($0.split, .number(String($0.count))) })),
                                                   ("skipped_pages", .array(result.skippedPages.prefix(100).map { .string("\($0.page): \($0.reason)") })),
                                                   ("json_bytes", .number(String(result.jsonBytes))),
                                                   ("entries", .number(String(result.entries)))]
                                                  + (result.warnings.isEmpty ? [] : [("warnings", .array(result.warnings.map { .string($0) }))])),
                                 seconds: result.seconds - (head?.totalSeconds ?? 0), artifacts: artifacts)
        try store.recordStage(run: report.runID, record)
        report.stages.append(record)
        report.jsonBytes = result.jsonBytes
        report.entries = result.entries
        report.ingestSeconds = record.seconds
        report.warnings += result.warnings
        return (record, result.records)
    }

    /// Runs one shaping stage in memory; with `--keep-stages` its output is also written to
    /// `stages/NN-kind.jsonl` (so a later run can start from it). The rows it removed go to the
    /// ledger `removed/NN-kind.jsonl`, and its side files (dedup clusters) beside it.
    private func run(_ p: Planned, input: inout [Record], out: OutputFiles, runID: Int) throws -> (StageRecord, StageResult) {
        let t0 = Clock.now()
        let rowsIn = input.count
        var result: StageResult
        if let stage = p.stage as? any InPlaceStage {
            result = try stage.applyInPlace(&input)
            swap(&result.records, &input)
        } else {
            result = try p.stage.apply(input, context: StageContext(store: store, runID: runID, progress: options.progress))
            input = []
        }
        var artifacts: [Artifact] = []
        if options.keepStages {
            let sink = try out.open(stem: "stages/\(String(format2: p.position))-\(p.entry.kind)", columns: p.columns, csv: false)
            for r in result.records { try sink.write(r) }
            artifacts = try sink.commit().map { Artifact(path: $0.path, digest: $0.digest, bytes: $0.bytes, rows: $0.rows) }
        }
        let stem = Self.ledgerStem(p)
        var side: [OutputFiles.Written] = []
        if !result.ledger.isEmpty {
            // A removed row has the input's columns, or the output's where the stage made the row (augment's copies).
            let made = p.columns.filter { c in !p.inputColumns.contains(c) && result.ledger.contains { $0.record.fields[c] != nil } }
            let encoder = RecordCoding.Encoder(columns: p.inputColumns + made)
            side.append(try out.writeLines(count: result.ledger.count, to: "removed/" + stem) { Ledger.bytes(result.ledger[$0], stage: p.entry.kind, encoder: encoder) })
        }
        for (folder, lines) in result.sideFiles { side.append(try out.writeLines(lines, to: folder + "/" + stem)) }
        artifacts += side.map { Artifact(path: $0.path, digest: $0.digest, bytes: $0.bytes, rows: $0.rows) }
        let record = stageRecord(p, rowsIn: rowsIn, rowsOut: result.records.count, removed: result.removed, details: result.details, warnings: result.warnings,
                                 classCounts: ClassCounts.of(result.records, fields: p.columns), seconds: Clock.now() - t0, artifacts: artifacts)
        return (record, result)
    }

    /// A shaping stage's name for its files: `NN-kind.jsonl` (its ledger is `removed/NN-kind.jsonl`).
    static func ledgerStem(_ p: Planned) -> String { "\(String(format2: p.position))-\(p.entry.kind).jsonl" }

    /// How the store keeps a shaping stage that ran: its figures, its details with the warnings and
    /// the class counts of its output, and its files.
    func stageRecord(_ p: Planned, rowsIn: Int, rowsOut: Int, removed: [(reason: String, count: Int)], details: [(String, JSONValue)],
                             warnings: [String], classCounts: JSONValue, seconds: Double, artifacts: [Artifact]) -> StageRecord {
        let warned: [(String, JSONValue)] = warnings.isEmpty ? [] : [("warnings", .array(warnings.map { .string($0) }))]
        return StageRecord(position: p.position, name: p.entry.kind, cacheKey: p.key, inputDigest: p.inputDigest,
                           outputDigest: p.outputDigest, rowsIn: rowsIn, rowsOut: rowsOut,
                           removed: removed, details: .object(details + warned + [("class_counts", classCounts)]),
                           seconds: seconds, artifacts: artifacts)
    }

    /// The write stage of a run whose ingest wrote the split files (`SplitStreams`): the files are put
    /// in place and recorded as `writeSplits` records its own. The stage's cached outputs are not
    /// intact here: with no shaping stage, `reuseAll` checks that stage alone, and the run has
    /// returned (dropping the new files) when they are.
    private func commitStreamedSplits(_ streams: SplitStreams, key: String, inputDigest: String, position: Int, report: inout Report) throws {
        let t0 = Clock.now()
        let written = try streams.commit()
        try recordWrite(written, details: written.perSplit.map { ($0.split, .number(String($0.rows))) }, key: key, inputDigest: inputDigest,
                        position: position, seconds: Clock.now() - t0, report: &report)
    }

    /// Records the write stage and its files as the run's outputs.
    func recordWrite(_ written: SplitWriter.Written, details: [(String, JSONValue)], key: String, inputDigest: String, position: Int,
                             seconds: Double, report: inout Report) throws {
        let record = StageRecord(position: position, name: "write", cacheKey: key, inputDigest: inputDigest,
                                 outputDigest: SHA256.hex(written.artifacts.map(\.digest).joined(separator: ",")), rowsIn: written.rows, rowsOut: written.rows,
                                 details: .object(details), seconds: seconds, artifacts: written.artifacts)
        try store.recordStage(run: report.runID, record)
        report.stages.append(record)
        report.outputs = written.artifacts
    }

    /// The final outputs, one set per split (plus the instruction files).
    private func writeSplits(_ records: [Record], key: String, inputDigest: String, columns: [String], export: (suffix: String, line: (Record) -> [UInt8])?,
                             audit: LeakAudit?, extras: (subsets: Subsets?, corpus: Corpus?), position: Int, out: OutputFiles, report: inout Report) throws {
        if let cached = try reuse(key: key, position: position, runID: report.runID) {
            report.stages.append(cached)
            report.outputs = cached.artifacts
            return
        }
        let t0 = Clock.now()
        let writer = SplitWriter(out: out, columns: columns, defaultSplit: spec.source.defaultSplit, export: export)
        var written = try writer.write(records)
        var details: [(String, JSONValue)] = written.perSplit.map { ($0.split, .number(String($0.rows))) }
        if let subsets = extras.subsets {
            var list: [JSONValue] = []
            for s in subsets.subsets(of: records) {
                let files = try writer.write(s.rows, subset: s.size)
                written.artifacts += files.artifacts
                list.append(.object([("size", .number(String(s.size))), ("rows", .number(String(s.originals))),
                                     ("with_augmented", .number(String(s.rows.count)))]))
                if s.originals < s.size {
                    report.warnings.append("subset \(s.size) asks for more rows than \(subsets.split) has (\(s.originals)); it holds all of them")
                }
            }
            details.append(("subsets", .object([("split", .string(subsets.split)), ("stratify_by", subsets.stratifyBy.map { .string($0) } ?? .null),
                                                ("sizes", .array(list))])))
        }
        if let corpus = extras.corpus {
            let c = try corpus.build(records)
            let file = try out.writeLines(c.text.isEmpty ? [] : [String(c.text.dropLast())], to: "corpus.txt")
            written.artifacts.append(Artifact(path: file.path, digest: file.digest, bytes: file.bytes, rows: c.documents))
            details.append(("corpus", .object([("documents", .number(String(c.documents))), ("duplicates_left_out", .number(String(c.duplicates))),
                                               ("characters", .number(String(c.text.count))), ("fields", .array(corpus.fields.map { .string($0) })),
                                               ("splits", .array(corpus.splits.map { .string($0) }))])))
        }
        if let audit {
            let rows = records.filter { $0.origin == nil }.map { LeakAudit.Row(id: $0.fields["id"] ?? "", group: $0.split ?? spec.source.defaultSplit, text: audit.text(of: $0)) }
            details.append(("audit", try audit.run(rows).summary(audit)))
        }
        try recordWrite(written, details: details, key: key, inputDigest: inputDigest, position: position, seconds: Clock.now() - t0, report: &report)
    }

    /// A cached stage with intact outputs, re-recorded in this run as skipped; nil when it must run.
    func reuse(key: String, position: Int, runID: Int, record: Bool = true) throws -> StageRecord? {
        guard !options.force, let (from, cached) = try store.cachedStage(key: key) else { return nil }
        guard OutputFiles.intact(cached.artifacts) else {
            log.debug("stage \(cached.name): outputs of run-\(from) changed or vanished, running it again")
            return nil
        }
        var copy = cached
        copy.position = position
        copy.skipped = true
        copy.seconds = 0
        if record {
            log.debug("stage \(cached.name): inputs and arguments unchanged since run-\(from), skipping")
            try store.recordStage(run: runID, copy)
        }
        return copy
    }

    private func mainArtifact(_ stage: StageRecord) throws -> (path: String, digest: String) {
        guard let a = stage.artifacts.first(where: { $0.path.hasSuffix(".jsonl") && !$0.isSideFile }) else {
            throw PrepError.stage(name: stage.name, detail: "no JSONL output recorded")
        }
        return (a.path, a.digest)
    }

    /// Reads a JSONL file of records.
    static func load(_ path: String) throws -> [Record] {
        let reader = try LineReader(path: path)
        var records: [Record] = []
        while let line = try reader.next() {
            if line.isEmpty { continue }
            records.append(try RecordCoding.record(fromJSONLine: line[...]))
        }
        return records
    }

    private func summary(_ r: Report) -> JSONValue {
        .object([
            ("stages", .array(r.stages.map { s in
                .object([("name", .string(s.name)), ("rows_in", .number(String(s.rowsIn))), ("rows_out", .number(String(s.rowsOut))),
                         ("skipped", .bool(s.skipped))])
            })),
            ("outputs", .array(r.outputs.map { .string($0.path) })),
            ("removed_files", .array(r.cleared.removed.map { .string($0) })),
            ("moved_aside", .array(r.cleared.movedAside.map { .string($0) })),
            ("warnings", .array(r.warnings.map { .string($0) })),
        ])
    }
}

@available(*, unavailable)
extension PrepRunner: Sendable {}
