import Support

/// Errors of `eval score`, `eval import` and the commands that read runs.
public enum EvalRunError: Error, Equatable, CustomStringConvertible, ExitStatusProviding {
    /// 130 after Ctrl-C, as shells report it; 2 for everything else.
    public var exitStatus: Int32 {
        if case .interrupted = self { return 130 }
        return 2
    }

    case notPrepared(spec: String, detail: String)
    /// The output folder holds a split, but not one this spec prepared (another spec, an edited
    /// spec, or a file changed since): never read silently.
    case preparedElsewhere(spec: String, detail: String)
    case emptySplit(split: String, path: String)
    /// Few-shot examples drawn from the split being scored, or from a split with no labeled rows.
    case badFewShot(String)
    case badImport(file: String, line: Int, detail: String)
    /// A predictions file refused as a whole (no id in the prepared split, or warnings under `--strict`).
    case importRefused(file: String, detail: String)
    case interrupted(run: String, scored: Int, total: Int)
    /// LoRA adapters asked for with a backend that cannot apply them (a server loads its own).
    case adaptersNeedLlama(backend: String)
    /// The same adapter file twice in one run's list.
    case duplicateAdapter(path: String)
    /// `--each` with no adapter on the command line or in the spec.
    case nothingToSweep

    public var description: String {
        switch self {
        case let .badFewShot(detail): return "eval.fewshot: \(detail)"
        case let .notPrepared(spec, detail), let .preparedElsewhere(spec, detail): return "spec '\(spec)': \(detail)"
        case let .emptySplit(split, path): return "split '\(split)' (\(path)) has no items to score"
        case let .badImport(file, line, detail): return "\(file):\(line): \(detail)"
        case let .importRefused(file, detail): return "\(file): \(detail)"
        case let .adaptersNeedLlama(backend):
            return "LoRA adapters apply only with --backend llama; the \(backend) backend scores with whatever the server loaded "
                + "(start it with the adapter, e.g. `llama-server -m base.gguf --lora adapter.gguf`), so drop --lora and eval.lora"
        case let .duplicateAdapter(path):
            return "LoRA adapter \(path) is given twice; give each adapter once (with --each, each one is scored in a run of its own)"
        case .nothingToSweep:
            return "--each scores one run per LoRA adapter, but none is given; add them, e.g. --lora ckpt-200.gguf --lora ckpt-400.gguf --each"
        case let .interrupted(run, scored, total):
            return "interrupted: \(run) keeps \(scored) of \(total) scored items; run the same command again to resume"
        }
    }
}
