import Support

/// A text a model generated for prep, as the store keeps it (table `generations`).
public struct StoredGeneration: Equatable, Sendable {
    /// Digest of the generator's identity, the prompt and the sampling settings.
    public let key: String
    /// `llama:<model sha256>` or `openai:<url> <model>`.
    public let generator: String
    public let prompt: String
    /// The sampling settings in words (`t=0.8 k=40 seed=7 max_tokens=64 stop=["\n"]`).
    public let sampling: String
    /// The raw text, before any cleaning.
    public let output: String
    public let seconds: Double

    public init(key: String, generator: String, prompt: String, sampling: String, output: String, seconds: Double) {
        self.key = key; self.generator = generator; self.prompt = prompt; self.sampling = sampling; self.output = output; self.seconds = seconds
    }
}

extension RunStore {
    /// The stored generations among `keys`, by key (keys never generated are absent).
    public func generations(keys: [String]) throws -> [String: StoredGeneration] {
        var found: [String: StoredGeneration] = [:]
        // SQLite's default limit on bound parameters is 32766; stay well under it.
        var start = 0
        while start < keys.count {
            let chunk = Array(keys[start..<min(keys.count, start + 500)])
            start += chunk.count
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            try db.each("SELECT key, generator, prompt, sampling, output, seconds FROM generations WHERE key IN (\(marks))", chunk.map { .text($0) }) { row in
                guard let key = row["key"].text else { return }
                found[key] = StoredGeneration(key: key, generator: row["generator"].text ?? "", prompt: row["prompt"].text ?? "",
                                              sampling: row["sampling"].text ?? "", output: row["output"].text ?? "", seconds: row["seconds"].double ?? 0)
            }
        }
        return found
    }

    /// Keeps one generation, in its own transaction: a run stopped right after still has it.
    public func addGeneration(_ g: StoredGeneration, run: Int?) throws {
        try db.transaction {
            try db.execute("""
                INSERT OR REPLACE INTO generations (key, generator, prompt, sampling, output, seconds, created_at, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(g.key), .text(g.generator), .text(g.prompt), .text(g.sampling), .text(g.output), .double(g.seconds),
                      .text(Clock.timestamp()), run.map { .int(Int64($0)) } ?? .null])
        }
    }

    /// How many generations the store keeps (for `prep` summaries and tests).
    public func generationCount() throws -> Int {
        try db.query("SELECT count(*) AS n FROM generations").first?["n"].int ?? 0
    }
}
