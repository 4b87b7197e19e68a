/// Errors raised while turning JSON into records and writing them.
public enum RecordError: Error, Equatable, CustomStringConvertible {
    /// A field path that does not parse.
    case badPath(String, reason: String)
    /// A field path that reaches nothing in a document.
    case pathMatchedNothing(field: String, path: String, nearest: String, suggestion: String?)
    /// A value a `map` does not cover.
    case unmappedValue(field: String, path: String, value: String, known: [String])
    /// A path that reaches an object or array where a scalar was expected.
    case notScalar(field: String, path: String, kind: String)
    /// The `source.records` path reaches nothing in a document.
    case recordsMatchedNothing(path: String, nearest: String, suggestion: String?)
    /// The `source.records` path meets the wrong kind of value at `at` ("" = the document itself):
    /// a `[*]` step on something that is not an array, or a key on something that is not an object.
    case recordsWrongKind(path: String, at: String, expected: String, found: String, suggestion: String?)

    public var description: String {
        switch self {
        case let .badPath(p, reason): return "invalid field path '\(p)': \(reason)"
        case let .pathMatchedNothing(field, path, nearest, suggestion):
            var s = "field '\(field)': path '\(path)' matches nothing"
            if !nearest.isEmpty { s += " (it stops after '\(nearest)')" }
            s += suggestion.map { "; did you mean '\($0)'?" } ?? "."
            return s + " Mark the field `optional: true` or give a fallback with `first:` if some entries lack it."
        case let .unmappedValue(field, path, value, known):
            return "field '\(field)': value '\(value)' at '\(path)' is not in its map (known: \(known.joined(separator: ", "))); add it to `map:` or set `default:`"
        case let .notScalar(field, path, kind):
            return "field '\(field)': path '\(path)' reaches \(kind), not a text or number; use `join:` for lists"
        case let .recordsMatchedNothing(path, nearest, suggestion):
            var s = "`source.records` path '\(path)' matches nothing"
            if !nearest.isEmpty { s += " (it stops after '\(nearest)')" }
            s += suggestion.map { "; did you mean '\($0)'?" } ?? "."
            return s + " Point `records` at the array whose elements are the records, e.g. `records: \"data[*]\"`."
        case let .recordsWrongKind(path, at, expected, found, suggestion):
            var s = "`source.records` path '\(path)': \(at.isEmpty ? "the document" : "'\(at)'") is \(found), not \(expected)"
            s += suggestion.map { "; did you mean '\($0)'?" } ?? "."
            return s + " Point `records` at the array whose elements are the records, e.g. `records: \"data[*]\"`."
        }
    }
}
