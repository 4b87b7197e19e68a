import ArchiveIO
import Dispatch
import Synchronization
import HTMLSource
import HarnessSpec
import JSON
import Records
import Support

/// The first stage: streams entries out of the archives, maps each JSON document (or each element of
/// a JSON array, or each element `source.records` names; with `source.format` jsonl/csv/tsv, each line
/// or table row: see `TabularEntry`) to a flat record, and writes `records.jsonl` (and, with
/// `recordsCSV`, `records.csv`) as the records are read.
struct Ingest {
    let spec: Spec
    let dataRoot: String
    let skipBadEntries: Bool
    /// Also write `records.csv` when the spec's outputs include CSV (`prep run --keep-stages`): the
    /// cache needs only `records.jsonl`, and the final split files carry the CSV rows.
    var recordsCSV = false
    /// With no shaping stages: the final split files, written as the records are read; the records
    /// are then not kept (`Result.records` stays empty).
    var splitStreams: SplitStreams?
    /// Where the records go as they are read, in order, instead of `Result.records` (`StreamedHead`:
    /// the first stages run on them batch by batch, and the rows wait on disk), each with its JSON
    /// line as `records.jsonl` holds it, without the newline (empty when none was made apart).
    var rowSink: ((Record, ArraySlice<UInt8>, _ at: Int64?) throws -> Void)?
    /// Called with the temporary path of `records.jsonl` once it is opened, before any row goes to
    /// `rowSink`, whose third argument is then where the row's line lies in that file.
    var recordsFileOpened: ((String) throws -> Void)?

    struct Result {
        var written = 0
        /// The records written, in order, handed to the first stage so it need not read them back
        /// (none with `splitStreams`: the write stage's files are already written).
        var records: [Record] = []
        var skipped: [(reason: String, count: Int)] = []
        var perSplit: [(split: String, count: Int)] = []
        var entries = 0
        var jsonBytes: Int64 = 0
        var seconds = 0.0
        var artifacts: [OutputFiles.Written] = []
        var warnings: [String] = []
        /// Pages (html sources) that gave no record, and why.
        var skippedPages: [(page: String, reason: String)] = []
        /// Every entry, line or element skipped (`on_bad_entry: skip`, pages without a record), and why:
        /// the ingest's part of the removal ledger.
        var skippedEntries: [(location: String, reason: String)] = []
    }

    var scanner: ArchiveScanner {
        ArchiveScanner(root: dataRoot, archives: spec.source.archives.map(Glob.init), entries: spec.source.entries.map(Glob.init),
                       limits: ArchiveLimits(maxEntryBytes: Int64(spec.source.maxEntryMB) << 20, maxRatio: spec.source.maxRatio))
    }

    /// A digest of what the ingest will read: file names, sizes and modification times, plus the spec
    /// sections that shape records, and the version of `auto` page fields when a spec uses them
    /// (a better article finder reads the same pages again).
    func inputDigest() throws -> String {
        var h = SHA256()
        h.update(dataRoot + "\n")
        for (file, _) in try scanner.sources() {
            h.update("\(file.path)\t\(file.size)\t\(file.parts.map { FileSystem.modificationTime($0) })\n")
        }
        for key in ["source", "record", "nulls"] { h.update(spec.sections[key] ?? "-"); h.update("\n") }
        if spec.source.pageFields.contains(where: { if case .auto = $0.source { return true } else { return false } }) {
            h.update("auto: \(PageParser.autoVersion)\n")
        }
        // `source.sentences: kiwi`: a new Kiwi or model may cut the same pages otherwise.
        if let s = try Self.sentencesIdentity(spec) { h.update(s + "\n") }
        return h.hexDigest()
    }

    /// What `source.sentences` makes records depend on beyond the spec (Kiwi's version and model, how
    /// paragraphs are read), or nil when pages keep their own lines.
    /// - throws: `KiwiError.modelNotInstalled`, before any page is read.
    static func sentencesIdentity(_ spec: Spec) throws -> String? {
        guard spec.source.kind == .html, let method = spec.source.sentences else { return nil }
        return try SentenceSplitter.identity(method) + " " + PageParser.paragraphsVersion
    }

