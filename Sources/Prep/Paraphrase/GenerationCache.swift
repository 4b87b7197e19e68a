import Store
import Support

/// Generated texts by key: the run store's `generations` table, or memory when a stage runs without
/// a store (stage tests). Each generation is written as it arrives, so Ctrl-C loses none.
final class GenerationCache {
    private let store: RunStore?
    private let runID: Int?
    private var memory: [String: StoredGeneration] = [:]

    init(store: RunStore?, runID: Int?) {
        self.store = store
        self.runID = runID
    }

    /// The key of a generation: the generator, the settings that decide the text, and the prompt.
    static func key(generator: String, settings: String, prompt: String) -> String {
        SHA256.hex("generation-1\n" + generator + "\n" + settings + "\n" + prompt)
    }

    /// The generations already kept among `keys`.
    func lookup(_ keys: [String]) throws -> [String: StoredGeneration] {
        if let store { return try store.generations(keys: keys) }
        let wanted = Set(keys)
        return memory.filter { wanted.contains($0.key) }
    }

    func add(_ g: StoredGeneration) throws {
        if let store { try store.addGeneration(g, run: runID) } else { memory[g.key] = g }
    }
}
