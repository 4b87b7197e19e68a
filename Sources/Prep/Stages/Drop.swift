import Foundation
import Support
import HarnessSpec
import Records
import Scoring

/// `drop`: removes rows missing a required field, rows with too many null fields, and duplicates.
///
///     - drop: {required: [title, body, label], max_null_fraction: 0.3, duplicates: [title, body]}
///
/// `max_tokens: 1024, tokenizer: models/x.gguf` also removes rows longer than the training context
/// under that model's tokenizer, counting `token_fields` (default: instruction, input and output,
/// so put `drop` after `instruct`) joined by newlines.
///
/// Every removed row is counted under its first failing reason; kept + removed = input.
struct Drop: InPlaceStage {
    static let kind = "drop"
    let required: [String]
    let maxNullFraction: Double?
    let nullFields: [String]
    let duplicateKeys: [String]
    /// The split that training rows come from (the first `sample` stage's `from`, else `train`);
    /// every other split is held out, and never loses a row for duplicating a training row.
    let trainSplit: String
    let maxTokens: Int?
    let tokenizerPath: String?
    let tokenFields: [String]

    init(args: SpecNode, spec: Spec) throws {
        try args.checkKeys(["required", "max_null_fraction", "null_fields", "duplicates", "max_tokens", "tokenizer", "token_fields"])
        required = try Self.fields(args.optional("required"), spec: spec)
        maxNullFraction = try args.optional("max_null_fraction")?.double()
        if let f = maxNullFraction, !(0...1).contains(f) {
            throw try args.required("max_null_fraction").error("must be a fraction between 0 and 1, e.g. 0.3")
        }
        nullFields = try Self.fields(args.optional("null_fields"), spec: spec).nonEmpty ?? spec.fieldNames.filter { $0 != "id" }
        duplicateKeys = try Self.fields(args.optional("duplicates"), spec: spec)
        trainSplit = try Self.trainingSplit(spec)
        maxTokens = try args.optional("max_tokens")?.int()
        tokenizerPath = try args.optional("tokenizer")?.string()
        tokenFields = try args.optional("token_fields").map { try Self.fields($0, spec: spec) } ?? ["instruction", "input", "output"]
        if let n = maxTokens, n <= 0 { throw try args.required("max_tokens").error("must be a positive number of tokens, e.g. 1024") }
        if maxTokens != nil, tokenizerPath == nil {
            throw try args.required("max_tokens").error("`max_tokens` needs `tokenizer: PATH.gguf`, the model whose tokenizer counts the tokens")
        }
        if let path = tokenizerPath {
            if maxTokens == nil { throw try args.required("tokenizer").error("`tokenizer` counts tokens for `max_tokens`; give `max_tokens` too") }
            if !FileSystem.exists(path) { throw try args.required("tokenizer").error("no model file at \(path)") }
        }
        if required.isEmpty && maxNullFraction == nil && duplicateKeys.isEmpty && maxTokens == nil {
            throw args.error("say what to drop: `required`, `max_null_fraction`, `duplicates` and/or `max_tokens`")
        }
    }

    /// The split training rows come from: the first `sample` stage's `from`, else `train`.
    static func trainingSplit(_ spec: Spec) throws -> String {
        try spec.stages.first(where: { $0.kind == Sample.kind })?.args.string("from", default: "train") ?? "train"
    }

    static func fields(_ node: SpecNode?, spec: Spec) throws -> [String] {
        try node?.fieldList(among: spec.fieldNames + ["instruction", "input", "output"]) ?? []
    }

    func columns(after input: [String]) -> [String] { input }

    /// The training split, and the tokenizer file as it is now (another model file is another count).
    var readsBeyondItsEntry: String {
        "training split: " + trainSplit
            + (tokenizerPath.map { "; tokenizer: \($0) \(FileSystem.size($0) ?? -1) \(FileSystem.modificationTime($0))" } ?? "")
    }

    /// Duplicates are judged within the training split and within the held-out splits. A training
    /// row equal to a held-out row is the copy that goes, wherever it comes in the input, so the
    /// held-out data stays whole; the reason names the split that lost the row.
    func apply(_ records: [Record]) throws -> StageResult {
        var rows = records
        var result = try applyInPlace(&rows)
        result.records = rows
        return result
    }

    /// Decides on every row first, reading them where they are; then the kept rows stay and the
    /// removed ones move into the ledger, none copied.
    func applyInPlace(_ records: inout [Record]) throws -> StageResult {
        let tokenizer = try tokenizerPath.map { path in
            do { return try Tokenizer(modelPath: path) } catch { throw PrepError.stage(name: "drop", detail: "tokenizer \(path): \(error)") }
        }
        // The row checks and duplicate keys on every core (the tokenizer, when there is one, on this thread).
        let failures = try tokenizer == nil ? Parallel.map(records) { try failure(of: $0, tokenizer: nil) }
                                            : records.map { try failure(of: $0, tokenizer: tokenizer) }
        // Rows are matched by a hash of their duplicate key, and a match is confirmed on the keys
        // themselves: only 8 bytes per row are held, not a normalised copy of its text.
        let hashes: [Int] = duplicateKeys.isEmpty ? [] : try Parallel.map(records.indices) { [records] in failures[$0] == nil ? keyHash(records[$0]) : 0 }
        let decided = decide(count: records.count, failure: { failures[$0] }, hash: { hashes[$0] }, same: sameKey(records),
                             split: { records[$0].split }, id: { records[$0].fields["id"] ?? "" })
        var ledger = Removals()
        records.moveRows(keeping: decided.kept, removing: decided.removed.map(\.row)) { j, row in
            ledger.add(Removal(row, reason: decided.removed[j].reason, duplicateOf: decided.removed[j].duplicateOf))
        }
        return StageResult(records: [], removed: ledger.byReason, ledger: ledger.ledger)
    }

