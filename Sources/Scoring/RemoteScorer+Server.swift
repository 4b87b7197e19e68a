import JSON

extension RemoteScorer {
    /// What the server says it serves, e.g. `SmolLM2-135M-Instruct.Q4_1.gguf n_ctx_train=8192
    /// n_embd=576 n_params=134515008 n_vocab=49152 size=96576768 ftype=Q4_1` from llama-server, or
    /// `my-model root=Qwen2.5-7B max_model_len=32768` from vLLM: the file or folder name of the
    /// model (without the directory, so that two machines with other paths agree) and its shape.
    /// - Throws: `ScoringError` when `GET /v1/models` fails or lists no model.
    public func servedModel() throws -> String {
        let path = "/v1/models"
        let (status, body) = try client.get(path)
        guard status == 200 else { throw ScoringError.httpStatus(url: baseURL + path, status: status, body: body) }
        let answer = try client.parse(body, from: path)
        guard case let .array(list)? = answer["data"], let first = list.first, let id = first["id"]?.scalarText else {
            throw ScoringError.badResponse(url: baseURL + path, reason: "no data[0].id", body: body)
        }
        var parts = [Self.lastComponent(id)]
        if let root = first["root"]?.scalarText { parts.append("root=" + Self.lastComponent(root)) }
        if let length = first["max_model_len"]?.scalarText { parts.append("max_model_len=" + length) }
        if case let .object(meta)? = first["meta"] {
            for (key, value) in meta.sorted(by: { $0.key < $1.key }) where key != "n_ctx" {
                if let text = value.scalarText { parts.append("\(key)=\(text)") }
            }
        }
        return parts.joined(separator: " ")
    }

    /// How many requests the server works on at once: llama-server's slots (`total_slots` of
    /// `GET /props`, its `-np`), nil from other servers.
    public func slotCount() throws -> Int? {
        guard try detectMethod() == .llamaServerForcedTokens else { return nil }
        let (status, body) = try client.get("/props")
        guard status == 200, let props = try? JSONParser.parse(body) else { return nil }
        return props["total_slots"]?.scalarText.flatMap { Int($0) }
    }

    /// Requests sent so far, retries included.
    public var requestsSent: Int { client.requestsSent }

    private static func lastComponent(_ path: String) -> String {
        var p = path
        while p.hasSuffix("/") { p.removeLast() }
        return p.split(separator: "/").last.map(String.init) ?? p
    }
}
