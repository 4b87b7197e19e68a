import JSON
import Support

/// What field rules read a record from: a parsed document around the record (`RecordScope`) or a
/// tape of its bytes (`TapeScope`). `FieldExtractor` reads both the same way.
public protocol FieldSource {
    associatedtype Node
    /// Every value `path` reaches, in document order (`$root.` paths from the whole document).
    func values(_ path: FieldPath) -> [Node]
    /// The first value `path` reaches (`values(path).first`, without a list when it reaches one).
    func first(_ path: FieldPath) -> Node?
    /// The scalar as text (nil for null, arrays and objects).
    func scalarText(_ node: Node) -> String?
    /// nil for a scalar or null; the kind's name ("an array") for an array or object.
    func containerKind(_ node: Node) -> String?
    func isNull(_ node: Node) -> Bool
    /// The scalar texts of `nodes` joined with `separator`; nil when none has a scalar text.
    func joinedText(_ nodes: [Node], separator: String) -> String?
    /// The JSON text of the value (or, `asList`, of the list of values).
    func jsonText(_ nodes: [Node], asList: Bool) -> String
    /// Where the record was read (`$location`).
    var location: String { get }
    /// The error for a path that matched nothing in this record.
    func nothing(at path: FieldPath, field: String) -> RecordError
}

extension FieldSource {
    public func first(_ path: FieldPath) -> Node? { values(path).first }
}

extension RecordScope: FieldSource {
    public func scalarText(_ node: JSONValue) -> String? { node.scalarText }

    public func containerKind(_ node: JSONValue) -> String? {
        node.kind.isContainer ? node.kindName : nil
    }

    public func isNull(_ node: JSONValue) -> Bool { node == .null }

    public func joinedText(_ nodes: [JSONValue], separator: String) -> String? {
        let parts = nodes.compactMap(\.scalarText)
        return parts.isEmpty ? nil : parts.joined(separator: separator)
    }

    public func jsonText(_ nodes: [JSONValue], asList: Bool) -> String {
        JSONWriter.serialize(asList ? .array(nodes) : nodes[0])
    }

    /// Names the deepest part of the path that exists and the closest key there ("did you mean").
    public func nothing(at path: FieldPath, field: String) -> RecordError {
        let near = path.nearestKeys(in: document(for: path))
        let missing = path.relative.dropFirst(near.prefix.count).drop(while: { $0 == "." || $0 == "[" })
        let head = String(missing.prefix(while: { $0 != "." && $0 != "[" }))
        // `$root.` paths are reported as written.
        let anchored = { (p: String) in path.fromRoot ? FieldPath.rootAnchor + "." + p : p }
        let suggestion = Suggestions.closest(to: head, among: near.keys).map {
            anchored(near.prefix.isEmpty ? $0 : near.prefix + "." + $0)
        }
        return RecordError.pathMatchedNothing(field: field, path: path.description, nearest: near.prefix.isEmpty ? "" : anchored(near.prefix),
                                              suggestion: suggestion)
    }
}
