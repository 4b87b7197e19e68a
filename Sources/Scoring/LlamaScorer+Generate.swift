import CLlama

extension LlamaScorer {
    /// Greedy (argmax) generation.
    ///
    /// The prompt is tokenized with BOS as the model asks and with special tokens parsed, so a
    /// chat-formatted prompt (`<|im_start|>user ...`) means what it says. Generation stops at an
    /// end-of-generation token, after `maxTokens` tokens, when the context is full, or before the
    /// first occurrence of any `stop` string (which is not included in the result).
    /// - Throws: `ScoringError.promptTooLong` when the prompt alone fills the context,
    ///   `.decodeFailed` when llama.cpp fails.
    public func generate(prompt: String, maxTokens: Int, stop: [String]) throws -> String {
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

        let stops = stop.filter { !$0.isEmpty }.map { Array($0.utf8) }
        var generated: [UInt8] = []
        var position = tokens.count
        for _ in 0..<max(0, maxTokens) {
            let next = argmax(context.logits(at: lastRow), count: model.vocabSize)
            if model.isEndOfGeneration(next) { break }
            generated += model.piece(next)
            if let cut = Self.firstStop(stops, in: generated) {
                generated.removeSubrange(cut...)
                break
            }
            if position >= context.contextSize { break }
            batch.clear()
            batch.add(next, position: position, sequences: [0], output: true)
            position += 1
            try context.decode(batch) { _, _ in lastRow = 0 }
        }
        context.clearMemory()
        return String(decoding: generated, as: UTF8.self)
    }

    private func argmax(_ row: UnsafePointer<Float>, count: Int) -> llama_token {
        var best = 0
        for i in 1..<count where row[i] > row[best] { best = i }
        return llama_token(best)
    }

    /// Byte offset of the earliest occurrence of any stop sequence in `bytes`.
    static func firstStop(_ stops: [[UInt8]], in bytes: [UInt8]) -> Int? {
        var earliest: Int?
        for stop in stops where stop.count <= bytes.count {
            var i = 0
            while i + stop.count <= bytes.count, i < (earliest ?? Int.max) {
                if bytes[i] == stop[0], bytes[i..<i + stop.count].elementsEqual(stop) {
                    earliest = i
                    break
                }
                i += 1
            }
        }
        return earliest
    }
}