    func run(into out: OutputFiles, progress: Progress) throws -> Result {
        let started = Clock.now()
        var result = Result()
        let columns = spec.fieldNames
        let writer = try out.open(stem: "records", columns: columns, csv: recordsCSV)
        let jsonFile = writer.jsonFile
        if let recordsFileOpened, let jsonFile {
            do { try recordsFileOpened(jsonFile.temporaryPath) } catch { writer.abort(); throw error }
        }
        let streams = splitStreams
        // The CSV row of a line is made when some file takes it.
        let csv = writer.writesCSV || (streams?.csv ?? false)
        let extractor = FieldExtractor(fields: spec.fields, nulls: spec.nulls)
        var skipped = Counter()
        var splits = Counter()
        let pages = try spec.source.kind == .html ? Self.pageParser(spec) : nil
        let sentences = spec.source.kind == .html ? spec.source.sentences.map(PageSentences.init) : nil
        let scanner = self.scanner
        var batch: [PendingEntry] = []
        var matchedAlternatives: UInt64 = 0
        var batchBytes = 0
        // With `source.records`, ids must be unique: id -> where it was first read.
        var ids = spec.source.records == nil ? nil : [String: String]()

        // JSON entries are parsed and mapped in parallel, batch by batch, then written in order. Batches
        // convert in the background while the scanner reads the next one and the oldest is written:
        // three stay converting while one is written, so that the workers have a batch to take up
        // when they finish one before the main thread has written the one before (with two, 20
        // alternating runs of the 50k bench set took 2.5% longer; the peak RSS is the same at 50k
        // documents and 4-10 MB higher at 200k, where the ingest holds the peak).
        var inFlight: [Conversion] = []
        let depth = 3
        func drain() throws {
            guard !inFlight.isEmpty else { return }
            let conversion = inFlight.removeFirst()
            var converted = conversion.wait()
            // Members that did not inflate as their zip records are read again through libarchive, which
            // throws what is wrong with them, before any record of the batch is written (as when the
            // scan inflated them itself).
            for (i, outcomes) in converted.enumerated() {
                guard case .unreadable? = outcomes.first else { continue }
                let entry = try scanner.reread(conversion.batch[i])
                converted[i] = Self.convert([PendingEntry(entry)], extractor: extractor, columns: columns, csv: csv, source: spec.source, skipBad: skipBadEntries)[0]
            }
            for k in converted.indices {
                progress.advance()
                // Each outcome is moved out (reversed, then popped) rather than copied: a copy
                // retained and released every string of the row.
                var results: [Outcome] = []
                swap(&results, &converted[k])
                results.reverse()
                while let outcome = results.popLast() {
                    switch consume outcome {
                    case let .skipped(reason, location):
                        skipped.add(reason)
                        result.skippedEntries.append((location, reason))
                    case let .matched(mask): matchedAlternatives |= mask
                    case let .failed(error): throw error
                    case .unreadable: preconditionFailure("read again above")
                    case let .record(split, lines, id, location, record):
                        if let first = ids?.updateValue(location, forKey: id) {
                            throw PrepError.field(location: location, detail: Self.duplicateID(id, first: first))
                        }
                        splits.add(split)
                        let offset = jsonFile.map { Int64($0.bytesWritten) }
                        try writer.write(lines)
                        if let streams { try streams.write(lines, split: split) } else if let rowSink { try rowSink(record, lines.json.dropLast(), offset) } else { result.records.append(record) }
                        result.written += 1
                    }
                }
            }
        }
        // The next batch starts converting before the oldest is written out, so the workers are not
        // idle while the main thread writes.
        func flush() throws {
            guard !batch.isEmpty else { return }
            inFlight.append(Conversion(batch, extractor: extractor, columns: columns, csv: csv, source: spec.source, skipBad: skipBadEntries))
            batch = []
            batchBytes = 0
            while inFlight.count > depth { try drain() }
        }

        try scanner.scan(deferring: pages == nil) { pending in
            if let pages {
                let entry = try scanner.reread(pending)
                result.entries += 1
                result.jsonBytes += Int64(entry.data.count)
                progress.advance()
                switch try readPage(entry, parser: pages, sentences: sentences) {
                case let .failure(reason):
                    skipped.add(reason)
                    result.skippedPages.append((entry.location, reason))
                    result.skippedEntries.append((entry.location, reason))
                case var .success(record):
                    record.split = spec.source.split(archive: entry.archive, entry: entry.entry)
                    splits.add(record.split ?? "")
                    try writer.write(record)
                    if let streams { try streams.write(record) } else if let rowSink { try rowSink(record, [], nil) } else { result.records.append(record) }
                    result.written += 1
                }
                return
            }
            result.entries += 1
            result.jsonBytes += Int64(pending.size)
            batch.append(pending)
            batchBytes += pending.size
            if batch.count >= 512 || batchBytes >= 8 << 20 { try flush() }
        }
        try flush()
        while !inFlight.isEmpty { try drain() }
        progress.finish()
        guard result.written > 0 else {
            // Nothing read: keep the previous outputs as they are.
            writer.abort()
            throw PrepError.noRecords(detail: "\(result.entries) entries matched \(spec.source.entries.joined(separator: ", ")) under \(dataRoot)"
                                      + (skipped.items.isEmpty ? "" : "; skipped: " + skipped.items.map { "\($0.count) \($0.key)" }.joined(separator: ", ")))
        }
        result.artifacts = try writer.commit()
        for (i, a) in extractor.alternatives.prefix(64).enumerated() where pages == nil && matchedAlternatives & (1 << UInt64(i)) == 0 {
            result.warnings.append("field '\(a.field)': the alternative path '\(a.path)' matched no entry at all (a typo?); the other alternatives filled the field")
        }
        result.skipped = skipped.items.map { ($0.key, $0.count) }
        result.perSplit = splits.items.map { ($0.key, $0.count) }
        result.seconds = Clock.now() - started
        return result
    }
}

