/// How one record field is read from a JSON document (declared in a spec's `record:` section).
public indirect enum FieldRule: Equatable, Sendable {
    /// The scalar at a path (`sourceDataInfo.newsID`).
    case path(FieldPath)
    /// The first of several rules that yields a non-null value.
    case first([FieldRule])
    /// All values at a multi-valued path joined with a separator; `or` is tried when nothing matches.
    case join(FieldPath, separator: String, or: FieldRule?)
    /// A value translated through a table (`clickbaitClass` 0 -> clickbait); `fallback` for unlisted values.
    case map(FieldRule, table: [String: String], fallback: String?)
    /// A fixed text.
    case constant(String)
    /// The JSON text of whatever the path reaches (a list of turns, an object), for list-aware stages.
    case json(FieldPath)
    /// Filled by the HTML page reader (`source.kind: html`), not from JSON; the text says how
    /// (its XPaths, or `auto`), for messages.
    case page(String)
    /// `$location`: where the record was read (`x.zip!a.json#data[3]`), unique per record: an id for
    /// elements that have none.
    case location
}

/// A named record field and its rule.
public struct FieldSpec: Equatable, Sendable {
    public let name: String
    public let rule: FieldRule
    /// When true, a path that matches nothing gives null instead of an error.
    public let optional: Bool

    public init(name: String, rule: FieldRule, optional: Bool = false) {
        self.name = name
        self.rule = rule
        self.optional = optional
    }
}
