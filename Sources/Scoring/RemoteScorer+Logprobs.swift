import JSON

/// A text tokenized by the server: ids and, from llama-server, each token's bytes.
struct RemoteTokens {
    let ids: [Int32]
    let pieces: [[UInt8]]
}

extension RemoteScorer {
    /// Bias that makes llama-server sample the token it is put on.
    static let forcingBias = "10000"
    /// How many top log-probabilities to ask for before asking for the whole vocabulary.
    static let lookupTiers = [100, 1_000_000]

    /// Tokens of `text` with BOS as the model asks and special tokens as plain text, as
    /// `LlamaScorer` and llama-perplexity tokenize.
    func tokenize(_ text: String, method: Method) throws -> RemoteTokens {
        let path = "/tokenize"
        let body: JSONValue
        switch method {
        case .llamaServerForcedTokens:
            body = .object([("content", .string(text)), ("add_special", .bool(true)),
                            ("parse_special", .bool(false)), ("with_pieces", .bool(true))])
        case .openAIEcho:
            body = .object([("model", .string(try modelName(required: true) ?? "")), ("prompt", .string(text)),
                            ("add_special_tokens", .bool(true))])
        }
        let answer = try client.postJSON(path, body)
        guard case let .array(list)? = answer["tokens"] else {
            throw ScoringError.badResponse(url: baseURL + path, reason: "no \"tokens\" array", body: JSONWriter.serialize(answer))
        }
        var ids: [Int32] = [], pieces: [[UInt8]] = []
        for entry in list {
            if let id = entry.scalarText.flatMap({ Int32($0) }) {
                ids.append(id)
                pieces.append([])
            } else if let id = entry["id"]?.scalarText.flatMap({ Int32($0) }) {
                ids.append(id)
                switch entry["piece"] {
                case let .string(s)?: pieces.append(Array(s.utf8))
                case let .array(bytes)?: pieces.append(bytes.compactMap { $0.scalarText.flatMap { UInt8($0) } })
                default: pieces.append([])
                }
            } else {
                throw ScoringError.badResponse(url: baseURL + path, reason: "a token is neither an id nor {id, piece}",
                                               body: JSONWriter.serialize(answer))
            }
        }
        return RemoteTokens(ids: ids, pieces: pieces)
    }

    /// Summed log-probability of `tokens.ids[start...]`, one teacher-forced request per token.
    func forcedLogprob(_ tokens: RemoteTokens, from start: Int) throws -> Double {
        var sum = 0.0
        for position in start..<tokens.ids.count {
            let target = tokens.ids[position]
            let context = Array(tokens.ids[0..<position])
            if !Self.endsInsideCharacter(tokens.pieces[position]),
               let forced = try completionProbability(context, bias: target, topCount: 1), forced.id == target {
                sum += try finite(forced.logprob, target)
            } else {
                sum += try lookedUpLogprob(context, target: target)
            }
        }
        return sum
    }

    /// The target's log-probability found among the top log-probabilities after `context`,
    /// while a plain ASCII token is forced (so that llama-server reports the list at all).
    private func lookedUpLogprob(_ context: [Int32], target: Int32) throws -> Double {
        let safe = try safeTokenID()
        for tier in Self.lookupTiers {
            guard let result = try completionProbability(context, bias: safe, topCount: tier) else { break }
            if let hit = result.top.first(where: { $0.id == target }) { return try finite(hit.logprob, target) }
            if result.top.count < tier { break }
        }
        throw ScoringError.badResponse(url: baseURL + "/completion", reason: "token \(target) is missing from the server's log-probabilities",
                                       body: "")
    }

    private func finite(_ value: Double?, _ token: Int32) throws -> Double {
        guard let value, value.isFinite else {
            throw ScoringError.badResponse(url: baseURL + "/completion",
                                           reason: "no finite log-probability for token \(token) (it underflows a float on the server)", body: "")
        }
        return value
    }

    private struct Probability {
        let id: Int32
        let logprob: Double?
        let top: [(id: Int32, logprob: Double?)]
    }

