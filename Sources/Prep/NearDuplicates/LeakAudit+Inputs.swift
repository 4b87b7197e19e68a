import Records
import Store
import Support

extension LeakAudit {
    /// The settings a prep run audited with: those stored with its final outputs (from its `dedup` stage).
    public static func settings(of stages: [StageRecord]) -> LeakAudit? {
        stages.last(where: { $0.name == "write" }).flatMap { LeakAudit(settings: $0.details["audit"]) }
    }

    /// The final split files of a prep run (`train.jsonl`, ...; not instruction files or side
    /// files) with their splits as recorded (`StageRecord.splitFiles`), or its CSV files when it
    /// wrote no JSONL.
    public static func splitFiles(of stages: [StageRecord]) -> [Artifact] {
        let data = stages.last(where: { $0.name == "write" })?.splitFiles ?? []
        let jsonl = data.filter { $0.path.hasSuffix(".jsonl") }
        return jsonl.isEmpty ? data.filter { $0.path.hasSuffix(".csv") } : jsonl
    }

    /// The rows of a run's split files, augmented copies left out (they repeat training rows).
    /// - throws: `IOError`, or `PrepError.audit` when no row has any of the fields.
    public func rows(ofRun stages: [StageRecord]) throws -> [Row] {
        var rows: [Row] = []
        var seen = Set<String>()
        for file in Self.splitFiles(of: stages) {
            let path = file.path, fallback = file.split ?? "-"
            let records = path.hasSuffix(".csv") ? try Self.csvRecords(path) : try Self.jsonlRecords(path)
            for (line, r) in records {
                if r.origin != nil { continue }
                if seen.count < 256 { seen.formUnion(r.fields.keys) }
                rows.append(Row(id: r.fields["id"] ?? "\(path):\(line)", group: r.split ?? fallback, text: text(of: r)))
            }
        }
        try checkFields(seen, what: "the run's outputs")
        return rows
    }

    static func jsonlRecords(_ path: String) throws -> [(line: Int, record: Record)] {
        let reader = try LineReader(path: path)
        var out: [(Int, Record)] = []
        while let line = try reader.next() {
            if line.isEmpty { continue }
            out.append((reader.lineNumber, try RecordCoding.record(fromJSONLine: line[...])))
        }
        return out
    }

    /// A split CSV as harness writes it: a header, then one row per record (an empty field is null).
    static func csvRecords(_ path: String) throws -> [(line: Int, record: Record)] {
        var reader = CSVReader(try FileSystem.read(path))
        var out: [(Int, Record)] = []
        do {
            guard let header = try reader.next() else { return [] }
            while let row = try reader.next() {
            if row == [""] { continue }
            var r = Record(fields: [:])
            for (k, v) in zip(header, row) where !v.isEmpty {
                switch k {
                case "_split": r.split = v
                case "_archive": r.archive = v
                case "_entry": r.entry = v
                case "_origin": r.origin = v
                default: r.fields[k] = v
                }
            }
            out.append((reader.line, r))
            }
        } catch let e as CSVReader.Failure {
            throw PrepError.audit("\(path): \(e)")
        }
        return out
    }

    /// The rows of an outside JSONL file (one flat object per line), named by their `id` or line.
    /// - throws: `IOError`, `PrepError.audit` for a line that is not an object or a file without the fields.
    public func rows(ofFile path: String, group: String) throws -> [Row] {
        let reader = try LineReader(path: path)
        var rows: [Row] = []
        var seen = Set<String>()
        while let line = try reader.next() {
            if line.trimmingSpaces.isEmpty { continue }
            let r: Record
            do { r = try RecordCoding.record(fromJSONLine: line[...]) } catch {
                throw PrepError.audit("\(path):\(reader.lineNumber): not a JSON object per line (\(error))")
            }
            if seen.count < 256 { seen.formUnion(r.fields.keys) }
            rows.append(Row(id: r.fields["id"] ?? "line \(reader.lineNumber)", group: group, text: text(of: r)))
        }
        try checkFields(seen, what: path)
        return rows
    }

    /// Every field to compare must occur in the rows: a typo would otherwise compare empty text.
    private func checkFields(_ seen: Set<String>, what: String) throws {
        guard !seen.isEmpty else { throw PrepError.audit("\(what): no rows") }
        guard let missing = fields.first(where: { !seen.contains($0) }) else { return }
        let hint = Suggestions.closest(to: missing, among: Array(seen)).map { "; did you mean '\($0)'?" } ?? ""
        throw PrepError.audit("\(what): no row has the field '\(missing)'\(hint) (fields: \(seen.sorted().joined(separator: ", "))); choose them with --fields")
    }
}

private extension String {
    var trimmingSpaces: Substring { drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }) }
}
