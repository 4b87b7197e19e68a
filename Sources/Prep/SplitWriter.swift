import Records
import Store
import Support

/// Writes the final per-split outputs (`train.jsonl`, `train.csv`, `train.alpaca.jsonl`, ...) from
/// the last stage's records.
struct SplitWriter {
    let out: OutputFiles
    let columns: [String]
    let defaultSplit: String
    /// The instruction-data file a stage adds (`alpaca`, `chat`), if any.
    let export: (suffix: String, line: (Record) -> [UInt8])?

    struct Written {
        var artifacts: [Artifact] = []
        var perSplit: [(split: String, rows: Int)] = []
        var rows = 0
    }

    /// Writes each split to `<split>.jsonl` (and CSV, instruction file), or with `subset` to
    /// `subsets/<split>.<size>.jsonl`, ... The final split files (JSONL and CSV, not subsets and not
    /// instruction files) are recorded with their split, so readers need not guess it from the name.
    func write(_ records: [Record], subset: Int? = nil) throws -> Written {
        let stem = { (split: String) in subset.map { "\(PrepRunner.subsetFolder)/\(split).\($0)" } ?? split }
        var sinks: [String: OutputFiles.Sink] = [:]
        var exports: [String: (file: AtomicFile, rows: Int)] = [:]
        var written = Written()
        // Serialised on every core in batches, written in order; a batch of lines is a few MB.
        let batch = 1024
        let encoder = RecordCoding.Encoder(columns: columns)
        for start in stride(from: 0, to: records.count, by: batch) {
            let slice = records[start..<min(records.count, start + batch)]
            let lines = try Parallel.map(slice.indices.map { $0 }) { i in
                (OutputFiles.Lines(records[i], encoder: encoder, csv: out.spec.csv), export.map { var line = $0.line(records[i]); line.append(0x0A); return line })
            }
            for (record, (line, exported)) in zip(slice, lines) {
                let split = record.split ?? defaultSplit
                if sinks[split] == nil {
                    sinks[split] = try out.openFinal(stem: stem(split), columns: columns)
                    if let export { exports[split] = (try AtomicFile(path: "\(out.dir)/\(stem(split)).\(export.suffix).jsonl"), 0) }
                }
                try sinks[split]!.write(line)
                if let exported {
                    try exports[split]!.file.write(bytes: exported)
                    exports[split]!.rows += 1
                }
                written.rows += 1
            }
        }
        for split in sinks.keys.sorted() {
            written.artifacts += try sinks[split]!.commit().map {
                Artifact(path: $0.path, digest: $0.digest, bytes: $0.bytes, rows: $0.rows, split: subset == nil ? split : nil)
            }
            if let (file, n) = exports[split] {
                try file.commit(deferringSyncTo: out.commits)
                written.artifacts.append(Artifact(path: file.path, digest: file.digest, bytes: Int64(file.bytesWritten), rows: n))
            }
            written.perSplit.append((split, sinks[split]!.rows))
        }
        return written
    }
}
