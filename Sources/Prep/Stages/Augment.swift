import Foundation
import HarnessSpec
import JSON
import Records
import Support

/// `augment`: grows the training split to a target size by rotating instruction paraphrases and,
/// optionally, dropping or shuffling body sentences. Comes after `instruct`.
///
///     - augment: {target: 3x, instructions: ["...", "..."], ops: [drop_sentence, shuffle_sentences], seed: 7}
///     - augment: {target: 2x, ops: [shuffle_sentences], sentences: kiwi}   # Kiwi cuts the sentences
///
/// Only rows of `split` (default train) are copied; every copy gets the id `<id>#aug<k>` and records
/// its original in `_origin`. Other splits are never augmented, so nothing leaks out of train.
///
/// `ops: [paraphrase]` has a model rewrite one field instead (see `ParaphraseSettings` and
/// `Paraphrasing`): `n` copies `<id>#para<k>` of each training row, generations cached in the run store.
struct Augment: Stage {
    static let kind = "augment"
    enum Target: Equatable { case factor(Double), total(Int) }
    enum Op: String, CaseIterable { case dropSentence = "drop_sentence", shuffleSentences = "shuffle_sentences", paraphrase }
    /// nil with `paraphrase`, whose copies are `n` per row.
    let target: Target?
    let paraphrases: [Template]
    let ops: [Op]
    let split: String
    let field: String
    let protect: String?
    let seed: UInt64
    /// How `ops` cut the field into sentences (`sentences: punctuation | kiwi`, default punctuation).
    let sentences: SentenceSplitting
    private let splitterIdentity: String
    let instruct: Instruct
    let splitNode: SpecNode?
    /// The `paraphrase` op's settings, and the near-duplicate settings of its held-out guard.
    let paraphrase: ParaphraseSettings?
    let nearCopies: LeakAudit?

    init(args: SpecNode, spec: Spec) throws {
        try args.checkKeys(["target", "instructions", "ops", "split", "field", "protect", "seed", "sentences"] + ParaphraseSettings.keys)
        let opNodes = try args.optional("ops")?.list() ?? []
        ops = try opNodes.map { Op(rawValue: try $0.choice(Op.allCases.map(\.rawValue)))! }
        if ops.contains(.paraphrase) {
            target = nil
            try Self.checkParaphraseAlone(args, ops: ops, opNodes: opNodes)
        } else {
            for key in ParaphraseSettings.keys {
                if let n = try args.optional(key) { throw n.error("`\(key)` belongs to the paraphrase op: `ops: [paraphrase]`") }
            }
            let t = try args.required("target", hint: "how large the training split should grow: `target: 3x` or `target: 5000`")
            let text = try t.string()
            if text.hasSuffix("x"), let f = Double(text.dropLast()), f >= 1 { target = .factor(f) }
            else if let n = Int(text), n > 0 { target = .total(n) }
            else { throw t.error("'\(text)' is neither a factor like 3x nor a row count like 5000") }
        }
        guard let position = spec.stages.lastIndex(where: { $0.kind == Augment.kind && $0.args.path == args.path }),
              let instructEntry = spec.stages[..<position].last(where: { $0.kind == Instruct.kind }) else {
            throw args.error("augment rewrites instruction data: put an `instruct` stage before it")
        }
        instruct = try Instruct(args: instructEntry.args, spec: spec)
        paraphrases = try (args.optional("instructions")?.list() ?? []).map { try $0.template(among: spec.fieldNames) }
        if paraphrases.isEmpty && ops.isEmpty {
            throw args.error("give `instructions` (paraphrases) and/or `ops`, or copies would be identical")
        }
        split = try args.string("split", default: "train")
        splitNode = try args.optional("split")
        field = try args.string("field", default: "body")
        protect = try args.optional("protect")?.string()
        sentences = try args.optional("sentences").map { SentenceSplitting(rawValue: try $0.choice(SentenceSplitting.names))! } ?? .punctuation
        // Kiwi's version and model are part of the cache key; a missing model fails here, before any row is read.
        splitterIdentity = ops.isEmpty ? "" : try SentenceSplitter.identity(sentences)
        seed = UInt64(bitPattern: Int64(try args.int("seed", default: 7)))  // a negative seed is a bit pattern, as in sample
        if ops.contains(.paraphrase) {
            let settings = try ParaphraseSettings(args: args, spec: spec, seed: seed)
            if instruct.output.fields.contains(settings.field) {
                throw try args.required("field").error("'\(settings.field)' is part of the answer (`instruct.output: \(instruct.output.source)`); a paraphrase must not change what the row is labelled")
            }
            let training = try Drop.trainingSplit(spec)
            if split != training {
                throw try args.required("split").error("paraphrase rewrites the training split ('\(training)') only; held-out rows stay as they were written")
            }
            paraphrase = settings
            // The held-out guard compares as the spec's dedup stage does, if it has one.
            let dedup = try spec.stages.first(where: { $0.kind == Dedup.kind }).map { try Dedup(args: $0.args, spec: spec) }
            nearCopies = LeakAudit(fields: [settings.field], threshold: dedup?.threshold ?? 0.8, ngram: dedup?.ngram ?? 5, seed: dedup?.seed ?? 1)
        } else {
            paraphrase = nil
            nearCopies = nil
        }
    }

