import Foundation
import HarnessSpec
import Records
import Scoring
import Support

/// The `paraphrase` op of `augment`, parsed once from the stage's entry: a model rewrites one field
/// of each training row `n` times.
///
///     - augment:
///         ops: [paraphrase]
///         field: title                      # or instruction, input, any record field but the answer
///         n: 2                              # copies per training row
///         prompt: "<|im_start|>user\n다음 제목을 같은 뜻의 다른 말로 바꿔 쓰세요: {title}<|im_end|>\n<|im_start|>assistant\n"
///         model: models/SmolLM2-135M-Instruct.Q4_1.gguf   # the bundled llama.cpp
///         # or: backend: openai, url: http://127.0.0.1:8080, server_model: name
///         max_tokens: 48, temperature: 0.8, top_k: 40, stop: ["\n"], parallel: 8
struct ParaphraseSettings: Equatable {
    enum Backend: Equatable {
        /// The bundled llama.cpp on a GGUF file (`model:`).
        case llama(model: String)
        /// An OpenAI-compatible server (`backend: openai`, `url:`, optional `server_model:`).
        case openAI(url: String, model: String?)
    }

    /// The keys the op adds to `augment`.
    static let keys = ["n", "prompt", "model", "backend", "url", "server_model", "max_tokens", "temperature", "top_k", "stop", "threads", "context", "parallel"]

    /// The field rewritten: a record field, or `instruction` / `input` as `instruct` rendered them.
    let field: String
    /// Paraphrases asked for each training row.
    let copies: Int
    let prompt: Template
    let backend: Backend
    let maxTokens: Int
    let stop: [String]
    let temperature: Double
    let topK: Int
    let seed: UInt64
    /// llama.cpp's threads and context (the bundled backend only).
    let threads: Int
    let contextSize: Int
    /// Sequences llama.cpp generates together (continuous batching).
    let parallel: Int

    /// - throws: `SpecError` located at the offending key.
    init(args: SpecNode, spec: Spec, seed: UInt64) throws {
        let fieldNode = try args.required("field", hint: "name the field to paraphrase, e.g. `field: title` or `field: instruction`")
        let rendered = ["instruction", "input", "output"]
        field = try fieldNode.field(among: spec.fieldNames + rendered)
        if field == "output" || field == "id" {
            throw fieldNode.error("'\(field)' is not paraphrased: a reworded \(field == "id" ? "id" : "answer") would change what the row means; paraphrase title, body, instruction or input")
        }
        copies = try args.int("n", default: 1)
        if !(1...100).contains(copies) { throw try args.required("n").error("must be between 1 and 100 paraphrases per row") }
        let promptNode = try args.required("prompt", hint: "the request sent to the model, naming the field: `prompt: \"Rewrite this headline: {title}\\n\"`")
        prompt = try promptNode.template(among: spec.fieldNames + rendered)
        if !prompt.fields.contains(field) {
            throw promptNode.error("the prompt never shows the model {\(field)}, the text it should paraphrase")
        }
        let modelNode = try args.optional("model")
        let backendName = try args.optional("backend")?.choice(["llama", "openai"]) ?? "llama"
        switch backendName {
        case "openai":
            if let modelNode { throw modelNode.error("`model:` is a GGUF file for the bundled llama.cpp; with `backend: openai` name the server's model with `server_model:`") }
            let urlNode = try args.required("url", hint: "the server's address, e.g. `url: http://127.0.0.1:8080`")
            let url = try urlNode.string()
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw urlNode.error("'\(url)' is not an http:// or https:// address") }
            backend = .openAI(url: url, model: try args.optional("server_model")?.string())
        default:
            for key in ["url", "server_model"] {
                if let n = try args.optional(key) { throw n.error("`\(key)` belongs to `backend: openai`; the bundled llama.cpp reads `model:`") }
            }
            guard let modelNode else {
                throw args.error("paraphrase needs a generator: `model: PATH.gguf` (the bundled llama.cpp) or `backend: openai` with `url:`")
            }
            let path = try modelNode.string()
            if !FileSystem.exists(path) || FileSystem.isDirectory(path) { throw modelNode.error("no model file at \(path)") }
            backend = .llama(model: path)
        }
        maxTokens = try args.int("max_tokens", default: 64)
        if !(1...4096).contains(maxTokens) { throw try args.required("max_tokens").error("must be between 1 and 4096 tokens") }
        temperature = try args.double("temperature", default: 0.8)
        if !(0...5).contains(temperature) { throw try args.required("temperature").error("must be between 0 (greedy) and 5") }
        topK = try args.int("top_k", default: 40)
        if topK < 0 { throw try args.required("top_k").error("must be 0 (the whole vocabulary) or more") }
        stop = try args.optional("stop")?.strings() ?? ["\n"]
        threads = try args.int("threads", default: max(1, ProcessInfo.processInfo.activeProcessorCount))
        if threads < 1 { throw try args.required("threads").error("must be at least 1") }
        contextSize = try args.int("context", default: 2048)
        if contextSize < 64 { throw try args.required("context").error("must be at least 64 tokens") }
        parallel = try args.int("parallel", default: 8)
        if !(1...64).contains(parallel) { throw try args.required("parallel").error("must be between 1 and 64 sequences") }
        self.seed = seed
    }

    /// The sampling of copy `k` of a row: its own seed, so copies differ and each is reproducible.
    func sampling(copy k: Int) -> Sampling {
        var rng = SeededRandom(seed: seed, key: "paraphrase copy \(k)")
        return Sampling(temperature: temperature, topK: topK, seed: rng.next())
    }

    /// Everything besides the generator and the prompt that decides a generation, for its cache key.
    func settingsText(copy k: Int) -> String {
        sampling(copy: k).description + " max_tokens=\(maxTokens) stop=" + stop.map { $0.debugDescription }.joined(separator: ",")
    }

    /// What the stage's cache key needs to see besides its entry: the model file as it is now.
    var identityHint: String {
        switch backend {
        case let .llama(model): return "paraphrase model: \(model) \(FileSystem.size(model) ?? -1) \(FileSystem.modificationTime(model))"
        case let .openAI(url, model): return "paraphrase server: \(url) \(model ?? "-")"
        }
    }
}
