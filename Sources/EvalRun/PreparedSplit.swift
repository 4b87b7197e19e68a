import HarnessSpec
import JSON
import Records
import Store
import Support

/// The records of one split written by the latest successful `prep run` of a spec.
public struct PreparedSplit {
    public let prepRun: Int
    public let path: String
    public let records: [Record]
    public let columns: [String]

    /// The split as the spec's output folder holds it now, prepared from this spec: the newest
    /// finished prep run that wrote `outputs.dir` must come from the same spec file, or from one with
    /// the same preparation sections (source, record, nulls, stages, outputs), and its file must still
    /// have the digest that run recorded.
    /// - throws: `EvalRunError.notPrepared` (no prep run, no such split) or `.preparedElsewhere` (another spec's data, a
    ///   changed file) naming what exists and what to run.
    public static func load(store: RunStore, spec: Spec, split: String) throws -> PreparedSplit {
        let run = try preparingRun(store: store, spec: spec)
        // The write stage's split files as it recorded them (guessed from their names for a run
        // recorded before store migration 4).
        let files = (try store.stages(run: run.id).last?.splitFiles ?? []).filter { $0.path.hasSuffix(".jsonl") }
        guard let artifact = files.first(where: { $0.split == split }) else {
            let names = files.compactMap(\.split)
            throw EvalRunError.notPrepared(spec: spec.name, detail: "\(run.name) has no split '\(split)' (it has: \(names.joined(separator: ", "))); pick one with --split")
        }
        guard FileSystem.size(artifact.path) == artifact.bytes, (try? FileChecksum.matches(file: artifact.path, recorded: artifact.digest)) == true else {
            throw EvalRunError.preparedElsewhere(spec: spec.name, detail: "\(artifact.path) changed or vanished since \(run.name) wrote it; run `bin/prep run \(spec.file)` again")
        }
        var records: [Record] = []
        var columns: [String] = []
        let reader = try LineReader(path: artifact.path)
        while let line = try reader.next() {
            if line.isEmpty { continue }
            if columns.isEmpty, case let .object(m)? = try? JSONParser.parse(line) {
                columns = m.map(\.key).filter { !$0.hasPrefix("_") }
            }
            records.append(try RecordCoding.record(fromJSONLine: line[...]))
        }
        return PreparedSplit(prepRun: run.id, path: artifact.path, records: records, columns: columns)
    }

    /// The prep run whose files are in the spec's output folder, checked to come from this spec.
    static func preparingRun(store: RunStore, spec: Spec) throws -> RunInfo {
        guard let run = try store.outputOwner(dir: spec.outputs.dir) else {
            throw EvalRunError.notPrepared(spec: spec.name, detail: "no finished prep run; run `bin/prep run \(spec.file)` first")
        }
        let sameData = run.settings["prep_digest"]?.scalarText.map { $0 == spec.prepDigest } ?? (run.specDigest == spec.digest)
        if sameData { return run }
        if let path = run.specPath, !FileSystem.samePath(path, spec.file) {
            throw EvalRunError.preparedElsewhere(spec: spec.name, detail: "\(spec.outputs.dir)/ holds the data \(run.name) prepared from \(path), not from \(spec.file) "
                + "(their source, record or stages differ); run `bin/prep run \(spec.file)` first, or score \(path)")
        }
        throw EvalRunError.preparedElsewhere(spec: spec.name, detail: "\(spec.file) changed since \(run.name) prepared \(spec.outputs.dir)/ "
            + "(its source, record, nulls, stages or outputs differ); run `bin/prep run \(spec.file)` again first")
    }
}
