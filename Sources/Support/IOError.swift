/// A file could not be read or written.
public enum IOError: Error, Equatable, CustomStringConvertible {
    case failed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .failed(path, reason): return "\(path): \(reason)"
        }
    }
}
