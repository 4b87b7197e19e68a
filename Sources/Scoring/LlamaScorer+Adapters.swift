/// LoRA adapters through llama.cpp's adapter API: `llama_adapter_lora_init` loads a file for the
/// model, `llama_set_adapters_lora` applies a set of them with scales to the context.
extension LlamaScorer: LoraSwitching {
    /// Applies exactly `adapters` (in this order, with their scales) to every later score and
    /// generation; files not loaded yet are loaded first, all of them before anything changes, so a
    /// bad file leaves the scorer as it was. When the set changes, the KV cache (the cached shared
    /// prefix) is cleared: cells computed under other adapters are stale.
    ///
    ///     try scorer.useAdapters([LoraAdapter(path: "checkpoint-200.gguf")])
    ///     try scorer.useAdapters([])   // back to the base model
    ///
    /// A scale of 0 gives exactly the base model's scores (llama.cpp leaves such an adapter out).
    /// - throws: `ScoringError.adapterNotFound`, `.adapterNotGGUF`, `.adapterLoadFailed`.
    public func useAdapters(_ adapters: [LoraAdapter]) throws {
        try loadAdapters(adapters)
        guard adapters != self.adapters else { return }
        context.setAdapters(adapters.map { loadedAdapters[$0.path]! }, scales: adapters.map(\.scale))
        context.clearMemory()
        self.adapters = adapters
    }

    /// Loads the files of `adapters` not loaded yet; nothing is applied.
    /// - throws: `ScoringError.adapterNotFound`, `.adapterNotGGUF`, `.adapterLoadFailed`.
    public func loadAdapters(_ adapters: [LoraAdapter]) throws {
        for a in adapters where loadedAdapters[a.path] == nil {
            loadedAdapters[a.path] = try LlamaAdapter(path: a.path, model: model)
        }
    }
}