    /// Which rows stay and why the others go, in row order.
    struct Decisions {
        var kept: [Int] = []
        var removed: [(row: Int, reason: String, duplicateOf: (id: String, split: String)?)] = []
    }

    /// Decides on `count` rows from what each gives: the reason it fails the row checks (`failure`),
    /// the hash of its duplicate key and whether two rows' keys are the same (asked only when
    /// `duplicates` is set, and only for rows that pass the checks), its split and id. The rows
    /// themselves may be in memory or waiting on disk (`StreamedHead`).
    func decide(count: Int, failure: (Int) -> String?, hash: (Int) -> Int, same: (Int, Int) -> Bool,
                split: (Int) -> String?, id: (Int) -> String) -> Decisions {
        let duplicates = !duplicateKeys.isEmpty
        // Rows by key hash: the first held-out row of each key (which training copies lose to), and
        // the first row of each key on each side (training, held-out).
        var heldOut = KeyTable(), seen = [KeyTable(capacity: duplicates ? count : 0), KeyTable()]
        for i in 0..<count where duplicates && failure(i) == nil && !isTraining(split(i)) {
            heldOut.insertIfNew(i, hash: hash(i), same: same)
        }
        var d = Decisions()
        d.kept.reserveCapacity(count)
        let what = duplicateKeys.joined(separator: "+")
        func pointer(_ i: Int) -> (id: String, split: String) { (id(i), split(i) ?? "-") }
        for i in 0..<count {
            if let why = failure(i) { d.removed.append((i, why, nil)); continue }
            if duplicates {
                let rowSplit = split(i), h = hash(i)
                let training = isTraining(rowSplit)
                if training, let other = heldOut.first(matching: i, hash: h, same: same) {
                    d.removed.append((i, "duplicate \(what) of a \(split(other) ?? "-") row (\(rowSplit ?? "-") copy)", pointer(other)))
                    continue
                }
                let side = training ? 0 : 1
                if let first = seen[side].first(matching: i, hash: h, same: same) {
                    d.removed.append((i, "duplicate \(what) (\(rowSplit ?? "-"))", pointer(first)))
                    continue
                }
                seen[side].insert(i, hash: h)
            }
            d.kept.append(i)
        }
        return d
    }

    /// Whether the stage needs a tokenizer (`max_tokens`), which only the in-memory run loads.
    var countsTokens: Bool { tokenizerPath != nil }

    /// The reason a row fails the required and null checks (no tokenizer), if it does.
    func rowFailure(_ r: Record) throws -> String? { try failure(of: r, tokenizer: nil) }

    /// A 128-bit digest of the row's duplicate key: two rows whose digests are equal are taken to
    /// have the same key (a false match needs both 64-bit halves to collide, one of them a keyed
    /// SipHash), so that rows on disk are matched without their text.
    func keyDigest(_ r: Record) -> (UInt64, UInt64) {
        return keyBytes(r).withUnsafeBufferPointer { bytes in
            // SipHash (seeded per process) for one half; a multiply-and-rotate pass over eight bytes
            // at a time for the other (a second SipHash cost as much as making the key).
            var a = Hasher()
            a.combine(bytes: UnsafeRawBufferPointer(bytes))
            return (UInt64(bitPattern: Int64(a.finalize())), ByteKey.wordHash(UnsafeRawBufferPointer(bytes)))
        }
    }

    private func isTraining(_ split: String?) -> Bool { (split ?? trainSplit) == trainSplit }

    /// The row's duplicate key: each key field normalised (`normalise`), joined by U+001F, as
    /// UTF-8 bytes.
    private func keyBytes(_ r: Record) -> [UInt8] {
        var key: [UInt8] = []
        for (k, field) in duplicateKeys.enumerated() {
            if k > 0 { key.append(0x1F) }
            FastText.appendDuplicateKey(r.fields[field] ?? "", to: &key)
        }
        return key
    }

    private func keyHash(_ r: Record) -> Int {
        return keyBytes(r).withUnsafeBufferPointer { bytes in
            var h = Hasher()
            h.combine(bytes: UnsafeRawBufferPointer(bytes))
            return h.finalize()
        }
    }

    /// Whether two rows have the same duplicate key (their hashes matched).
    private func sameKey(_ records: [Record]) -> (Int, Int) -> Bool {
        { a, b in keyBytes(records[a]) == keyBytes(records[b]) }
    }

    /// The reason a row fails the required, null and length checks, if it does.
    private func failure(of r: Record, tokenizer: Tokenizer?) throws -> String? {
        if let missing = required.first(where: { (r.fields[$0] ?? "").isEmpty }) { return "missing \(missing)" }
        if let max = maxNullFraction, !nullFields.isEmpty {
            var nulls = 0
            for f in nullFields where r.fields[f]?.isEmpty ?? true { nulls += 1 }
            if Double(nulls) / Double(nullFields.count) > max { return "null fraction over \(Format.number(max, digits: 2))" }
        }
        if let maxTokens, let tokenizer {
            let parts = tokenFields.compactMap { r.fields[$0] }
            guard !parts.isEmpty else {
                throw PrepError.stage(name: "drop", detail: "max_tokens counts \(tokenFields.joined(separator: ", ")), which row \(r.fields["id"] ?? "?") does not have: "
                                      + "put `drop` after `instruct`, or name the fields with `token_fields`")
            }
            if tokenizer.count(parts.joined(separator: "\n")) > maxTokens { return "over \(maxTokens) tokens" }
        }
        return nil
    }
}

extension Array {
    var nonEmpty: Self? { isEmpty ? nil : self }
}
