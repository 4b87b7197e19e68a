import CLlama
import Support

extension LlamaScorer {
    /// One text to generate: its prompt and how its tokens are drawn (nil: greedy).
    public struct GenerationRequest: Sendable {
        public let prompt: String
        public let sampling: Sampling?
        public init(prompt: String, sampling: Sampling?) {
            self.prompt = prompt
            self.sampling = sampling
        }
    }

    /// Generates many texts at once, up to `parallel` sequences sharing each decode: a slot whose
    /// text is finished takes the next prompt at the following decode (continuous batching, as
    /// llama-server's slots do). On a CPU a decode of 8 tokens costs little more than one, so this is
    /// several times faster than one `generate` call after another. A prompt's start that another
    /// live sequence already holds (the template every prompt shares, or the same prompt for another
    /// sample) is copied in the KV cache, not evaluated again.
    ///
    /// Each text ends as in `generate(prompt:maxTokens:stop:sampling:)` (end-of-generation token,
    /// `maxTokens`, a stop string), and tokens are drawn from the same seeded sequence. The logits of
    /// a sequence can differ from a lone decode's in the last bits (llama.cpp sums attention over the
    /// KV cells a sequence happens to occupy), so a text may differ from `generate`'s; the same
    /// requests in the same order give the same texts.
    ///
    /// `finished` is called once per request as its text is complete (not in request order); an
    /// error it throws stops the generation (texts already reported stay reported).
    /// - Throws: `ScoringError.promptTooLong` when a prompt with `maxTokens` cannot fit the context,
    ///   `.tokenizeFailed`, `.nothingToCondition`, `.decodeFailed`.
    public func generate(_ requests: [GenerationRequest], maxTokens: Int, stop: [String], parallel: Int,
                         finished: (_ index: Int, _ text: String) throws -> Void) throws {
        var prompts: [[llama_token]] = []
        for (i, r) in requests.enumerated() {
            guard let tokens = model.tokenize(r.prompt, addSpecial: true, parseSpecial: true) else {
                throw ScoringError.tokenizeFailed(id: "generation prompt \(i + 1)")
            }
            guard !tokens.isEmpty else { throw ScoringError.nothingToCondition(id: "generation prompt \(i + 1)") }
            guard tokens.count + max(0, maxTokens) <= context.contextSize else {
                throw ScoringError.promptTooLong(id: "generation prompt \(i + 1)", tokens: tokens.count + max(0, maxTokens), contextSize: context.contextSize)
            }
            prompts.append(tokens)
        }
        if maxTokens <= 0 {
            for i in requests.indices { try finished(i, "") }
            return
        }
        struct Slot {
            let request: Int
            var position: Int
            var text: GeneratedText
            var rng: SeededRandom
            var produced = 0
            /// The token drawn last, to decode next; its logits row in the batch.
            var pending: llama_token?
            var row = -1
            let cells: Int
            let prompt: [llama_token]
            /// Whether the prompt's cells are computed (a slot admitted in this batch has none yet).
            var decoded = false
        }
        // The last sequence holds the start every prompt shares, if it is long enough to matter.
        let slotCount = max(1, min(parallel, context.maxSequences - 1, requests.count))
        let prefixSequence = Int32(slotCount)
        var slots: [Slot?] = Array(repeating: nil, count: slotCount)
        var next = 0
        var cellsInUse = 0
        let batch = LlamaBatch(capacity: max(context.batchSize, prompts.map(\.count).max() ?? 1), maxSequencesPerToken: 1)
        context.clearMemory()
        defer { context.clearMemory() }
        var shared = prompts.dropFirst().reduce(prompts[0].count) { n, p in zip(prompts[0].prefix(n), p).prefix { $0 == $1 }.count }
        shared = min(shared, (prompts.map(\.count).min() ?? 1) - 1)
        if shared >= 4, shared <= context.batchSize {
            batch.clear()
            for (pos, token) in prompts[0].prefix(shared).enumerated() { batch.add(token, position: pos, sequences: [prefixSequence], output: false) }
            try context.decode(batch) { _, _ in }
            cellsInUse += shared
        } else {
            shared = 0
        }

        while next < prompts.count || slots.contains(where: { $0 != nil }) {
            batch.clear()
            // Sequences under way add the token they drew last.
            for s in slots.indices {
                guard var slot = slots[s], let token = slot.pending else { continue }
                slot.row = batch.count
                batch.add(token, position: slot.position, sequences: [Int32(s)], output: true)
                slot.position += 1
                slots[s] = slot
            }
            // Free slots take the next prompts while the batch and the KV cells have room (a prompt
            // longer than a batch goes alone, in chunks).
            for s in slots.indices where slots[s] == nil && next < prompts.count {
                let tokens = prompts[next]
                // The longest start another sequence holds: the shared prefix, or a live slot's prompt
                // (at least the last token is evaluated here, for its logits).
                var source = shared > 0 ? prefixSequence : -1, reuse = shared
                for (o, other) in slots.enumerated() {
                    guard let other, other.decoded else { continue }
                    let common = min(zip(tokens, other.prompt).prefix { $0 == $1 }.count, tokens.count - 1)
                    if common > reuse { (source, reuse) = (Int32(o), common) }
                }
                // Cells are reserved for the whole prompt whatever is shared: a copy's cells outlive
                // the sequence they came from.
                let cells = tokens.count + maxTokens
                let fitsBatch = batch.count + tokens.count - reuse <= context.batchSize || batch.count == 0
                guard fitsBatch, cellsInUse + cells <= context.contextSize else { break }
                if reuse > 0 { context.copySequence(source, to: Int32(s), upTo: reuse) }
                for pos in reuse..<tokens.count {
                    batch.add(tokens[pos], position: pos, sequences: [Int32(s)], output: pos == tokens.count - 1)
                }
                slots[s] = Slot(request: next, position: tokens.count, text: GeneratedText(stops: stop),
                                rng: SeededRandom(seed: requests[next].sampling?.seed ?? 0), pending: nil, row: batch.count - 1, cells: cells,
                                prompt: tokens)
                cellsInUse += cells
                next += 1
            }
            guard batch.count > 0 else { break }
            var lastChunk = 0
            try context.decode(batch) { start, _ in lastChunk = start }
            for s in slots.indices {
                guard var slot = slots[s] else { continue }
                slot.decoded = true
                let logits = context.logits(at: slot.row - lastChunk)
                let token: llama_token
                if let sampling = requests[slot.request].sampling, sampling.temperature > 0 {
                    token = llama_token(sampling.draw(logits, count: model.vocabSize, rng: &slot.rng))
                } else {
                    token = argmax(logits, count: model.vocabSize)
                }
                slot.produced += 1
                let done = model.isEndOfGeneration(token) || !slot.text.append(model.piece(token)) || slot.produced >= maxTokens
                if done {
                    context.removeSequence(Int32(s))
                    cellsInUse -= slot.cells
                    slots[s] = nil
                    try finished(slot.request, slot.text.text)
                } else {
                    slot.pending = token
                    slots[s] = slot
                }
            }
        }
    }
}
