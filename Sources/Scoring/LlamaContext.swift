import CLlama

/// A llama.cpp inference context over one model (owns the `llama_context`): the KV cache,
/// decoding and logits.
///
/// The KV cache is unified (`kv_unified`): all sequences share one buffer of `contextSize`
/// cells, so one long sequence may use the whole context and `llama_memory_seq_cp` shares cells
/// instead of copying them. Attention only spans the cells in use (llama.cpp pads that count to
/// 256), so a large context costs memory, not time, as long as freed cells are reused.
final class LlamaContext {
    let pointer: OpaquePointer
    let model: LlamaModel
    let contextSize: Int
    let batchSize: Int
    let maxSequences: Int
    /// Counts `clearMemory` calls, so that a cache user can tell whether its cells survived.
    private(set) var clearCount = 0

    /// - Parameter microBatchSize: `n_ubatch`, the tokens computed per graph run.
    init(model: LlamaModel, threads: Int, contextSize: Int, batchSize: Int, microBatchSize: Int, maxSequences: Int,
         numerics: LlamaScorer.Numerics) throws {
        var params = llama_context_default_params()
        if numerics == .exact {
            params.type_k = GGML_TYPE_F32
            params.type_v = GGML_TYPE_F32
            params.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED
        }
        params.n_ctx = UInt32(contextSize)
        params.n_batch = UInt32(batchSize)
        params.n_ubatch = UInt32(min(microBatchSize, batchSize))
        params.n_seq_max = UInt32(maxSequences)
        params.n_threads = Int32(threads)
        params.n_threads_batch = Int32(threads)
        params.kv_unified = true
        params.no_perf = true
        guard let ctx = llama_init_from_model(model.pointer, params) else {
            throw ScoringError.contextFailed(path: model.path, contextSize: contextSize)
        }
        pointer = ctx
        self.model = model
        self.contextSize = Int(llama_n_ctx(ctx))
        self.batchSize = Int(llama_n_batch(ctx))
        self.maxSequences = Int(llama_n_seq_max(ctx))
    }

    deinit { llama_free(pointer) }

    private var memory: llama_memory_t? { llama_get_memory(pointer) }

    /// Empties the KV cache.
    func clearMemory() {
        llama_memory_clear(memory, true)
        clearCount += 1
    }

    /// Drops the cells of `sequence` at positions `from...` (cells shared with other sequences stay for them).
    func truncateSequence(_ sequence: Int32, from position: Int) {
        _ = llama_memory_seq_rm(memory, sequence, llama_pos(position), -1)
    }

    /// Drops every cell of `sequence` (cells shared with other sequences stay for them).
    func removeSequence(_ sequence: Int32) { _ = llama_memory_seq_rm(memory, sequence, -1, -1) }

    /// Applies exactly `adapters` with their `scales` to every later decode (none: the base model).
    /// llama.cpp skips adapters whose scale is 0. The KV cache is not touched: cells computed
    /// with other adapters are stale, and the caller clears them.
    func setAdapters(_ adapters: [LlamaAdapter], scales: [Float]) {
        var pointers: [OpaquePointer?] = adapters.map(\.pointer)
        var scales = scales
        _ = pointers.withUnsafeMutableBufferPointer { p in
            scales.withUnsafeMutableBufferPointer { s in
                llama_set_adapters_lora(pointer, adapters.isEmpty ? nil : p.baseAddress, adapters.count, adapters.isEmpty ? nil : s.baseAddress)
            }
        }
    }

    /// Makes `destination` share all cells of `source`.
    func copySequence(_ source: Int32, to destination: Int32) {
        llama_memory_seq_cp(memory, source, destination, -1, -1)
    }

    /// Gives `destination` the cells of `source` at positions `0..<end` (shared, not duplicated).
    func copySequence(_ source: Int32, to destination: Int32, upTo end: Int) {
        llama_memory_seq_cp(memory, source, destination, 0, Int32(end))
    }

    /// Decodes `batch` in chunks of at most `batchSize` tokens; after each chunk, `onChunk` gets
    /// the chunk's start index in `batch` and may read that chunk's logits with `logits(at:)`
    /// (indices relative to the chunk).
    func decode(_ batch: LlamaBatch, onChunk: (_ start: Int, _ length: Int) throws -> Void) throws {
        var start = 0
        while start < batch.count {
            let length = min(batchSize, batch.count - start)
            let code = llama_decode(pointer, batch.slice(start, length))
            if code != 0 { throw ScoringError.decodeFailed(code: code, tokens: length) }
            try onChunk(start, length)
            start += length
        }
    }

    /// Logits of the `i`-th token of the last decoded chunk (which must have asked for them).
    func logits(at i: Int) -> UnsafeMutablePointer<Float> {
        guard let row = llama_get_logits_ith(pointer, Int32(i)) else {
            preconditionFailure("no logits for batch index \(i)")
        }
        return row
    }
}

@available(*, unavailable)
extension LlamaContext: Sendable {}
