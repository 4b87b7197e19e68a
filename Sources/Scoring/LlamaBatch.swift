import CLlama

/// A reusable `llama_batch` (owns its arrays): tokens with positions, sequence ids and output flags.
final class LlamaBatch {
    private(set) var raw: llama_batch
    let capacity: Int
    let maxSequencesPerToken: Int

    init(capacity: Int, maxSequencesPerToken: Int) {
        raw = llama_batch_init(Int32(capacity), 0, Int32(maxSequencesPerToken))
        self.capacity = capacity
        self.maxSequencesPerToken = maxSequencesPerToken
    }

    deinit { llama_batch_free(raw) }

    var count: Int { Int(raw.n_tokens) }

    func clear() { raw.n_tokens = 0 }

    /// Appends one token at `position`, shared by `sequences`; `output` asks for its logits.
    func add(_ token: llama_token, position: Int, sequences: [Int32], output: Bool) {
        precondition(count < capacity, "llama batch overflow")
        precondition(!sequences.isEmpty && sequences.count <= maxSequencesPerToken, "bad sequence count")
        let i = count
        raw.token[i] = token
        raw.pos[i] = llama_pos(position)
        raw.n_seq_id[i] = Int32(sequences.count)
        for (k, s) in sequences.enumerated() { raw.seq_id[i]![k] = s }
        raw.logits[i] = output ? 1 : 0
        raw.n_tokens += 1
    }

    /// A view of tokens `start..<start+length` (same arrays, offset pointers) for chunked decoding.
    func slice(_ start: Int, _ length: Int) -> llama_batch {
        var b = raw
        b.n_tokens = Int32(length)
        b.token = raw.token + start
        b.pos = raw.pos + start
        b.n_seq_id = raw.n_seq_id + start
        b.seq_id = raw.seq_id + start
        b.logits = raw.logits + start
        return b
    }
}

@available(*, unavailable)
extension LlamaBatch: Sendable {}
