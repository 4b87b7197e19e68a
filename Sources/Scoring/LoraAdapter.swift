/// A LoRA adapter to apply on top of the base model: a GGUF file (llama.cpp's adapter format, as
/// `convert_lora_to_gguf.py` writes it) and the scale of its contribution.
///
/// llama.cpp adds `scale * alpha / rank * B(A x)` to each adapted weight's product `W x`; a scale
/// of 0 leaves the base model exactly as it is (the adapter is not applied at all).
///
///     let scorer = try LlamaScorer(modelPath: "base.gguf", adapters: [LoraAdapter(path: "a.gguf", scale: 0.5)])
public struct LoraAdapter: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var scale: Float

    public init(path: String, scale: Float = 1) {
        self.path = path
        self.scale = scale
    }

    /// `a.gguf ×0.5`.
    public var description: String { "\(path) ×\(scale)" }
}

/// A scorer whose LoRA adapters can be changed without reloading the base model (a sweep over
/// checkpoints scores each adapter in turn with one model in memory).
public protocol LoraSwitching: AnyObject {
    /// Loads the files of `adapters` not loaded yet, without applying them (so that a file
    /// llama.cpp refuses is found before any work).
    /// - throws: `ScoringError.adapterNotFound`, `.adapterNotGGUF`, `.adapterLoadFailed`.
    func loadAdapters(_ adapters: [LoraAdapter]) throws
    /// Applies exactly `adapters` from now on (loading the files not loaded yet).
    /// - throws: as `loadAdapters`.
    func useAdapters(_ adapters: [LoraAdapter]) throws
}