    /// `POST /completion` for one token after `context` with `bias` forcing the sampled token.
    private func completionProbability(_ context: [Int32], bias: Int32, topCount: Int) throws -> Probability? {
        let path = "/completion"
        let body: JSONValue = .object([
            ("prompt", .array(context.map { .number(String($0)) })), ("n_predict", .number("1")),
            ("n_probs", .number(String(topCount))), ("temperature", .number("0")), ("samplers", .array([])),
            ("logit_bias", .array([.array([.number(String(bias)), .number(Self.forcingBias)])])),
            ("cache_prompt", .bool(reusesServerCache)), ("response_fields", .array([.string("completion_probabilities")])),
        ])
        let answer = try client.postJSON(path, body)
        guard case let .array(probs)? = answer["completion_probabilities"] else {
            throw ScoringError.badResponse(url: baseURL + path, reason: "no \"completion_probabilities\"", body: JSONWriter.serialize(answer))
        }
        guard let first = probs.first else { return nil }
        guard let id = first["id"]?.scalarText.flatMap({ Int32($0) }) else {
            throw ScoringError.badResponse(url: baseURL + path, reason: "a probability without an id", body: JSONWriter.serialize(answer))
        }
        var top: [(id: Int32, logprob: Double?)] = []
        if case let .array(list)? = first["top_logprobs"] {
            top = list.compactMap { entry in
                entry["id"]?.scalarText.flatMap { Int32($0) }.map { ($0, entry["logprob"]?.scalarText.flatMap(Double.init)) }
            }
        }
        return Probability(id: id, logprob: first["logprob"]?.scalarText.flatMap(Double.init), top: top)
    }

    /// A token whose text is plain ASCII (".").
    private func safeTokenID() throws -> Int32 {
        if let safeToken { return safeToken }
        let tokens = try client.postJSON("/tokenize", .object([("content", .string(".")), ("with_pieces", .bool(true))]))
        guard case let .array(list)? = tokens["tokens"], let id = list.first?["id"]?.scalarText.flatMap({ Int32($0) }) else {
            throw ScoringError.badResponse(url: baseURL + "/tokenize", reason: "no token for \".\"", body: JSONWriter.serialize(tokens))
        }
        safeToken = id
        return id
    }

    /// Whether `bytes` end inside a multi-byte UTF-8 character, by llama-server's own test
    /// (`validate_utf8` in tools/server/server-common.cpp): such a token's probability is withheld.
    static func endsInsideCharacter(_ bytes: [UInt8]) -> Bool {
        let n = bytes.count
        for i in 1...4 where i <= n {
            let c = bytes[n - i]
            if c & 0xE0 == 0xC0, i < 2 { return true }
            if c & 0xF0 == 0xE0, i < 3 { return true }
            if c & 0xF8 == 0xF0, i < 4 { return true }
        }
        return false
    }

    /// Summed prompt log-probabilities of `ids[start...]` from `/v1/completions` with `echo`.
    func echoLogprob(_ ids: [Int32], from start: Int) throws -> Double {
        let path = "/v1/completions"
        let body: JSONValue = .object([
            ("model", .string(try modelName(required: true) ?? "")), ("prompt", .array(ids.map { .number(String($0)) })),
            ("max_tokens", .number("1")), ("echo", .bool(true)), ("logprobs", .number("1")), ("temperature", .number("0")),
        ])
        let answer = try client.postJSON(path, body)
        guard case let .array(choices)? = answer["choices"], case let .array(values)? = choices.first?["logprobs"]?["token_logprobs"],
              values.count >= ids.count else {
            throw ScoringError.badResponse(url: baseURL + path, reason: "no choices[0].logprobs.token_logprobs covering the prompt (does the server support echo with logprobs?)",
                                           body: JSONWriter.serialize(answer))
        }
        var sum = 0.0
        for position in start..<ids.count {
            guard let value = values[position].scalarText.flatMap(Double.init) else {
                throw ScoringError.badResponse(url: baseURL + path, reason: "no log-probability for prompt token \(position)", body: JSONWriter.serialize(answer))
            }
            sum += value
        }
        return sum
    }
}
