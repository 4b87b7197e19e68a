/// What `eval import` noticed in a file but let through; `eval import --strict` refuses the file instead.
public enum ImportWarning: Equatable, Sendable, CustomStringConvertible {
    /// Ids that the prepared split does not hold; their lines were left out of the run.
    case unknownIDs(count: Int, examples: [String], split: String, path: String)
    /// Lines whose `gold` disagrees with the prepared split's gold label; the split's label was used.
    /// Each example reads `id (file: x, split: y)`.
    case goldDisagrees(count: Int, examples: [String], split: String)

    public var description: String {
        switch self {
        case let .unknownIDs(count, examples, split, path):
            return "\(count) \(count == 1 ? "id is" : "ids are") not in the prepared split '\(split)' (\(path)) and "
                + "\(count == 1 ? "was" : "were") left out: \(Self.list(examples, count))"
        case let .goldDisagrees(count, examples, split):
            return "\(count) \(count == 1 ? "line gives" : "lines give") a \"gold\" that disagrees with the prepared split '\(split)'; "
                + "the prepared split's gold was used: \(Self.list(examples, count))"
        }
    }

    static func list(_ examples: [String], _ count: Int) -> String {
        examples.joined(separator: ", ") + (count > examples.count ? ", ..." : "")
    }
}
