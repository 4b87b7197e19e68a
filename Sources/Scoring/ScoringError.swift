/// Why scoring or generation failed; every message names the file, item or URL involved and the fix.
public enum ScoringError: Error, Equatable, CustomStringConvertible {
    // Model files.
    case modelNotFound(path: String)
    case notGGUF(path: String, firstBytes: String)
    case modelTooLarge(path: String, bytes: Int64, availableBytes: Int64)
    case modelLoadFailed(path: String)
    case contextFailed(path: String, contextSize: Int)

    // LoRA adapters.
    case adapterNotFound(path: String)
    case adapterNotGGUF(path: String, firstBytes: String)
    /// llama.cpp returned no adapter; `reason` is its own (e.g. "model arch and LoRA arch mismatch").
    case adapterLoadFailed(path: String, model: String, reason: String)

    // Items.
    case noChoices(id: String)
    case emptyChoice(id: String, index: Int)
    case tooManyChoices(id: String, count: Int, limit: Int)
    case nothingToCondition(id: String)
    case promptTooLong(id: String, tokens: Int, contextSize: Int)
    case tokenizeFailed(id: String)

    // Evaluation.
    case decodeFailed(code: Int32, tokens: Int)

    // Task files (llama-perplexity's --multiple-choice format).
    case taskFileInvalid(path: String, reason: String)
    case taskNotRepresentable(id: String, reason: String)

    // Remote servers.
    case invalidURL(String)
    case serverDown(url: String, reason: String)
    case httpStatus(url: String, status: Int, body: String)
    case badResponse(url: String, reason: String, body: String)
    case remoteTimeout(url: String, seconds: Double)
    /// libcurl, which sends the requests, cannot be loaded (it is loaded on the first request).
    case httpUnavailable(reason: String)

    public var description: String {
        switch self {
        case let .modelNotFound(path):
            return "model file \(path) does not exist; run `make setup` to fetch the test model, or pass --model with the path of a .gguf file"
        case let .notGGUF(path, firstBytes):
            return "\(path) is not a GGUF model (it starts with \(firstBytes), not \"GGUF\"); convert it with llama.cpp's convert_hf_to_gguf.py or pass a .gguf file"
        case let .modelTooLarge(path, bytes, available):
            return "model \(path) is \(Self.megabytes(bytes)) but only \(Self.megabytes(available)) of memory is available (MemAvailable in /proc/meminfo); use a smaller quantisation (e.g. Q4_K_M) or free memory"
        case let .modelLoadFailed(path):
            return "llama.cpp could not load \(path) (see its log above; set HARNESS_LLAMA_LOG=1 to see it); the file may be truncated or from a newer llama.cpp — re-download it or update .deps with `make setup`"
        case let .contextFailed(path, contextSize):
            return "llama.cpp could not create a context of \(contextSize) tokens for \(path); lower --ctx"
        case let .adapterNotFound(path):
            return "LoRA adapter \(path) does not exist; pass --lora with the path of a .gguf adapter (convert a PEFT adapter with llama.cpp's convert_lora_to_gguf.py, see README)"
        case let .adapterNotGGUF(path, firstBytes):
            return "LoRA adapter \(path) is not a GGUF file (it starts with \(firstBytes), not \"GGUF\"); convert the PEFT adapter folder with llama.cpp's convert_lora_to_gguf.py (see README)"
        case let .adapterLoadFailed(path, model, reason):
            return "llama.cpp refused the LoRA adapter \(path) for the model \(model): \(reason); an adapter loads only on the base model it was made for "
                + "(same architecture, tensor names and shapes): pass that model with --model, or convert the adapter against it "
                + "(convert_lora_to_gguf.py --base DIR)"
        case let .noChoices(id):
            return "item \(id) has no choices; every multiple-choice item needs at least one"
        case let .emptyChoice(id, index):
            return "item \(id): choice \(index) is empty; drop it or give it text"
        case let .tooManyChoices(id, count, limit):
            return "item \(id) has \(count) choices but at most \(limit) fit in one batch; split the item"
        case let .nothingToCondition(id):
            return "item \(id): its prompt tokenizes to nothing before the first choice token, so there is nothing to condition on; give it a non-empty prompt"
        case let .promptTooLong(id, tokens, contextSize):
            return "item \(id) needs \(tokens) tokens (prompt plus all choices) but the context holds \(contextSize); raise --ctx to at least \(tokens) or shorten the prompt"
        case let .tokenizeFailed(id):
            return "llama.cpp could not tokenize item \(id); check that its text is valid UTF-8"
        case let .decodeFailed(code, tokens):
            let hint: String
            switch code {
            case 1: hint = "no room in the KV cache; raise --ctx"
            case 2: hint = "the computation was aborted"
            case -1: hint = "the batch was rejected as invalid (a bug in the scorer: please report it)"
            default: hint = "llama.cpp failed (set HARNESS_LLAMA_LOG=1 to see its log); try fewer --threads or a smaller --ctx"
            }
            return "llama_decode failed with code \(code) on a batch of \(tokens) tokens: \(hint)"
        case let .taskFileInvalid(path, reason):
            return "\(path) is not a llama-perplexity multiple-choice task file: \(reason)"
        case let .taskNotRepresentable(id, reason):
            return "item \(id) cannot be written as a llama-perplexity task: \(reason)"
        case let .invalidURL(url):
            return "\(url) is not a usable server URL; give one like http://127.0.0.1:8080"
        case let .serverDown(url, reason):
            return "nothing answers at \(url) (\(reason)); start the server (e.g. `llama-server -m MODEL --port PORT`) or fix --url"
        case let .httpStatus(url, status, body):
            return "\(url) answered HTTP \(status): \(Self.excerpt(body))"
        case let .badResponse(url, reason, body):
            return "\(url) gave an unexpected answer (\(reason))" + (body.isEmpty ? "" : ": \(Self.excerpt(body))")
        case let .remoteTimeout(url, seconds):
            return "\(url) did not answer within \(seconds) s; raise the timeout or check the server's load"
        case let .httpUnavailable(reason):
            return "cannot send HTTP requests: \(reason); install libcurl (Debian 12: libcurl4, later releases: libcurl4t64)"
        }
    }

    /// The first 200 characters of a response body, for messages.
    static func excerpt(_ body: String) -> String {
        let head = String(body.prefix(200))
        return head.count < body.count ? "\"\(head)…\"" : "\"\(head)\""
    }

    static func megabytes(_ bytes: Int64) -> String {
        "\((bytes + 524_288) / 1_048_576) MB"
    }
}
