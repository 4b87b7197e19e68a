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
        let session = Session(self, subset: subset)
        do {
            try session.add(records)
            return try session.finish()
        } catch {
            session.abort()
            throw error
        }
    }

    /// One set of split files written from rows given a part at a time, in order (`write` gives them
    /// all at once; `StreamedTail` gives the rows it reads back from disk, then the rows it holds).
    final class Session {
        private let writer: SplitWriter
        private let subset: Int?
        private let encoder: RecordCoding.Encoder
        private var sinks: [String: OutputFiles.Sink] = [:]
        private var exports: [String: (file: AtomicFile, rows: Int)] = [:]
        private var rows = 0

        init(_ writer: SplitWriter, subset: Int? = nil) {
            self.writer = writer
            self.subset = subset
            encoder = RecordCoding.Encoder(columns: writer.columns)
        }

        private func stem(_ split: String) -> String { subset.map { "\(PrepRunner.subsetFolder)/\(split).\($0)" } ?? split }

        /// Writes the next rows.
        /// - parameter overlapping: serialise the next batch of rows on the shared pool while this
        ///   thread writes the one before; false serialises each batch before writing it, for a
        ///   caller that runs on the pool itself and must not wait for it (the pool has a thread per
        ///   core, and adds one for a waiting thread only after a second).
        func add<Rows: RandomAccessCollection<Record>>(_ records: Rows, overlapping: Bool = true) throws where Rows.Index == Int {
            let out = writer.out, export = writer.export, encoder = encoder
            // Serialised on every core in batches, written in order; a batch of lines is a few MB.
            // The next batch is serialised in the background while this thread writes the one
            // before (writing alone left the other core idle).
            let batch = 512
            let ranges = stride(from: records.startIndex, to: records.endIndex, by: batch).map { $0..<min(records.endIndex, $0 + batch) }
            func lines(_ r: Record) -> (OutputFiles.Lines, [UInt8]?) {
                (OutputFiles.Lines(r, encoder: encoder, csv: out.spec.csv), export.map { var line = $0.line(r); line.append(0x0A); return line })
            }
            func serialised(_ range: Range<Int>) throws -> [(OutputFiles.Lines, [UInt8]?)] {
                // Rows in one buffer (arrays) are read in place: `records[i]` copied each row for the call.
                let first = range.lowerBound - records.startIndex, last = range.upperBound - records.startIndex
                return try records.withContiguousStorageIfAvailable { rows in
                    try Parallel.map(UnsafeBufferPointer(rebasing: rows[first..<last]), lines)
                } ?? Parallel.map(Array(range)) { lines(records[$0]) }
            }
            func serialise(_ range: Range<Int>) -> Background<[(OutputFiles.Lines, [UInt8]?)]> { Background { try serialised(range) } }
            var next = overlapping ? ranges.first.map(serialise) : nil
            // A batch still being serialised when a write fails is waited for (it reads the rows).
            defer { _ = try? next?.wait() }
            for (n, range) in ranges.enumerated() {
                let lines = overlapping ? try next!.wait() : try serialised(range)
                if overlapping { next = n + 1 < ranges.count ? serialise(ranges[n + 1]) : nil }
                // Rows mostly come split by split: the files of the row before are looked up
                // again only when the split changes (each lookup hashes the name).
                var current: (split: String, sink: OutputFiles.Sink, export: AtomicFile?)?
                var exported = 0
                func leave() {
                    if let c = current, exported > 0 { exports[c.split]!.rows += exported }
                    exported = 0
                }
                // By index: a pair from `zip` copied the row and its lines (a dozen retains).
                for j in lines.indices {
                    let split = records[range.lowerBound + j].split ?? writer.defaultSplit
                    if current?.split != split {
                        leave()
                        if sinks[split] == nil {
                            sinks[split] = try out.openFinal(stem: stem(split), columns: writer.columns)
                            if let export { exports[split] = (try AtomicFile(path: "\(out.dir)/\(stem(split)).\(export.suffix).jsonl"), 0) }
                        }
                        current = (split, sinks[split]!, exports[split]?.file)
                    }
                    try current!.sink.write(lines[j].0)
                    if let exportLine = lines[j].1 {
                        try current!.export!.write(bytes: exportLine)
                        exported += 1
                    }
                    rows += 1
                }
                leave()
            }
        }

        /// Puts the files in place.
        func finish() throws -> Written {
            var written = Written()
            written.rows = rows
            for split in sinks.keys.sorted() {
                written.artifacts += try sinks[split]!.commit().map {
                    Artifact(path: $0.path, digest: $0.digest, bytes: $0.bytes, rows: $0.rows, split: subset == nil ? split : nil)
                }
                if let (file, n) = exports[split] {
                    try file.commit(deferringSyncTo: writer.out.commits)
                    written.artifacts.append(Artifact(path: file.path, digest: file.digest, bytes: Int64(file.bytesWritten), rows: n))
                }
                written.perSplit.append((split, sinks[split]!.rows))
            }
            sinks = [:]
            exports = [:]
            return written
        }

        /// Removes the temporary files of what was not committed.
        func abort() {
            sinks.values.forEach { $0.abort() }
            exports.values.forEach { $0.file.abort() }
            sinks = [:]
            exports = [:]
        }
    }
}
