import ArchiveIO
import HarnessSpec
import Records
import Support

/// The first stage: streams entries out of the archives, maps each JSON document (or each element of
/// a JSON array) to a flat record, and writes `records.jsonl` (and `records.csv`) without holding
/// the records in memory.
struct Ingest {
    let spec: Spec
    let dataRoot: String
    let skipBadEntries: Bool

    struct Result {
        var written = 0
        var skipped: [(reason: String, count: Int)] = []
        var perSplit: [(split: String, count: Int)] = []
        var entries = 0
        var jsonBytes: Int64 = 0
        var seconds = 0.0
        var artifacts: [OutputFiles.Written] = []
    }

    var scanner: ArchiveScanner {
        ArchiveScanner(root: dataRoot, archives: spec.source.archives.map(Glob.init), entries: spec.source.entries.map(Glob.init),
                       limits: ArchiveLimits(maxEntryBytes: Int64(spec.source.maxEntryMB) << 20, maxRatio: spec.source.maxRatio))
    }

    /// A digest of what the ingest will read: file names, sizes and modification times, plus the spec
    /// sections that shape records.
    func inputDigest() throws -> String {
        var h = SHA256()
        h.update(dataRoot + "\n")
        for (file, _) in try scanner.sources() {
            h.update("\(file.path)\t\(file.size)\t\(file.parts.map { FileSystem.modificationTime($0) })\n")
        }
        for key in ["source", "record", "nulls"] { h.update(spec.sections[key] ?? "-"); h.update("\n") }
        return h.hexDigest()
    }

    func run(into out: OutputFiles, progress: Progress) throws -> Result {
        let started = Clock.now()
        var result = Result()
        let columns = spec.fieldNames
        let writer = try out.open(stem: "records", columns: columns)
        let extractor = FieldExtractor(fields: spec.fields, nulls: spec.nulls)
        var skipped = Counter()
        var splits = Counter()

        try scanner.scan { entry in
            result.entries += 1
            result.jsonBytes += Int64(entry.data.count)
            progress.advance(detail: "\(entry.archive.split(separator: "/").last ?? "")")
            let document: JSONValue
            do {
                document = try JSONParser.parse(entry.data)
            } catch let e as JSONParser.Failure {
                if skipBadEntries { skipped.add("malformed JSON"); return }
                throw PrepError.malformedJSON(location: entry.location, detail: e.description)
            }
            let items: [(JSONValue, String)]
            if case let .array(elements) = document {
                items = elements.enumerated().map { ($1, entry.entry.isEmpty ? "[\($0)]" : entry.entry + "[\($0)]") }
            } else {
                items = [(document, entry.entry)]
            }
            for (item, name) in items {
                let values: [String?]
                do {
                    values = try extractor.extract(from: item)
                } catch let e as RecordError {
                    if skipBadEntries { skipped.add(e.shortReason); continue }
                    throw PrepError.field(location: entry.archive + (name.isEmpty ? "" : "!" + name), detail: e.description)
                }
                var record = Record(fields: [:], archive: entry.archive, entry: name)
                for (c, v) in zip(columns, values) { record.fields[c] = v }
                guard record.fields["id"] != nil || spec.source.kind == .html else {
                    skipped.add("id is null"); continue
                }
                record.split = spec.source.split(archive: entry.archive, entry: name)
                splits.add(record.split ?? "")
                try writer.write(record)
                result.written += 1
            }
        }
        progress.finish()
        result.artifacts = try writer.commit()
        result.skipped = skipped.items.map { ($0.key, $0.count) }
        result.perSplit = splits.items.map { ($0.key, $0.count) }
        result.seconds = Clock.now() - started
        return result
    }
}

extension RecordError {
    /// A reason short enough to count rows by.
    var shortReason: String {
        switch self {
        case let .pathMatchedNothing(field, path, _, _): return "\(field): \(path) missing"
        case let .unmappedValue(field, _, value, _): return "\(field): unmapped value \(value)"
        case let .notScalar(field, _, _): return "\(field): not a scalar"
        case .badPath: return "bad path"
        }
    }
}
