import JSON

/// Scores multiple-choice items and generates text through an OpenAI-compatible server
/// (llama.cpp's llama-server, vLLM).
///
/// Scoring needs the log-probability of *given* continuation tokens, which plain OpenAI
/// completions do not expose. The method is picked on first use (`GET /props` answers only on
/// llama-server):
///
/// - `.llamaServerForcedTokens` (llama-server, verified against this repo's build): the item's
///   texts are tokenized by the server (`POST /tokenize`), the common prefix is found as
///   `LlamaScorer` does, and each scored token is teacher-forced: `POST /completion` with the
///   tokens before it as the prompt, `n_predict: 1`, `n_probs: 1` and a +10000 `logit_bias` on
///   that token. llama-server reports the sampled token's probability from the raw logits (before
///   any sampler), so this is the model's exact log-probability of the token. The server's
///   prompt cache makes each request evaluate one new token. Limits: one request per scored
///   token; a token whose text ends inside a UTF-8 character (common for Korean byte-level
///   tokens) is withheld by llama-server from its probability list, so for such tokens the
///   scorer forces a harmless ASCII token instead and looks the target up in the top
///   log-probabilities (first the top 100, then the whole vocabulary, ~5 MB of JSON for a
///   49k vocabulary); log-probabilities are computed and sent in single precision, and a token
///   whose probability underflows a float (log-prob below about -87) cannot be reported.
///   (llama-server rejects `echo`, and its token grammars `<[id]>` reject byte-level tokens,
///   so neither can be used instead.)
///   With `reusesServerCache` (the default) each request evaluates one new token on top of the
///   server's cached prompt; llama.cpp's one-token decode path rounds differently from a batched
///   prompt, and on SmolLM2-135M that moves single-token log-probs by up to ~0.15 nats
///   (measured: at most 0.44 summed over a 14-token Korean choice, 0.03 per token, predictions
///   unchanged). Turn it off for numbers equal to `LlamaScorer`'s within ~2e-4 per token (each
///   request then re-evaluates its whole prompt: quadratic in the length, so only for short
///   items). Either way start llama-server with `-np 1 -fa off -ctk f32 -ctv f32`: LlamaScorer's
///   numerics, and one slot, so that position p stays in KV cell p (see `BatchLayout`).
/// - `.openAIEcho` (vLLM and other servers with prompt log-probs; not verified here, as no such
///   server is available in this environment): `POST /tokenize`, then `POST /v1/completions` with
///   the token ids as the prompt, `echo: true`, `logprobs: 1`, `max_tokens: 1`, reading
///   `choices[0].logprobs.token_logprobs` at the scored positions — one request per choice.
///
/// Generation uses `POST /v1/completions` with `temperature: 0` (greedy) on both.
///
/// Every request is retried after a transient failure as its `RetryPolicy` says (default: 3 tries,
/// 0.5 s then 1 s apart); `ServerFleet` spreads items over several servers.
public final class RemoteScorer: ChoiceScoring, Generating {
    /// How continuation log-probabilities are obtained from the server.
    public enum Method: String, Sendable {
        case llamaServerForcedTokens
        case openAIEcho
    }

    /// The server root, without a trailing slash or `/v1`.
    public let baseURL: String
    let client: HTTPClient
    var model: String?
    var detected: Method?
    /// A token with a plain ASCII text, forced when the target's text is an incomplete UTF-8 character.
    var safeToken: Int32?
    /// llama-server only: let each request reuse the server's cached prompt (fast, see above);
    /// false re-evaluates the whole prompt of every request (exact, quadratic).
    public var reusesServerCache = true

    /// Checks the URL only; the server is first contacted by `score`, `generate` or `detectMethod`.
    /// - Parameters:
    ///   - baseURL: e.g. `http://127.0.0.1:8080` (a trailing `/v1` is accepted and dropped).
    ///   - model: the model name to send; asked from `GET /v1/models` when needed and not given.
    ///   - timeout: seconds to wait for each answer.
    ///   - retry: when to ask again after a transient failure (5xx, no connection, timeout).
    public init(baseURL: String, model: String? = nil, timeout: Double = 60, retry: RetryPolicy = .standard) throws {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        self.baseURL = base
        self.model = model
        client = try HTTPClient(base: base, timeout: timeout, retry: retry)
    }

