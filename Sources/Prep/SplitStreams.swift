import Records
import Store

/// The final per-split files of a spec with no shaping stages, written while the ingest reads: each
/// record's lines go to `<split>.jsonl` (and `.csv`) as they go to `records.jsonl`, so no record is
/// held for the write stage and no line is made twice. The runner commits them as the write stage's
/// outputs, or drops them (`abort`, also on any error) when that stage's cached outputs are intact.
final class SplitStreams {
    private let out: OutputFiles
    private let columns: [String]
    private let encoder: RecordCoding.Encoder
    private let defaultSplit: String
    /// Whether the lines written here need their CSV row (the outputs include CSV).
    let csv: Bool
    /// The splits in the order they were met, each with its files.
    private var sinks: [(split: String, sink: OutputFiles.Sink)] = []
    /// Whether any record came: an ingest that was skipped (cached) leaves nothing to commit.
    private(set) var rows = 0

    init(out: OutputFiles, columns: [String], defaultSplit: String) {
        self.out = out
        self.columns = columns
        self.defaultSplit = defaultSplit
        encoder = RecordCoding.Encoder(columns: columns)
        csv = out.spec.csv
    }

    /// Writes a record's lines (made by the ingest with `csv` rows when `csv`) to its split's files.
    func write(_ lines: OutputFiles.Lines, split: String?) throws {
        let split = split ?? defaultSplit
        // A few splits: found by comparing, the last one first (rows of a split mostly come together).
        if let k = sinks.lastIndex(where: { $0.split == split }) {
            try sinks[k].sink.write(lines)
        } else {
            let sink = try out.openFinal(stem: split, columns: columns)
            sinks.append((split, sink))
            try sink.write(lines)
        }
        rows += 1
    }

    /// Writes a record the ingest did not serialise itself (a page of an html source).
    func write(_ record: Record) throws {
        try write(OutputFiles.Lines(record, encoder: encoder, csv: csv), split: record.split)
    }

    /// Puts the files in place (as `SplitWriter.write` would have written them: splits by name).
    func commit() throws -> SplitWriter.Written {
        var written = SplitWriter.Written()
        for (split, sink) in sinks.sorted(by: { $0.split < $1.split }) {
            written.artifacts += try sink.commit().map {
                Artifact(path: $0.path, digest: $0.digest, bytes: $0.bytes, rows: $0.rows, split: split)
            }
            written.perSplit.append((split, sink.rows))
            written.rows += sink.rows
        }
        sinks = []
        return written
    }

    /// Removes the temporary files; earlier outputs stay as they were.
    func abort() {
        sinks.forEach { $0.sink.abort() }
        sinks = []
    }
}
