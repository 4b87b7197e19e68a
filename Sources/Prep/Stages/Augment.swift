import Foundation
import HarnessSpec
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
struct Augment: Stage {
    static let kind = "augment"
    enum Target: Equatable { case factor(Double), total(Int) }
    enum Op: String { case dropSentence = "drop_sentence", shuffleSentences = "shuffle_sentences" }
    let target: Target
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

    init(args: SpecNode, spec: Spec) throws {
        try args.checkKeys(["target", "instructions", "ops", "split", "field", "protect", "seed", "sentences"])
        let t = try args.required("target", hint: "how large the training split should grow: `target: 3x` or `target: 5000`")
        let text = try t.string()
        if text.hasSuffix("x"), let f = Double(text.dropLast()), f >= 1 { target = .factor(f) }
        else if let n = Int(text), n > 0 { target = .total(n) }
        else { throw t.error("'\(text)' is neither a factor like 3x nor a row count like 5000") }
        guard let position = spec.stages.lastIndex(where: { $0.kind == Augment.kind && $0.args.path == args.path }),
              let instructEntry = spec.stages[..<position].last(where: { $0.kind == Instruct.kind }) else {
            throw args.error("augment rewrites instruction data: put an `instruct` stage before it")
        }
        instruct = try Instruct(args: instructEntry.args, spec: spec)
        paraphrases = try (args.optional("instructions")?.list() ?? []).map { try $0.template(among: spec.fieldNames) }
        ops = try (args.optional("ops")?.list() ?? []).map { Op(rawValue: try $0.choice(["drop_sentence", "shuffle_sentences"]))! }
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
    }

    func columns(after input: [String]) -> [String] { input }

    /// Kiwi's version and model, when `sentences: kiwi` cuts sentences for `ops`.
    var readsBeyondItsEntry: String { splitterIdentity }

    func splits(after input: [String]) throws -> [String] {
        if let splitNode, !input.contains(split) { _ = try splitNode.split(among: input) }
        return input
    }

    func apply(_ records: [Record]) throws -> StageResult {
        let originals = records.filter { $0.split == split && $0.origin == nil }
        guard !originals.isEmpty else {
            return StageResult(records: records, warnings: ["augment: no rows in split '\(split)' to augment"])
        }
        let goal: Int
        switch target {
        case let .factor(f): goal = Int((Double(originals.count) * f).rounded())
        case let .total(n): goal = n
        }
        var out = records
        var made = 0
        var round = 1
        var rng = SeededRandom(seed: seed)
        // Each original is cut into sentences once, however many copies it gets.
        let splitter = SentenceSplitter(sentences)
        var cut: [Int: [String]] = [:]
        func sentencesOf(_ i: Int) throws -> [String] {
            if let s = cut[i] { return s }
            let s = try ops.isEmpty ? [] : splitter.split(originals[i].fields[field] ?? "")
            cut[i] = s
            return s
        }
        while originals.count + made < goal {
            var order = Array(originals.indices)
            rng.shuffle(&order)
            for i in order where originals.count + made < goal {
                out.append(copy(originals[i], sentences: try sentencesOf(i), round: round, index: made, rng: &rng))
                made += 1
            }
            round += 1
        }
        return StageResult(records: out, details: [("originals", .number(String(originals.count))), ("added", .number(String(made)))])
    }

    private func copy(_ original: Record, sentences: [String], round: Int, index: Int, rng: inout SeededRandom) -> Record {
        var r = original
        let id = original.fields["id"] ?? ""
        r.origin = id
        r.fields["id"] = "\(id)#aug\(round)"
        if !ops.isEmpty, let body = r.fields[field] {
            let op = ops[index % ops.count]
            r.fields[field] = Self.apply(op, to: body, sentences: sentences, protected: protectedSentences(r), rng: &rng)
        }
        r = instruct.render(r, variant: Int(r.fields["variant"].flatMap(Int.init).map { $0 - 1 } ?? 0))
        if !paraphrases.isEmpty {
            r.fields["instruction"] = paraphrases[index % paraphrases.count].render { instruct.value(r, $0) }
        }
        return r
    }

    private func protectedSentences(_ r: Record) -> Set<Int> {
        guard let protect, let raw = r.fields[protect] else { return [] }
        return Set(raw.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Int($0) }.map { $0 - 1 })
    }

    /// One op on a text already cut into `sentences`; `protected` sentences (0-based) stay where they are.
    static func apply(_ op: Op, to text: String, sentences: [String], protected: Set<Int>, rng: inout SeededRandom) -> String {
        var s = sentences
        let free = s.indices.filter { !protected.contains($0) }
        switch op {
        case .dropSentence:
            guard s.count > 1, !free.isEmpty else { return text }
            s.remove(at: free[rng.below(free.count)])
        case .shuffleSentences:
            guard free.count > 1 else { return text }
            var moved = free.map { s[$0] }
            rng.shuffle(&moved)
            for (slot, sentence) in zip(free, moved) { s[slot] = sentence }
        }
        return s.joined(separator: " ")
    }
}
