import Records
import Scoring
import Store
import Support

/// The paraphrase op of `augment`: `n` model rewrites of one field of each training row, taken
/// from the generation cache or generated (and kept at once), cleaned, and kept only when they
/// pass the guards:
/// - not empty, not the source again, not a repeat of another copy of the same row;
/// - neither identical nor near-identical (the spec's `dedup` threshold and n-grams, 0.8 and 5
///   without one) to any held-out row, so a paraphrase cannot carry a valid or test row into train.
///
/// Copy `k` of row `id` is `id#para<k>`, with `_origin` = `id` and the provenance fields
/// `_generator`, `_prompt` and `_raw` (the answer before cleaning). Dropped copies go to the removal
/// ledger with their reason.
struct Paraphrasing {
    let settings: ParaphraseSettings
    let instruct: Instruct
    /// Near-duplicate settings of the held-out guard.
    let nearCopies: LeakAudit

    /// Provenance columns of every copy.
    static let columns = ["_generator", "_prompt", "_raw"]
    static let group = "\u{1}paraphrase"

    struct Outcome {
        var copies: [Record] = []
        var removals = Removals()
        var generated = 0
        var reused = 0
        /// Distinct generations the rows need (rows with one prompt share theirs).
        var needed = 0
        var generator = ""
    }

    /// - throws: `PrepError.interrupted` on Ctrl-C (every finished generation is in the cache),
    ///   `PrepError.stage` when the model or server fails.
    func run(originals: [Record], heldOut: [Record], cache: GenerationCache, progress: Bool?) throws -> Outcome {
        let generator = try ParaphraseGenerator(settings)
        let prompts = originals.map { r in settings.prompt.render { instruct.value(r, $0) } }
        var keys: [[String]] = []
        for prompt in prompts {
            keys.append((0..<settings.copies).map { GenerationCache.key(generator: generator.identity, settings: settings.settingsText(copy: $0), prompt: prompt) })
        }
        var known = try cache.lookup(keys.flatMap { $0 })
        var outcome = Outcome(generator: generator.name)
        outcome.reused = known.count
        outcome.needed = Set(keys.joined()).count
        // Each missing key once: rows with the same prompt (two articles under one title) share their paraphrases.
        var asked: Set<String> = []
        let missing = keys.indices.flatMap { i in (0..<settings.copies).map { (i, $0) } }
            .filter { known[keys[$0.0][$0.1]] == nil && asked.insert(keys[$0.0][$0.1]).inserted }
        if !missing.isEmpty {
            let bar = Progress("paraphrasing", total: missing.count, unit: "paraphrases", enabled: progress)
            Interrupt.install()
            defer { Interrupt.restore() }
            let requests = missing.map { LlamaScorer.GenerationRequest(prompt: prompts[$0.0], sampling: settings.sampling(copy: $0.1)) }
            var t0 = Clock.now()
            try generator.generate(requests, maxTokens: settings.maxTokens, stop: settings.stop, parallel: settings.parallel) { n, raw in
                let (i, k) = missing[n]
                let now = Clock.now()
                let g = StoredGeneration(key: keys[i][k], generator: generator.identity, prompt: prompts[i], sampling: settings.settingsText(copy: k),
                                         output: raw, seconds: now - t0)
                t0 = now
                try cache.add(g)
                known[g.key] = g
                outcome.generated += 1
                bar.advance()
                if Interrupt.requested {
                    bar.finish()
                    throw PrepError.interrupted(stage: "augment (paraphrase)",
                                                kept: "\(known.count) of \(outcome.needed) paraphrases are kept in the run store (\(outcome.generated) made by this run)")
                }
            }
            bar.finish()
        }

        // Copies in row order, then copy order; the row-level guards first.
        var candidates: [Record] = []
        for (i, original) in originals.enumerated() {
            var earlier: Set<String> = []
            let source = original.fields[settings.field] ?? ""
            for k in 0..<settings.copies {
                let raw = known[keys[i][k]]!.output
                let text = ParaphraseText.clean(raw)
                let copy = make(original, copy: k + 1, text: text, prompt: prompts[i], raw: raw, generator: generator.name + " " + settings.settingsText(copy: k))
                if let why = ParaphraseText.rejection(text, source: source, earlier: earlier) {
                    outcome.removals.add(Removal(copy, reason: why.rawValue))
                    continue
                }
                earlier.insert(FastText.duplicateKey(text))
                candidates.append(copy)
            }
        }
        let near = try heldOutMatches(candidates, heldOut: heldOut)
        for c in candidates {
            if let m = near[c.fields["id"] ?? ""] {
                outcome.removals.add(Removal(c, reason: (m.exact ? ParaphraseText.Rejection.heldOutCopy : .heldOutNear).rawValue,
                                             duplicateOf: (m.id, m.split), jaccard: m.exact ? nil : m.jaccard))
            } else {
                outcome.copies.append(c)
            }
        }
        return outcome
    }

    /// Copy `k` of `original` with `text` in the paraphrased field (and the instruction rendered again from it).
    private func make(_ original: Record, copy k: Int, text: String, prompt: String, raw: String, generator: String) -> Record {
        var r = original
        let id = original.fields["id"] ?? ""
        r.origin = id
        r.fields["id"] = "\(id)#para\(k)"
        r.fields[settings.field] = text
        if !["instruction", "input"].contains(settings.field) {
            r = instruct.rerender(r)
        }
        r.fields["_generator"] = generator
        r.fields["_prompt"] = prompt
        r.fields["_raw"] = raw
        return r
    }

    /// What a guard compares: the paraphrased field, or for a rendered instruction the whole
    /// request (instruction and input), since every row shares the instruction by design.
    private func guardText(_ r: Record) -> String {
        ["instruction", "input"].contains(settings.field)
            ? Shingles.text(of: [r.fields["instruction"], r.fields["input"]])
            : r.fields[settings.field] ?? ""
    }

    /// The held-out row each candidate copies or nearly copies (its most similar), by candidate id.
    private func heldOutMatches(_ candidates: [Record], heldOut: [Record]) throws -> [String: (id: String, split: String, jaccard: Double, exact: Bool)] {
        guard !candidates.isEmpty, !heldOut.isEmpty else { return [:] }
        var found: [String: (id: String, split: String, jaccard: Double, exact: Bool)] = [:]
        // Exact copies by key, whatever their length (shingles miss texts shorter than an n-gram).
        var exact: [String: Record] = [:]
        for r in heldOut {
            let key = FastText.duplicateKey(guardText(r))
            if !key.isEmpty, exact[key] == nil { exact[key] = r }
        }
        for c in candidates {
            if let r = exact[FastText.duplicateKey(guardText(c))] {
                found[c.fields["id"] ?? ""] = (r.fields["id"] ?? "", r.split ?? "-", 1, true)
            }
        }
        let rows = heldOut.map { LeakAudit.Row(id: $0.fields["id"] ?? "", group: $0.split ?? "-", text: guardText($0)) }
            + candidates.map { LeakAudit.Row(id: $0.fields["id"] ?? "", group: Self.group, text: guardText($0)) }
        for p in try nearCopies.run(rows, outsideGroup: Self.group).pairs where p.aGroup == Self.group {
            if let seen = found[p.a], seen.exact || seen.jaccard >= p.jaccard { continue }
            found[p.a] = (p.b, p.bGroup, p.jaccard, p.exact)
        }
        return found
    }
}