    /// The scoring method this server supports (asked once, then remembered).
    /// - Throws: `ScoringError.serverDown` when nothing answers at the URL.
    public func detectMethod() throws -> Method {
        if let detected { return detected }
        let (status, body) = try client.get("/props")
        var method = Method.openAIEcho
        switch status {
        case 200:
            if let props = try? JSONParser.parse(body),
               props["default_generation_settings"] != nil || props["build_info"] != nil {
                method = .llamaServerForcedTokens
            }
        case 404, 405: break // not llama-server
        default: // e.g. 503 while llama-server loads its model: ask again next time
            throw ScoringError.httpStatus(url: baseURL + "/props", status: status, body: body)
        }
        detected = method
        return method
    }

    public func score(_ items: [ChoiceItem], progress: (_ done: Int, _ tokens: Int) -> Void) throws -> [ChoiceScore] {
        let method = try detectMethod()
        var results: [ChoiceScore] = []
        for item in items {
            guard !item.choices.isEmpty else { throw ScoringError.noChoices(id: item.id) }
            if let empty = item.choices.firstIndex(where: \.isEmpty) { throw ScoringError.emptyChoice(id: item.id, index: empty) }
            let tokenized = try item.choices.map { try tokenize(item.prompt + $0, method: method) }
            let plan = try TokenizedItem(id: item.id, sequences: tokenized.map(\.ids))
            var logprobs: [Double] = []
            for sequence in tokenized {
                switch method {
                case .llamaServerForcedTokens:
                    logprobs.append(try forcedLogprob(sequence, from: plan.commonPrefix))
                case .openAIEcho:
                    logprobs.append(try echoLogprob(sequence.ids, from: plan.commonPrefix))
                }
            }
            results.append(ChoiceScore(logprob: logprobs, tokens: plan.scoredCounts, bytes: item.choices.map { $0.utf8.count }))
            progress(1, plan.scoredCounts.reduce(0, +))
        }
        return results
    }

    /// Greedy completion through `POST /v1/completions` (`temperature: 0`).
    public func generate(prompt: String, maxTokens: Int, stop: [String]) throws -> String {
        try generate(prompt: prompt, maxTokens: maxTokens, stop: stop, sampling: nil)
    }

    /// Completion as above, sampled on the server as `sampling` says (`temperature`, `top_k` and
    /// `seed` in the request; nil: greedy). A server that honours the seed (llama-server does)
    /// answers the same prompt, settings and seed with the same text.
    public func generate(prompt: String, maxTokens: Int, stop: [String], sampling: Sampling?) throws -> String {
        var body: [(key: String, value: JSONValue)] = [
            ("prompt", .string(prompt)), ("max_tokens", .number(String(max(0, maxTokens)))),
            ("temperature", .number(sampling.map { String($0.temperature) } ?? "0")),
        ]
        if let sampling, sampling.temperature > 0 {
            body.append(("top_k", .number(String(sampling.topK))))
            body.append(("seed", .number(String(sampling.seed & 0x7FFF_FFFF))))
        }
        let stops = stop.filter { !$0.isEmpty }
        if !stops.isEmpty { body.append(("stop", .array(stops.map(JSONValue.string)))) }
        if let name = try modelName(required: try detectMethod() == .openAIEcho) {
            body.insert(("model", .string(name)), at: 0)
        }
        let answer = try client.postJSON("/v1/completions", .object(body))
        guard case let .array(choices)? = answer["choices"], let text = choices.first?["text"]?.scalarText else {
            throw ScoringError.badResponse(url: baseURL + "/v1/completions", reason: "no choices[0].text",
                                           body: JSONWriter.serialize(answer))
        }
        return text
    }

    /// The model name to send: the one given, else the first of `GET /v1/models` when `required`.
    func modelName(required: Bool) throws -> String? {
        if let model { return model }
        guard required else { return nil }
        let (status, body) = try client.get("/v1/models")
        guard status == 200 else { throw ScoringError.httpStatus(url: baseURL + "/v1/models", status: status, body: body) }
        let models = try client.parse(body, from: "/v1/models")
        guard case let .array(list)? = models["data"], let id = list.first?["id"]?.scalarText else {
            throw ScoringError.badResponse(url: baseURL + "/v1/models", reason: "no data[0].id", body: body)
        }
        model = id
        return id
    }
}

@available(*, unavailable)
extension RemoteScorer: Sendable {}
