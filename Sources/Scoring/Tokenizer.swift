import CLlama

/// A model's tokenizer alone: llama.cpp loads the GGUF with `vocab_only`, so no weights are read
/// and a 7B model's vocabulary costs a few megabytes. For token lengths of prepared rows.
///
///     let t = try Tokenizer(modelPath: "models/x.gguf")
///     t.count("다음 뉴스 기사의 제목이 ...")   // tokens, BOS included when the model adds one
public final class Tokenizer: @unchecked Sendable {
    private let model: OpaquePointer
    private let vocab: OpaquePointer
    public let path: String

    /// - throws: `ScoringError.modelNotFound`, `.notGGUF` or `.modelLoadFailed`.
    public init(modelPath: String) throws {
        try ModelFileCheck.validate(modelPath, availableBytes: nil)
        LlamaBackend.ensure()
        var params = llama_model_default_params()
        params.vocab_only = true
        params.n_gpu_layers = 0
        guard let m = llama_model_load_from_file(modelPath, params) else { throw ScoringError.modelLoadFailed(path: modelPath) }
        guard let v = llama_model_get_vocab(m) else {
            llama_model_free(m)
            throw ScoringError.modelLoadFailed(path: modelPath)
        }
        model = m
        vocab = v
        path = modelPath
    }

    deinit { llama_model_free(model) }

    /// The number of tokens of `text` as training would see it: special tokens added as the model's
    /// metadata asks (BOS), special-token text in the data not parsed as control tokens.
    public func count(_ text: String) -> Int {
        let utf8 = Array(text.utf8)
        return utf8.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // With no room for tokens, llama_tokenize returns minus the number it needs.
                let n = llama_tokenize(vocab, chars.baseAddress, Int32(chars.count), nil, 0, true, false)
                if n < 0, n != Int32.min { return Int(-n) }
                if n >= 0 { return Int(n) }
                var tokens = [llama_token](repeating: 0, count: chars.count + 8)
                let m = llama_tokenize(vocab, chars.baseAddress, Int32(chars.count), &tokens, Int32(tokens.count), true, false)
                return max(0, Int(m))
            }
        }
    }
}