    /// `paraphrase` makes `n` copies per row by itself: no `target`, no other op, no written variants.
    private static func checkParaphraseAlone(_ args: SpecNode, ops: [Op], opNodes: [SpecNode]) throws {
        if let t = try args.optional("target") { throw t.error("paraphrase makes `n` copies of each training row; `target` sizes the other ops") }
        if let other = ops.firstIndex(where: { $0 != .paraphrase }) {
            throw opNodes[other].error("paraphrase runs alone; put \(ops[other].rawValue) in a second augment stage")
        }
        for key in ["instructions", "sentences", "protect"] {
            if let n = try args.optional(key) {
                throw n.error(key == "instructions" ? "with paraphrase the model writes the variants: use `field: instruction`" : "`\(key)` belongs to the sentence ops")
            }
        }
    }

    func columns(after input: [String]) -> [String] {
        paraphrase == nil ? input : input + Paraphrasing.columns.filter { !input.contains($0) }
    }

    /// Kiwi's version and model, when `sentences: kiwi` cuts sentences for `ops`; the paraphrase
    /// model file as it is now (or the server), and the held-out guard's settings.
    var readsBeyondItsEntry: String {
        guard let paraphrase, let nearCopies else { return splitterIdentity }
        return paraphrase.identityHint + "; guard: " + JSONWriter.serialize(.object(nearCopies.settings)) + "; training split: " + split
    }

    func splits(after input: [String]) throws -> [String] {
        if let splitNode, !input.contains(split) { _ = try splitNode.split(among: input) }
        return input
    }

    func apply(_ records: [Record]) throws -> StageResult {
        try apply(records, context: .none)
    }

    func apply(_ records: [Record], context: StageContext) throws -> StageResult {
        if let paraphrase, let nearCopies { return try paraphrased(records, paraphrase, nearCopies, context: context) }
        // Positions of the originals, not copies of them (a copy of a record is a retain of each of its strings).
        let originals = records.indices.filter { records[$0].split == split && records[$0].origin == nil }
        guard !originals.isEmpty else {
            return StageResult(records: records, warnings: ["augment: no rows in split '\(split)' to augment"])
        }
        let goal: Int
        switch target {
        case let .factor(f)?: goal = Int((Double(originals.count) * f).rounded())
        case let .total(n)?: goal = n
        case nil: goal = originals.count
        }
        let splitter = SentenceSplitter(sentences)
        // Each original is cut into sentences once, however many copies it gets: all of them on
        // every core by punctuation; by Kiwi on this thread (its analyser is not shared), as needed.
        var cut = [[Substring]?](repeating: nil, count: originals.count)
        if !ops.isEmpty, goal > originals.count, sentences == .punctuation {
            for (i, s) in try Parallel.map(originals, { SentenceSplitter.punctuation(records[$0].fields[field] ?? "") }).enumerated() { cut[i] = s }
        }
        func sentencesOf(_ i: Int) throws -> [Substring] {
            if let s = cut[i] { return s }
            let s = try splitter.split(records[originals[i]].fields[field] ?? "")
            cut[i] = s
            return s
        }
        // The draws are made in order on this thread, so a seed always gives the same copies; the
        // copies are then built on every core.
        var plan: [PlannedCopy] = []
        var round = 1
        var rng = SeededRandom(seed: seed)
        while originals.count + plan.count < goal {
            var order = Array(originals.indices)
            rng.shuffle(&order)
            for i in order where originals.count + plan.count < goal {
                var edit: [Int]?
                if !ops.isEmpty, records[originals[i]].fields[field] != nil {
                    edit = Self.edit(ops[plan.count % ops.count], sentences: try sentencesOf(i).count,
                                     protected: protectedSentences(records[originals[i]]), rng: &rng)
                }
                plan.append(PlannedCopy(original: i, round: round, index: plan.count, order: edit))
            }
            round += 1
        }
        let made = plan.count
        let out = records + (try Parallel.map(plan) { copy(records[originals[$0.original]], sentences: cut[$0.original] ?? [], plan: $0) })
        return StageResult(records: out, details: [("originals", .number(String(originals.count))), ("added", .number(String(made)))])
    }

