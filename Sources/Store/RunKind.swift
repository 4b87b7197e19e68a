/// What made a run. The raw values are what the store's `runs.kind` column holds.
public enum RunKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// `prep run`: archives to training sets.
    case prep
    /// `eval score`: a model scored on a prepared split.
    case score
    /// `eval import`: predictions made elsewhere, joined with a prepared split.
    case `import`
    /// `eval ensemble`: a vote over other runs' predictions.
    case ensemble

    /// The kinds of run that hold predictions (what `eval report`, `check`, `compare` read).
    public static let evalKinds: [RunKind] = [.score, .import, .ensemble]

    public var description: String { rawValue }
}
