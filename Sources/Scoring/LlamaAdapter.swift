import CLlama
import Support

/// A loaded LoRA adapter (owns the `llama_adapter_lora`); it keeps its model alive, since
/// llama.cpp ties an adapter to the model it was loaded for.
final class LlamaAdapter {
    let pointer: OpaquePointer
    let model: LlamaModel
    let path: String

    /// Loads `path` for `model` after checking that it exists and is GGUF.
    /// - throws: `ScoringError.adapterNotFound`, `.adapterNotGGUF`, or `.adapterLoadFailed` with
    ///   llama.cpp's reason (another architecture, a tensor the model lacks, a wrong shape).
    init(path: String, model: LlamaModel) throws {
        guard FileSystem.exists(path), !FileSystem.isDirectory(path) else { throw ScoringError.adapterNotFound(path: path) }
        let head = ModelFileCheck.firstBytes(path, count: 4)
        guard head == Array("GGUF".utf8) else {
            throw ScoringError.adapterNotGGUF(path: path, firstBytes: ModelFileCheck.describe(head))
        }
        LlamaBackend.ensure()
        _ = LlamaBackend.takeErrors()
        guard let adapter = llama_adapter_lora_init(model.pointer, path) else {
            var reason = Self.reason(LlamaBackend.takeErrors())
            if reason.contains("arch mismatch") { reason += " (the adapter was made for another architecture than the model's, \(model.architecture))" }
            throw ScoringError.adapterLoadFailed(path: path, model: model.path, reason: reason)
        }
        pointer = adapter
        self.model = model
        self.path = path
    }

    deinit { llama_adapter_lora_free(pointer) }

    /// llama.cpp's reason from its error log, e.g. "model arch and LoRA arch mismatch".
    static func reason(_ errors: [String]) -> String {
        let marker = "failed to apply lora adapter: "
        for line in errors.reversed() {
            if let r = line.firstRange(of: marker) {
                return trimmed(line[r.upperBound...])
            }
        }
        return errors.last.map { trimmed($0[...]) } ?? "no reason given"
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

@available(*, unavailable)
extension LlamaAdapter: Sendable {}