    /// The paraphrase op: the input, then each training row's kept paraphrases.
    private func paraphrased(_ records: [Record], _ settings: ParaphraseSettings, _ nearCopies: LeakAudit, context: StageContext) throws -> StageResult {
        let originals = records.filter { $0.split == split && $0.origin == nil }
        guard !originals.isEmpty else {
            return StageResult(records: records, warnings: ["augment: no rows in split '\(split)' to paraphrase"])
        }
        let heldOut = records.filter { $0.split != split && $0.origin == nil }
        let outcome = try Paraphrasing(settings: settings, instruct: instruct, nearCopies: nearCopies)
            .run(originals: originals, heldOut: heldOut, cache: GenerationCache(store: context.store, runID: context.runID), progress: context.progress)
        let dropped = outcome.removals.ledger.count
        var warnings: [String] = []
        if outcome.copies.isEmpty {
            warnings.append("augment: every one of \(dropped) paraphrases was dropped (see removed/); check the prompt and the model")
        }
        return StageResult(records: records + outcome.copies, removed: outcome.removals.byReason, ledger: outcome.removals.ledger,
                           details: [("originals", .number(String(originals.count))), ("added", .number(String(outcome.copies.count))),
                                     ("paraphrases", .number(String(outcome.needed))),
                                     ("generated", .number(String(outcome.generated))), ("from_cache", .number(String(outcome.reused))),
                                     ("dropped", .number(String(dropped))), ("generator", .string(outcome.generator))],
                           warnings: warnings)
    }

    /// One copy as the draws planned it: its original, round and number, and the new order of the
    /// changed field's sentences (nil: the field stays as it is).
    private struct PlannedCopy {
        let original: Int
        let round: Int
        let index: Int
        let order: [Int]?
    }

    private func copy(_ original: Record, sentences: [Substring], plan: PlannedCopy) -> Record {
        var r = original
        let id = original.fields["id"] ?? ""
        r.origin = id
        r.fields["id"] = "\(id)#aug\(plan.round)"
        if let order = plan.order { r.fields[field] = order.map { sentences[$0] }.joined(separator: " ") }
        r = instruct.rerender(r)
        if !paraphrases.isEmpty {
            r.fields["instruction"] = paraphrases[plan.index % paraphrases.count].render { instruct.value(r, $0) }
        }
        return r
    }

    private func protectedSentences(_ r: Record) -> Set<Int> {
        guard let protect, let raw = r.fields[protect] else { return [] }
        return Set(raw.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Int($0) }.map { $0 - 1 })
    }

    /// One op on a text already cut into `sentences`; `protected` sentences (0-based) stay where they are.
    static func apply(_ op: Op, to text: String, sentences: [Substring], protected: Set<Int>, rng: inout SeededRandom) -> String {
        guard let order = edit(op, sentences: sentences.count, protected: protected, rng: &rng) else { return text }
        return order.map { sentences[$0] }.joined(separator: " ")
    }

    /// The sentence order one op makes of `count` sentences (indices), or nil when the text stays as it
    /// is. Only the count matters to the draws, so they can be made before the copies are built.
    static func edit(_ op: Op, sentences count: Int, protected: Set<Int>, rng: inout SeededRandom) -> [Int]? {
        var order = Array(0..<count)
        let free = order.filter { !protected.contains($0) }
        switch op {
        case .dropSentence:
            guard count > 1, !free.isEmpty else { return nil }
            order.remove(at: free[rng.below(free.count)])
        case .shuffleSentences:
            guard free.count > 1 else { return nil }
            var moved = free
            rng.shuffle(&moved)
            for (slot, sentence) in zip(free, moved) { order[slot] = sentence }
        case .paraphrase:
            return nil // a model's work, done by `Paraphrasing`
        }
        return order
    }
}
