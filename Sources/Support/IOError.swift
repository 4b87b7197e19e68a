/// A file could not be read or written.
public enum IOError: Error, Equatable, CustomStringConvertible {
    case failed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .failed(path, reason): return "\(path): \(reason)"
        }
    }
}

/// An error that asks for a particular exit status (e.g. 130 after Ctrl-C) instead of 2.
public protocol ExitStatusProviding: Error {
    var exitStatus: Int32 { get }
}
