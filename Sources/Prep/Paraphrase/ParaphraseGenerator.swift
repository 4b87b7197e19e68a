import Scoring
import Support

/// Where paraphrases come from: the bundled llama.cpp on a GGUF file, or an OpenAI-compatible
/// server. Its `identity` is part of every cached generation's key; the model is loaded only when
/// something has to be generated, so a fully cached rerun never loads it.
final class ParaphraseGenerator {
    let backend: ParaphraseSettings.Backend
    /// `llama:<sha256 of the model file>` or `openai:<url> <served model>`.
    let identity: String
    /// The generator in words, for provenance: `llama.cpp SmolLM2-135M-Instruct.Q4_1.gguf sha256:1a2b3c4d5e6f`.
    let name: String
    private let threads: Int
    private let contextSize: Int
    private var local: LlamaScorer?
    private var remote: RemoteScorer?

    /// Digests the model file (or asks the server which model it serves).
    /// - throws: `PrepError.stage` when the model file cannot be read or the server does not answer.
    init(_ settings: ParaphraseSettings) throws {
        backend = settings.backend
        threads = settings.threads
        contextSize = settings.contextSize
        switch settings.backend {
        case let .llama(model):
            let digest: String
            do { digest = try SHA256.hex(file: model) } catch {
                throw PrepError.stage(name: "augment", detail: "paraphrase model \(model): \(error)")
            }
            identity = "llama:" + digest
            name = "llama.cpp \(model.split(separator: "/").last.map(String.init) ?? model) sha256:\(digest.prefix(12))"
        case let .openAI(url, model):
            do {
                let server = try RemoteScorer(baseURL: url, model: model)
                let served = try model ?? server.servedModel()
                remote = server
                identity = "openai:\(server.baseURL) \(served)"
                name = "server \(server.baseURL) model \(served)"
            } catch {
                throw PrepError.stage(name: "augment", detail: "paraphrase server \(url): \(error)")
            }
        }
    }

    /// Completions of all `requests`; `finished` gets each as soon as it is complete (in any
    /// order), so a caller can keep it before the next one ends. The bundled llama.cpp decodes up to
    /// `parallel` of them together; a server gets one request after another.
    /// - throws: `PrepError.stage` with the backend's error, or what `finished` throws.
    func generate(_ requests: [LlamaScorer.GenerationRequest], maxTokens: Int, stop: [String], parallel: Int,
                  finished: (_ index: Int, _ text: String) throws -> Void) throws {
        do {
            switch backend {
            case let .llama(model):
                if local == nil {
                    local = try LlamaScorer(modelPath: model, threads: threads, contextSize: contextSize)
                }
                try local!.generate(requests, maxTokens: maxTokens, stop: stop, parallel: parallel, finished: finished)
            case .openAI:
                for (i, r) in requests.enumerated() {
                    try finished(i, try remote!.generate(prompt: r.prompt, maxTokens: maxTokens, stop: stop, sampling: r.sampling))
                }
            }
        } catch let error as ScoringError {
            throw PrepError.stage(name: "augment", detail: "paraphrase with \(name): \(error)")
        }
    }
}
