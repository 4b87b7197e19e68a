import JSON

/// What one record's field rules read: its element, the whole document around it (for `$root.`
/// paths) and where it was read (for `$location`). Without `source.records` the element is the document.
///
///     let scope = RecordScope(item: element, root: document, location: "x.zip!a.json#data[3]")
///     try extractor.extract(from: scope)
public struct RecordScope: Sendable {
    public let item: JSONValue
    public let root: JSONValue
    public let location: String

    public init(item: JSONValue, root: JSONValue? = nil, location: String = "") {
        self.item = item
        self.root = root ?? item
        self.location = location
    }

    /// The document a path is read from: the whole document for `$root.` paths, else the element.
    func document(for path: FieldPath) -> JSONValue { path.fromRoot ? root : item }

    /// Every value `path` reaches, in document order.
    public func values(_ path: FieldPath) -> [JSONValue] { path.values(in: document(for: path)) }
}
