/// `eval.lora`: LoRA adapters (GGUF) that `eval score` applies on top of `--model`.
///
///     eval:
///       lora: [{path: adapters/ckpt-200.gguf, scale: 1.0}, adapters/ckpt-400.gguf:0.5]
///
/// Paths are relative to the working directory, like `--model`. `--lora` on the command line
/// replaces the spec's list; `--each` scores each adapter in a run of its own.
extension EvalSpec {
    /// One adapter and the scale of its contribution (default 1; 0 leaves the base model as it is).
    public struct Lora: Equatable, Sendable, CustomStringConvertible {
        public var path: String
        public var scale: Double

        public init(path: String, scale: Double = 1) {
            self.path = path
            self.scale = scale
        }

        /// `a.gguf` (scale 1) or `a.gguf:0.5`, as `--lora` takes it: the text after the last colon
        /// is the scale when it is a number, so a path may hold colons. Nil for an empty path or a
        /// scale that is not a finite number.
        public static func parse(_ text: String) -> Lora? {
            if let colon = text.lastIndex(of: ":"), let scale = Double(text[text.index(after: colon)...]) {
                guard scale.isFinite, colon > text.startIndex else { return nil }
                return Lora(path: String(text[..<colon]), scale: scale)
            }
            return text.isEmpty ? nil : Lora(path: text)
        }

        /// `a.gguf:0.5`, the form `parse` reads.
        public var description: String { "\(path):\(scale)" }
    }

    /// `eval.lora` alone (no field checks): the adapters a spec asks for, e.g. to plan a sweep before
    /// the prepared data is read. Empty when there is no `eval:` section or no `lora:` key.
    /// - throws: `SpecError` at the bad entry.
    public static func lora(in spec: Spec) throws -> [Lora] {
        guard let node = spec.eval else { return [] }
        return try lora(node)
    }

    /// Entries are `{path: a.gguf, scale: 0.5}` mappings or `a.gguf[:scale]` texts; a single entry
    /// needs no list.
    static func lora(_ eval: SpecNode) throws -> [Lora] {
        guard let node = try eval.optional("lora") else { return [] }
        let entries = node.isMapping ? [node] : try node.list()
        return try entries.map { entry in
            if entry.isMapping {
                try entry.checkKeys(["path", "scale"])
                let pathNode = try entry.required("path", hint: "the adapter's GGUF file, e.g. `{path: adapters/ckpt-200.gguf, scale: 1.0}`")
                let path = try pathNode.string()
                guard !path.isEmpty else { throw pathNode.error("give the adapter's GGUF file, e.g. `path: adapters/ckpt-200.gguf`") }
                guard let scaleNode = try entry.optional("scale") else { return Lora(path: path) }
                let scale = try scaleNode.double()
                guard scale.isFinite else { throw scaleNode.error("the scale must be a finite number, e.g. `scale: 0.5`") }
                return Lora(path: path, scale: scale)
            }
            let hint = "`a.gguf`, `a.gguf:SCALE` with a finite number (e.g. `ckpt-200.gguf:0.5`), or `{path: a.gguf, scale: 0.5}`"
            guard entry.isScalar else { throw entry.error("expected an adapter: \(hint); found \(entry.kind)") }
            let text = try entry.string()
            guard let lora = Lora.parse(text) else { throw entry.error("'\(text)' is not an adapter; write \(hint)") }
            return lora
        }
    }
}
