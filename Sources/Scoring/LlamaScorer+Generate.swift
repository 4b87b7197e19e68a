import CLlama
import Support

extension LlamaScorer {
    /// Greedy (argmax) generation.
    ///
    /// The prompt is tokenized with BOS as the model asks and with special tokens parsed, so a
    /// chat-formatted prompt (`<|im_start|>user ...`) means what it says. Generation stops at an
    /// end-of-generation token, after `maxTokens` tokens, when the context is full, or before the
    /// first occurrence of any `stop` string (which is not included in the result). The result holds
    /// whole characters only: a token that ends inside a UTF-8 character waits for the next one, and
    /// a character left incomplete at the end is dropped (see `GeneratedText`).
    /// - Throws: `ScoringError.promptTooLong` when the prompt alone fills the context,
    ///   `.decodeFailed` when llama.cpp fails.
    public func generate(prompt: String, maxTokens: Int, stop: [String]) throws -> String {
        try generate(prompt: prompt, maxTokens: maxTokens, stop: stop, sampling: nil)
    }

    /// Generation as above, drawing each token as `sampling` says (nil or temperature 0: greedy).
    /// The same prompt, settings and seed give the same text.
    public func generate(prompt: String, maxTokens: Int, stop: [String], sampling: Sampling?) throws -> String {
        guard let tokens = model.tokenize(prompt, addSpecial: true, parseSpecial: true) else {
            throw ScoringError.tokenizeFailed(id: "generation prompt")
        }
        guard !tokens.isEmpty else { throw ScoringError.nothingToCondition(id: "generation prompt") }
        guard tokens.count < context.contextSize else {
            throw ScoringError.promptTooLong(id: "generation prompt", tokens: tokens.count, contextSize: context.contextSize)
        }
        let batch = LlamaBatch(capacity: max(tokens.count, 1), maxSequencesPerToken: 1)
        context.clearMemory()
        for (pos, token) in tokens.enumerated() {
            batch.add(token, position: pos, sequences: [0], output: pos == tokens.count - 1)
        }
        var lastRow = 0
        try context.decode(batch) { _, length in lastRow = length - 1 }

        var generated = GeneratedText(stops: stop)
        var rng = SeededRandom(seed: sampling?.seed ?? 0)
        var position = tokens.count
        for _ in 0..<max(0, maxTokens) {
            let row = context.logits(at: lastRow)
            let next: llama_token
            if let sampling, sampling.temperature > 0 {
                next = llama_token(sampling.draw(row, count: model.vocabSize, rng: &rng))
            } else {
                next = argmax(row, count: model.vocabSize)
            }
            if model.isEndOfGeneration(next) { break }
            guard generated.append(model.piece(next)) else { break }
            if position >= context.contextSize { break }
            batch.clear()
            batch.add(next, position: position, sequences: [0], output: true)
            position += 1
            try context.decode(batch) { _, _ in lastRow = 0 }
        }
        context.clearMemory()
        return generated.text
    }

    func argmax(_ row: UnsafePointer<Float>, count: Int) -> llama_token {
        var best = 0
        for i in 1..<count where row[i] > row[best] { best = i }
        return llama_token(best)
    }
}
