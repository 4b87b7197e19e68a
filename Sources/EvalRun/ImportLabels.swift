import Foundation
import HarnessSpec
import Support

/// The labels an imported file may use: the spec's label set, plus each label's verbalisation
/// (`" 낚시성 기사"` -> `clickbait`, compared trimmed), plus `(other)` for a generated answer that
/// matched no label (as `eval score` in generate mode stores it).
struct ImportLabels {
    /// What `eval score` predicts when a generated answer names no label.
    static let other = "(other)"

    let labels: [String]
    /// Trimmed verbalisation -> label.
    let verbalized: [(text: String, label: String)]

    init(_ eval: EvalSpec) {
        switch eval.choices {
        case let .labels(_, options):
            labels = options.map(\.label)
            verbalized = options.map { (Self.trimmed($0.text), $0.label) }.filter { !$0.0.isEmpty }
        case let .fields(names, _):
            labels = names
            verbalized = []
        }
    }

    /// The label `value` stands for: itself, or the label it verbalises; nil when it is neither.
    func resolve(_ value: String, allowOther: Bool) -> String? {
        if labels.contains(value) || (allowOther && value == Self.other) { return value }
        let t = Self.trimmed(value)
        if labels.contains(t) { return t }
        return verbalized.first { $0.text == t }?.label
    }

    /// Why `value` is refused: the known labels, their verbalisations, and the closest of them.
    func unknown(_ value: String, key: String, id: String, spec: String) -> String {
        var s = "\"\(key)\" of id \(id) is '\(value)', which is not a label of spec '\(spec)' (labels: \(labels.joined(separator: ", "))"
        if !verbalized.isEmpty { s += "; or their verbalisations: " + verbalized.map { "'\($0.text)'" }.joined(separator: ", ") }
        s += ")"
        let candidates = labels + verbalized.map(\.text)
        if let near = Suggestions.closest(to: Self.trimmed(value), among: candidates) {
            let label = verbalized.first { $0.text == near }?.label
            s += "; did you mean '\(near)'" + (label.map { " (\($0))" } ?? "") + "?"
        }
        return s
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
}
