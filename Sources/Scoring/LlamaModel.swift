import CLlama

/// A loaded GGUF model and its vocabulary (owns the `llama_model`).
final class LlamaModel {
    let pointer: OpaquePointer
    let vocab: OpaquePointer
    let path: String
    let vocabSize: Int

    /// Loads `path` after checking that it exists, is GGUF and fits in memory.
    init(path: String) throws {
        try ModelFileCheck.validate(path)
        LlamaBackend.ensure()
        var params = llama_model_default_params()
        params.n_gpu_layers = 0
        guard let model = llama_model_load_from_file(path, params) else {
            throw ScoringError.modelLoadFailed(path: path)
        }
        guard let vocab = llama_model_get_vocab(model) else {
            llama_model_free(model)
            throw ScoringError.modelLoadFailed(path: path)
        }
        pointer = model
        self.vocab = vocab
        self.path = path
        vocabSize = Int(llama_vocab_n_tokens(vocab))
    }

    deinit { llama_model_free(pointer) }

    /// Tokens of `text` as llama.cpp's `common_tokenize(ctx, text, addSpecial, parseSpecial)` makes them:
    /// with `addSpecial`, BOS is added when the model's metadata asks for it.
    func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [llama_token]? {
        let utf8 = Array(text.utf8)
        var capacity = utf8.count + 8
        for _ in 0..<2 {
            var tokens = [llama_token](repeating: 0, count: capacity)
            let n = utf8.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    llama_tokenize(vocab, chars.baseAddress, Int32(chars.count), &tokens, Int32(capacity),
                                   addSpecial, parseSpecial)
                }
            }
            if n >= 0 { return Array(tokens[0..<Int(n)]) }
            if n == Int32.min { return nil }
            capacity = Int(-n)
        }
        return nil
    }

    /// The bytes `token` stands for (special tokens render as nothing).
    func piece(_ token: llama_token) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 64)
        var n = llama_token_to_piece(vocab, token, &buffer, Int32(buffer.count), 0, false)
        if n < 0 {
            buffer = [CChar](repeating: 0, count: Int(-n))
            n = llama_token_to_piece(vocab, token, &buffer, Int32(buffer.count), 0, false)
        }
        return n > 0 ? buffer[0..<Int(n)].map { UInt8(bitPattern: $0) } : []
    }

    func isEndOfGeneration(_ token: llama_token) -> Bool { llama_vocab_is_eog(vocab, token) }

    /// `general.architecture` of the model's metadata, e.g. `llama`.
    var architecture: String {
        var buffer = [CChar](repeating: 0, count: 128)
        let n = llama_model_meta_val_str(pointer, "general.architecture", &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer[0..<min(Int(n), buffer.count - 1)].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown"
    }

    /// e.g. `llama 135M Q4_1, 134.52 M params, 85 MiB`.
    var description: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let n = llama_model_desc(pointer, &buffer, buffer.count)
        let desc = n > 0 ? String(decoding: buffer[0..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "model"
        let params = Double(llama_model_n_params(pointer)) / 1e6
        let mib = llama_model_size(pointer) / 1_048_576
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return "\(name) (\(desc), \((params * 100).rounded() / 100) M params, \(mib) MiB, vocab \(vocabSize))"
    }
}

@available(*, unavailable)
extension LlamaModel: Sendable {}
