import HarnessSpec
import JSON
import Scoring
import Support

/// A LoRA adapter of a score run as the run records it: path, scale and the SHA-256 of the file.
/// All three are part of the run's identity, so a run is resumed only with the same adapter bytes.
public struct AdapterRecord: Equatable, Sendable {
    public let lora: EvalSpec.Lora
    public let sha256: String

    /// What llama.cpp is given.
    public var adapter: LoraAdapter { LoraAdapter(path: lora.path, scale: Float(lora.scale)) }

    /// `{"path": ..., "scale": ..., "sha256": ...}` in the run's settings.
    var json: JSONValue {
        .object([("path", .string(lora.path)), ("scale", .number(String(lora.scale))), ("sha256", .string(sha256))])
    }

    /// Digests `adapters` after checking that they can apply: the llama backend (a server loads its
    /// own adapters), each file there, and no file twice (llama.cpp would apply it once).
    /// - throws: `EvalRunError.adaptersNeedLlama`, `.duplicateAdapter`, `ScoringError.adapterNotFound`.
    public static func check(_ adapters: [EvalSpec.Lora], backend: String) throws -> [AdapterRecord] {
        guard !adapters.isEmpty else { return [] }
        guard backend == "llama" else { throw EvalRunError.adaptersNeedLlama(backend: backend) }
        var seen: Set<String> = []
        for a in adapters where !seen.insert(a.path).inserted { throw EvalRunError.duplicateAdapter(path: a.path) }
        return try adapters.map { AdapterRecord(lora: $0, sha256: try ModelFingerprint.sha256(adapter: $0.path)) }
    }
}
