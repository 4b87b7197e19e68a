/// A problem in a spec, located by file, line, column and key path.
public struct SpecError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    /// Dotted key path (`stages[2].sample.per_class`), or "" for the document.
    public let key: String
    public let message: String

    public init(file: String, line: Int, column: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        "\(file):\(line):\(column): \(key.isEmpty ? "" : "\(key): ")\(message)"
    }
}
