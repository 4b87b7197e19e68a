import HarnessSpec
import Records
import Support

/// The output folder of a spec (`outputs.dir`), and atomic record writers into it.
struct OutputFiles {
    let dir: String
    let spec: OutputSpec
    /// Files are synced and renamed into place in the background; the run waits for them
    /// (`commits.wait()`) before it looks at the folder again or reports success.
    let commits = DeferredCommits()

    struct Written: Equatable {
        let path: String
        let digest: String
        let bytes: Int64
        let rows: Int
    }

    /// Writes records to `stem.jsonl` (and `stem.csv` when `csv` and the spec asks for it); files appear on commit.
    final class Sink {
        private var files: [(AtomicFile, csv: Bool)] = []
        private let encoder: RecordCoding.Encoder
        private let commits: DeferredCommits
        private(set) var rows = 0
        /// Whether the sink writes a CSV file: lines made for it need their CSV row.
        let writesCSV: Bool

        init(dir: String, stem: String, columns: [String], jsonl: Bool, csv: Bool, bom: Bool, commits: DeferredCommits) throws {
            encoder = RecordCoding.Encoder(columns: columns)
            self.commits = commits
            writesCSV = csv
            if jsonl { files.append((try AtomicFile(path: "\(dir)/\(stem).jsonl"), false)) }
            if csv {
                let f = try AtomicFile(path: "\(dir)/\(stem).csv")
                if bom { try f.write(bytes: [0xEF, 0xBB, 0xBF]) }
                try f.write(RecordCoding.csvHeader(columns: columns))
                files.append((f, true))
            }
        }

        /// The JSONL file being written, if the sink writes one (its bytes so far, its temporary path).
        var jsonFile: AtomicFile? { files.first { !$0.csv }?.0 }

        func write(_ record: Record) throws {
            try write(Lines(record, encoder: encoder, csv: writesCSV))
        }

        /// Writes a record already serialised (by a worker thread).
        func write(_ lines: Lines) throws {
            assert(!writesCSV || !lines.csv.isEmpty, "lines made without their CSV row for a sink that writes CSV")
            for (f, csv) in files { try f.write(bytes: csv ? lines.csv : lines.json) }
            rows += 1
        }

        func commit() throws -> [Written] {
            try files.map { f, _ in
                try f.commit(deferringSyncTo: commits)
                return Written(path: f.path, digest: f.digest, bytes: Int64(f.bytesWritten), rows: rows)
            }
        }

        func abort() { files.forEach { $0.0.abort() } }
    }

    /// A record's JSONL line (with its newline) and CSV row, as UTF-8 bytes; the CSV row is made
    /// only when `csv` (the sink writes a CSV file: `Sink.writesCSV`), and is empty otherwise.
    struct Lines: Sendable {
        let json: [UInt8]
        let csv: [UInt8]
        init(_ record: Record, encoder: RecordCoding.Encoder, csv: Bool) {
            self.init(record, values: encoder.values(record), encoder: encoder, csv: csv)
        }

        /// With the record's fields already in column order (`encoder.values(record)`).
        init(_ record: Record, values: [String?], encoder: RecordCoding.Encoder, csv makeCSV: Bool) {
            // Sized once for the values, the keys and a few escapes: a body did not fit the 1 KB
            // guess and the line was copied as it grew.
            let text = values.reduce(0) { $0 + ($1?.utf8.count ?? 4) } + record.entry.utf8.count + record.archive.utf8.count
            var j: [UInt8] = []
            j.reserveCapacity(text + 32 * (values.count + Record.metaCount) + 64)
            encoder.appendJSON(values: values, of: record, to: &j)
            j.append(0x0A)
            var c: [UInt8] = []
            if makeCSV {
                c.reserveCapacity(j.count)
                encoder.appendCSV(values: values, of: record, to: &c)
            }
            json = j
            csv = c
        }
    }

    func open(stem: String, columns: [String], csv: Bool = true) throws -> Sink {
        try Sink(dir: dir, stem: stem, columns: columns, jsonl: true, csv: csv && spec.csv, bom: spec.csvBOM, commits: commits)
    }

    /// Writes a final output set: JSONL and/or CSV as the spec asks.
    func openFinal(stem: String, columns: [String]) throws -> Sink {
        try Sink(dir: dir, stem: stem, columns: columns, jsonl: spec.jsonl, csv: spec.csv, bom: spec.csvBOM, commits: commits)
    }

    /// Writes JSON lines to `<dir>/<relative>` atomically.
    func writeLines(_ lines: [String], to relative: String) throws -> Written {
        try writeLines(lines.map { Array($0.utf8) }, to: relative)
    }

    /// One array for every line end (a literal made an array per line).
    private static let newline: [UInt8] = [0x0A]

    /// Writes lines given as UTF-8 bytes (without their newlines) to `<dir>/<relative>` atomically.
    func writeLines(_ lines: [[UInt8]], to relative: String) throws -> Written {
        try writeLines(count: lines.count, to: relative) { lines[$0] }
    }

    /// Writes `count` lines made by `line(i)` (UTF-8 bytes, without their newlines) to
    /// `<dir>/<relative>` atomically: made on every core a batch at a time, so that only one batch
    /// of lines is held at once.
    func writeLines(count: Int, to relative: String, batch: Int = 4096, line: (Int) throws -> [UInt8]) throws -> Written {
        try writeLines(count: count, to: relative, batch: batch) { try Parallel.map($0, line) }
    }

    /// Writes `count` lines made a range at a time by `lines` (which may use every core) to
    /// `<dir>/<relative>` atomically; only one batch of lines is held at once.
    func writeLines(count: Int, to relative: String, batch: Int = 4096, lines: (Range<Int>) throws -> [[UInt8]]) throws -> Written {
        let f = try AtomicFile(path: "\(dir)/\(relative)")
        do {
            for start in stride(from: 0, to: count, by: batch) {
                for bytes in try lines(start..<min(count, start + batch)) {
                    try f.write(bytes: bytes)
                    try f.write(bytes: Self.newline)
                }
            }
            try f.commit(deferringSyncTo: commits)
        } catch {
            f.abort()
            throw error
        }
        return Written(path: f.path, digest: f.digest, bytes: Int64(f.bytesWritten), rows: count)
    }

    /// Whether every artifact is on disk with the recorded size and digest.
    static func intact(_ artifacts: [Artifact]) -> Bool {
        !artifacts.isEmpty && artifacts.allSatisfy { a in
            FileSystem.size(a.path) == a.bytes && (try? FileChecksum.matches(file: a.path, recorded: a.digest)) == true
        }
    }
}

import Store
