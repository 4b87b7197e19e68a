import HarnessSpec
import Records
import Support

/// Solved examples put before each prompt (`eval.fewshot`): each is the prompt rendered for an
/// example row followed by its gold choice text, examples apart by a blank line.
struct FewShotBlock {
    let spec: EvalSpec.FewShot
    let prompt: Template
    let field: String
    let options: [(label: String, text: String)]
    /// Labeled original rows of the `from` split, by id.
    let pool: [Record]

    init(_ spec: EvalSpec.FewShot, eval: EvalSpec, pool records: [Record]) throws {
        guard case let .labels(field, options) = eval.choices else { throw EvalRunError.badFewShot("needs a fixed label set") }
        self.spec = spec
        prompt = eval.prompt
        self.field = field
        self.options = options
        let labels = Set(options.map(\.label))
        pool = records.filter { $0.origin == nil && labels.contains($0.fields[field] ?? "") }
            .sorted { ($0.fields["id"] ?? "") < ($1.fields["id"] ?? "") }
        guard !pool.isEmpty else { throw EvalRunError.badFewShot("the split '\(spec.from)' has no rows labeled \(options.map(\.label).joined(separator: ", "))") }
    }

    /// The examples for one item (`key` is the item's id for `resample: per_item`, "" for the shared block).
    func examples(key: String) -> [Record] {
        var rng = SeededRandom(seed: spec.seed, key: "fewshot:" + key)
        var picked: [Record] = []
        if spec.perClass {
            for (label, _) in options {
                var rows = pool.filter { $0.fields[field] == label }
                rng.shuffle(&rows)
                picked += rows.prefix(spec.k)
            }
            rng.shuffle(&picked)           // labels interleaved, not in spec order
        } else {
            var rows = pool
            rng.shuffle(&rows)
            picked = Array(rows.prefix(spec.k))
        }
        return picked
    }

    func text(_ examples: [Record]) -> String {
        examples.map { r in
            let answer = options.first { $0.label == r.fields[field] }?.text ?? ""
            return prompt.render { r.fields[$0] } + answer
        }.joined(separator: "\n\n") + "\n\n"
    }
}
