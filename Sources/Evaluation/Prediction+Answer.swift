extension Prediction {
    /// The field that keeps a generated answer (`mode: generate`) with its prediction in the store.
    public static let answerField = "_answer"

    /// What the model generated, before it was mapped to `predicted`; nil for choice scoring.
    public var answer: String? {
        get { fields[Self.answerField] }
        set { fields[Self.answerField] = newValue }
    }
}