extension Ingest {
    enum Outcome: @unchecked Sendable {
        case record(split: String, lines: OutputFiles.Lines, id: String, location: String, record: Record)
        case skipped(String, at: String)
        case failed(any Error)
        /// The entry's bytes did not load (see `PendingEntry.load`): the main thread reads it again.
        case unreadable
        /// Which `first:`/`or:` alternatives this entry's document reached (see `FieldExtractor.alternatives`).
        case matched(UInt64)
    }

    /// Inflates, parses and maps a batch of JSON entries on all cores; the outcomes keep the batch's order.
    static func convert(_ batch: [PendingEntry], extractor: FieldExtractor, columns: [String], csv: Bool, source: SourceSpec, skipBad: Bool) -> [[Outcome]] {
        let results = UnsafeMutableBufferPointer<[Outcome]>.allocate(capacity: batch.count)
        results.initialize(repeating: [])
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let box = ResultsBox(results)
        // Split keys of each archive path, found once per archive rather than once per entry. Entries
        // come archive by archive, so comparing with the previous path (the same string, compared by
        // identity first) avoids hashing long Korean paths, which Swift normalises to hash.
        var keys: [SourceSpec.SplitKeys] = []
        keys.reserveCapacity(batch.count)
        var last: (archive: String, keys: SourceSpec.SplitKeys)?
        for entry in batch {
            if let l = last, l.archive == entry.archive { keys.append(l.keys); continue }
            let k = source.splitKeys(in: entry.archive)
            last = (entry.archive, k)
            keys.append(k)
        }
        let archiveKeys = keys
        let encoder = RecordCoding.Encoder(columns: columns)
        // Only what the fields read becomes values; the rest of each document is checked and skipped.
        let projection = extractor.projection(records: source.records?.path)
        let alternatives = Array(extractor.alternatives.prefix(64))
        let all: UInt64 = alternatives.count == 64 ? .max : (1 << UInt64(alternatives.count)) - 1
        let workers = min(batch.count, max(1, System.cores))
        // Entries are claimed one at a time, in order: a fixed share per worker left a core idle
        // when the other's share was larger or its thread waited on a core the run's writers held.
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            // Once every alternative has matched some entry, no later entry needs to be checked.
            var seen: UInt64 = 0
            let inflater = Inflater()
            while true {
                let i = box.next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < batch.count else { break }
                guard let entry = batch[i].load(using: inflater) else {
                    box.buffer[i] = [.unreadable]
                    continue
                }
                let outcomes = convert(entry, archiveKeys: archiveKeys[i], extractor: extractor, projection: projection,
                                       alternatives: seen == all ? [] : alternatives, encoder: encoder, csv: csv, source: source, skipBad: skipBad)
                for case let .matched(mask) in outcomes { seen |= mask }
                box.buffer[i] = outcomes
            }
        }
        return Array(results)
    }

    /// One entry's records, split assigned and serialised, or why it gives none.
    /// `projection`: what of the document the fields read (see `FieldExtractor.projection`).
    /// `alternatives`: the `first:`/`or:` paths still to be seen matching (see `Outcome.matched`).
    /// `tape`: read the document as a `JSONTape` first (not when it is read again for a message).
    static func convert(_ entry: ArchiveEntry, archiveKeys: SourceSpec.SplitKeys, extractor: FieldExtractor, projection: JSONProjection = .everything,
                        alternatives: [(field: String, path: FieldPath)], encoder: RecordCoding.Encoder, csv: Bool, source: SourceSpec, skipBad: Bool,
                        tape: Bool = true) -> [Outcome] {
        if source.format.isLineBased {
            return convertLines(entry, archiveKeys: archiveKeys, extractor: extractor, alternatives: alternatives, encoder: encoder, csv: csv, source: source, skipBad: skipBad)
        }
        // A field error is reported from the whole document, so that its "did you mean" sees every
        // member's value (`records:` suggests a member holding an array): parse again, keeping everything.
        // A skipped entry's short reason names only the field and path, so it needs no second parse.
        func again() -> [Outcome] {
            convert(entry, archiveKeys: archiveKeys, extractor: extractor, projection: .everything, alternatives: alternatives,
                    encoder: encoder, csv: csv, source: source, skipBad: skipBad, tape: false)
        }
        if tape, source.records == nil, let outcomes = convertTape(entry, archiveKeys: archiveKeys, extractor: extractor, projection: projection,
                                                            alternatives: alternatives, encoder: encoder, csv: csv, source: source) {
            return outcomes
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(entry.data, keeping: projection)
        } catch let e as JSONParser.Failure {
            return [skipBad ? .skipped("malformed JSON", at: entry.location) : .failed(PrepError.malformedJSON(location: entry.location, detail: e.description))]
        } catch {
            return [.failed(error)]
        }
        let items: [(value: JSONValue, name: String)]
        do {
            items = try records(of: document, entry: entry, source: source)
        } catch let e as RecordError {
            if !projection.keepsAll, !skipBad { return again() }
            return [skipBad ? .skipped(e.shortReason, at: entry.location) : .failed(PrepError.field(location: entry.location, detail: e.description))]
        } catch {
            return [.failed(error)]
        }
        var out: [Outcome] = []
        if !alternatives.isEmpty {
            out.append(.matched(items.reduce(0) { $0 | extractor.matchedAlternatives(in: RecordScope(item: $1.value, root: document), alternatives) }))
        }
        for (item, name) in items {
            let location = entry.archive + (name.isEmpty ? "" : "!" + name)
            let values: [String?]
            do {
                values = try extractor.extract(from: RecordScope(item: item, root: document, location: location))
            } catch let e as RecordError {
                if !projection.keepsAll, !skipBad { return again() }
                if skipBad { out.append(.skipped(e.shortReason, at: location)); continue }
                out.append(.failed(PrepError.field(location: location, detail: e.description)))
                return out
            } catch {
                return out + [.failed(error)]
            }
            out.append(record(values, entry: entry, name: name, location: location, archiveKeys: archiveKeys, encoder: encoder, csv: csv, source: source))
        }
        return out
    }

    /// One record of an entry, its split assigned and its lines made; skipped when its id is null.
    private static func record(_ values: [String?], entry: ArchiveEntry, name: String, location: String, archiveKeys: SourceSpec.SplitKeys,
                               encoder: RecordCoding.Encoder, csv: Bool, source: SourceSpec) -> Outcome {
        // Every record of the run shares the one array of column names. Made whole once (a `let`):
        // setting its split afterwards copied it on its way to the line and the outcome.
        let fields = Fields(names: encoder.columns, values: values)
        guard let id = fields["id"] else { return .skipped("id is null", at: location) }
        let split = source.split(keys: archiveKeys.union(source.splitKeys(in: name)))
        let record = Record(fields: fields, split: split, archive: entry.archive, entry: name)
        let lines = OutputFiles.Lines(record, values: values, encoder: encoder, csv: csv)
        return .record(split: split, lines: lines, id: id, location: location, record: record)
    }

    /// `convert` reading the document as a `JSONTape`: no value is made that no field takes. Nil
    /// when the document is not valid JSON or a field fails, so that `convert` reads it again as a
    /// `JSONValue` and says what is wrong exactly as before (the outcomes are otherwise the same).
    static func convertTape(_ entry: ArchiveEntry, archiveKeys: SourceSpec.SplitKeys, extractor: FieldExtractor, projection: JSONProjection,
                            alternatives: [(field: String, path: FieldPath)], encoder: RecordCoding.Encoder, csv: Bool, source: SourceSpec) -> [Outcome]? {
        guard let tape = try? JSONTape(entry.data, keeping: projection) else { return nil }
        // As `records(of:)` without `source.records`: each element of a top-level array, else the document.
        let items: [(node: Int, name: String)]
        if tape.kind(JSONTape.root) == .array {
            items = tape.elements(of: JSONTape.root).enumerated().map { ($1, elementName(entry, $0)) }
        } else {
            items = [(JSONTape.root, entry.entry)]
        }
        var out: [Outcome] = []
        if !alternatives.isEmpty {
            out.append(.matched(items.reduce(0) { $0 | extractor.matchedAlternatives(in: TapeScope(tape: tape, item: $1.node), alternatives) }))
        }
        for (node, name) in items {
            let location = entry.archive + (name.isEmpty ? "" : "!" + name)
            guard let values = try? extractor.extract(from: TapeScope(tape: tape, item: node, location: location)) else { return nil }
            out.append(record(values, entry: entry, name: name, location: location, archiveKeys: archiveKeys, encoder: encoder, csv: csv, source: source))
        }
        return out
    }

    /// The records of a `jsonl`, `csv` or `tsv` entry, one document per line (row) at a time: named
    /// `<entry>:<line>` (`<file>:<line>` for a plain file), where `$location` and errors point.
    static func convertLines(_ entry: ArchiveEntry, archiveKeys: SourceSpec.SplitKeys, extractor: FieldExtractor, alternatives: [(field: String, path: FieldPath)],
                             encoder: RecordCoding.Encoder, csv: Bool, source: SourceSpec, skipBad: Bool) -> [Outcome] {
        let columns = encoder.columns
        let text: [UInt8]
        switch TabularEntry.utf8(entry.data, source: source) {
        case let .success(t): text = t
        case let .failure(bad): return [skipBad ? .skipped(bad.reason, at: entry.location) : .failed(bad.error(entry: entry.location))]
        }
        var out: [Outcome] = []
        var matched: UInt64 = 0
        let base = entry.entry.isEmpty ? entry.archive : entry.entry
        // Every line of an entry has the entry's split.
        let split = source.split(keys: archiveKeys.union(source.splitKeys(in: entry.entry)))
        TabularEntry.forEach(text, source: source) { item in
            let line: Int, document: JSONValue
            switch item {
            case let .bad(bad):
                if skipBad { out.append(.skipped(bad.reason, at: "\(entry.location):\(bad.line)")); return true }
                out.append(.failed(bad.error(entry: entry.location)))
                return false
            case let .document(l, d): (line, document) = (l, d)
            }
            let items: [(value: JSONValue, suffix: String)]
            do {
                items = try lineRecords(of: document, source: source)
            } catch let e as RecordError {
                if skipBad { out.append(.skipped(e.shortReason, at: "\(entry.location):\(line)")); return true }
                out.append(.failed(PrepError.field(location: "\(entry.location):\(line)", detail: e.description)))
                return false
            } catch {
                out.append(.failed(error))
                return false
            }
            for (item, suffix) in items {
                let location = "\(entry.location):\(line)\(suffix)"
                let scope = RecordScope(item: item, root: document, location: location)
                if !alternatives.isEmpty { matched |= extractor.matchedAlternatives(in: scope, alternatives) }
                let values: [String?]
                do {
                    values = try extractor.extract(from: scope)
                } catch let e as RecordError {
                    if skipBad { out.append(.skipped(e.shortReason, at: location)); continue }
                    out.append(.failed(PrepError.field(location: location, detail: e.description)))
                    return false
                } catch {
                    out.append(.failed(error))
                    return false
                }
                let record = Record(fields: Fields(names: columns, values: values), split: split, archive: entry.archive, entry: "\(base):\(line)\(suffix)")
                guard let id = record.fields["id"] else { out.append(.skipped("id is null", at: location)); continue }
                out.append(.record(split: split, lines: OutputFiles.Lines(record, encoder: encoder, csv: csv), id: id, location: location, record: record))
            }
            return true
        }
        if !alternatives.isEmpty { out.append(.matched(matched)) }
        return out
    }

    /// The records of one line's document, each with what its name adds to `<entry>:<line>`: the
    /// elements `source.records` names (`#data[3]`), else every element of an array (`[3]`), else the line.
    static func lineRecords(of document: JSONValue, source: SourceSpec) throws -> [(value: JSONValue, suffix: String)] {
        if let records = source.records {
            return try records.elements(in: document).map { ($0.value, "#" + $0.path) }
        }
        if case let .array(elements) = document {
            return elements.enumerated().map { ($1, "[\($0)]") }
        }
        return [(document, "")]
    }

    /// The documents' records with their entry names: the elements `source.records` names
    /// (`a.json#data[3]`), else every element of a top-level array (`a.json[3]`), else the document.
    /// - throws: `RecordError` when `source.records` does not reach an array.
    static func records(of document: JSONValue, entry: ArchiveEntry, source: SourceSpec) throws -> [(value: JSONValue, name: String)] {
        if let records = source.records {
            return try records.elements(in: document).map { ($0.value, entry.entry.isEmpty ? $0.path : entry.entry + "#" + $0.path) }
        }
        if case let .array(elements) = document {
            return elements.enumerated().map { ($1, elementName(entry, $0)) }
        }
        return [(document, entry.entry)]
    }

    /// The name of the `index`th element of a document that is an array (`a.json[3]`).
    static func elementName(_ entry: ArchiveEntry, _ index: Int) -> String {
        entry.entry.isEmpty ? "[\(index)]" : entry.entry + "[\(index)]"
    }

    /// The message for an id read twice under `source.records`.
    static func duplicateID(_ id: String, first: String) -> String {
        "id '\(id)' was already read from \(first); with `source.records` every record needs its own id."
            + " Point `id` at a field unique across all files, or write `id: $location` (where the record was read, e.g. a.json#data[3])"
    }

    /// One batch converting on a background thread; `wait()` blocks until its outcomes are ready.
    final class Conversion: @unchecked Sendable {
        let batch: [PendingEntry]
        private var outcomes: [[Outcome]] = []
        private let done = DispatchSemaphore(value: 0)

        init(_ batch: [PendingEntry], extractor: FieldExtractor, columns: [String], csv: Bool, source: SourceSpec, skipBad: Bool) {
            self.batch = batch
            DispatchQueue.global().async { [self] in
                outcomes = Ingest.convert(batch, extractor: extractor, columns: columns, csv: csv, source: source, skipBad: skipBad)
                done.signal()
            }
        }

        /// The outcomes, moved out: a copy left here shared every entry's outcomes with the caller,
        /// whose first change to them (taking them apart) then copied each, a retain per string.
        func wait() -> [[Outcome]] {
            done.wait()
            var taken: [[Outcome]] = []
            swap(&taken, &outcomes)
            return taken
        }
    }

    private final class ResultsBox: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<[Outcome]>
        /// The next entry to claim.
        let next = Atomic<Int>(0)
        init(_ b: UnsafeMutableBufferPointer<[Outcome]>) { buffer = b }
    }

    enum PageOutcome { case success(Record), failure(String) }

    /// The fields of an html source; with `source.sentences`, the field it re-cuts is read a
    /// paragraph per line. - throws: `HTMLError.badXPath`.
    static func pageParser(_ spec: Spec) throws -> PageParser {
        PageParser(fields: try spec.source.pageFields.map { f -> PageField in
            switch f.source {
            case let .xpaths(x): return .xpaths(try XPathField(name: f.field, xpaths: x))
            case .auto(.title): return .auto(name: f.field, .title)
            case .auto(.body): return .auto(name: f.field, .body)
            }
        }, fallbackCharset: spec.source.fallbackCharset,
           lineBreaks: spec.source.sentences == nil ? [:] : [SourceSpec.sentenceField: .paragraphs])
    }

    /// One page as a record, or why it gives none: a bad page is counted, not fatal.
    /// `sentences`: re-cuts the body (`source.sentences`).
    /// - throws: `PrepError.field` when Kiwi fails on the page's text.
    func readPage(_ entry: ArchiveEntry, parser: PageParser, sentences: PageSentences? = nil) throws -> PageOutcome {
        var values: [String: String]
        do { values = try parser.extract(entry.data, page: entry.location) } catch {
            return .failure("not HTML")
        }
        if let missing = spec.source.required.first(where: { (values[$0] ?? "").isEmpty }) {
            return .failure("missing \(missing)")
        }
        do { try sentences?.cut(&values) } catch {
            throw PrepError.field(location: entry.location, detail: "source.sentences: \(error)")
        }
        var record = Record(fields: Fields(values), archive: entry.archive, entry: entry.entry)
        record.fields["id"] = values["id"] ?? entry.location
        if let label = spec.source.label(archive: entry.archive, entry: entry.entry) { record.fields["label"] = label }
        return .success(record)
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
        case let .recordsMatchedNothing(path, _, _): return "records: \(path) missing"
        case let .recordsWrongKind(path, _, expected, _, _): return "records: \(path) not \(expected)"
        }
    }
}
