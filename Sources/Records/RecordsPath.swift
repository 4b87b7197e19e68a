import JSON
import Support

/// Where the records of a wrapped document are (`source.records: data[*]`): each element its `[*]`
/// steps reach is one record, named by its own path for locations (`data[3]`).
///
///     let records = try RecordsPath("data[*]")
///     try records.elements(in: document)   // [(element, "data[0]"), (element, "data[1]"), ...]
///
/// An empty array gives no records. A key missing from some values along the way drops them; a path
/// that reaches nothing at all, or meets the wrong kind of value, is an error.
public struct RecordsPath: Hashable, Sendable, CustomStringConvertible {
    public let path: FieldPath
    public var description: String { path.description }

    /// - throws: `RecordError.badPath` when the text is not a path, starts with `$root` or has no `[*]`.
    public init(_ text: String) throws {
        path = try FieldPath(text)
        guard !path.fromRoot else {
            throw RecordError.badPath(text, reason: "`records` is always read from the whole document; drop '$root.'")
        }
        guard path.isMultiValued else {
            throw RecordError.badPath(text, reason: "name the elements with [*]: write '\(text)[*]' for every element of the array at '\(text)'")
        }
    }

    /// The elements that are records, each with its path in the document.
    /// - throws: `RecordError.recordsMatchedNothing` or `.recordsWrongKind`.
    public func elements(in document: JSONValue) throws -> [(value: JSONValue, path: String)] {
        var current: [(value: JSONValue, path: String)] = [(document, "")]
        for step in path.steps {
            var next: [(value: JSONValue, path: String)] = []
            for (value, at) in current {
                switch (step, value) {
                case let (.key(k), .object):
                    if let child = value[k] { next.append((child, at.isEmpty ? k : at + "." + k)) }
                case let (.everyElement, .array(items)):
                    next.reserveCapacity(next.count + items.count)
                    for (i, item) in items.enumerated() { next.append((item, at + "[\(i)]")) }
                case let (.element(i), .array(items)):
                    if i < items.count { next.append((items[i], at + "[\(i)]")) }
                case (.key, _):
                    throw RecordError.recordsWrongKind(path: path.description, at: at, expected: "an object", found: value.kindName, suggestion: nil)
                case (.everyElement, _), (.element, _):
                    throw RecordError.recordsWrongKind(path: path.description, at: at, expected: "an array", found: value.kindName,
                                                       suggestion: Self.arrayInside(value, at: at))
                }
            }
            if case .key = step, next.isEmpty, !current.isEmpty { throw missing(in: document) }
            current = next
        }
        return current
    }

    /// The error for a path whose key is in no value, with the nearest keys as a suggestion.
    private func missing(in document: JSONValue) -> RecordError {
        let near = path.nearestKeys(in: document)
        let rest = path.description.dropFirst(near.prefix.count).drop(while: { $0 == "." })
        let head = String(rest.prefix(while: { $0 != "." && $0 != "[" }))
        let tail = rest.dropFirst(head.count)
        let suggestion = Suggestions.closest(to: head, among: near.keys).map { (near.prefix.isEmpty ? $0 : near.prefix + "." + $0) + tail }
        return .recordsMatchedNothing(path: path.description, nearest: near.prefix, suggestion: suggestion)
    }

    /// For an object met where an array was expected: its first member holding an array, as `at.key[*]`.
    private static func arrayInside(_ value: JSONValue, at: String) -> String? {
        guard case let .object(members) = value else { return nil }
        return members.first { if case .array = $0.value { return true } else { return false } }
            .map { (at.isEmpty ? $0.key : at + "." + $0.key) + "[*]" }
    }
}
