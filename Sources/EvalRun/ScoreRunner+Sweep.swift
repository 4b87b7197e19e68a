import HarnessSpec
import Scoring
import Store

extension ScoreRunner {
    /// `eval score --each`: one score run per LoRA adapter (`--lora`, else `eval.lora`), the base model
    /// loaded once: a checkpoint sweep in one command. Each run records its own adapter and is resumed
    /// on its own; the scorer is made once, with every adapter loaded up front, so an adapter that
    /// llama.cpp refuses stops the sweep before its first run is recorded.
    ///
    /// - Parameter makeScorer: as for `run(scorer:)`; it gets every adapter of the sweep to load, and
    ///   must return a `LoraSwitching` scorer (the llama backend).
    /// - throws: `EvalRunError.nothingToSweep`, and what `run(scorer:)` throws.
    public static func sweep(spec: Spec, store: RunStore, options: Options, progress: Bool? = nil,
                             scorer makeScorer: (_ exact: Bool, _ adapters: [LoraAdapter]) throws -> any ChoiceScoring & Generating,
                             each onOutcome: (_ adapter: EvalSpec.Lora, _ outcome: Outcome) -> Void = { _, _ in }) throws -> [Outcome] {
        let adapters = try options.lora ?? EvalSpec.lora(in: spec)
        guard !adapters.isEmpty else { throw EvalRunError.nothingToSweep }
        // Every file is checked before the first run begins (the scorer may load only later).
        for a in adapters { _ = try AdapterRecord.check([a], backend: options.backend) }
        var shared: (any ChoiceScoring & Generating & LoraSwitching)?
        var outcomes: [Outcome] = []
        for adapter in adapters {
            var one = options
            one.lora = [adapter]
            let outcome = try ScoreRunner(spec: spec, store: store, options: one).run(scorer: { exact, active in
                if shared == nil {
                    let all = adapters.map { LoraAdapter(path: $0.path, scale: Float($0.scale)) }
                    guard let scorer = try makeScorer(exact, []) as? any ChoiceScoring & Generating & LoraSwitching else {
                        throw EvalRunError.adaptersNeedLlama(backend: options.backend)
                    }
                    try scorer.loadAdapters(all)
                    shared = scorer
                }
                try shared!.useAdapters(active)
                return shared!
            }, progress: progress)
            onOutcome(adapter, outcome)
            outcomes.append(outcome)
        }
        return outcomes
    }
}
