/// Why a fleet of servers (`ServerFleet`) could not score; each message names every server involved.
public enum FleetError: Error, Equatable, CustomStringConvertible {
    /// No server URL was given.
    case noServers
    /// Every server failed; `failures` holds each one's URL and last error, in the order given.
    case allServersDown(failures: [ServerFailure])
    /// The servers serve different models (`models`: each URL and what `GET /v1/models` describes).
    case modelMismatch(models: [ServerFailure])

    /// A server and what it said (its last error, or its model).
    public struct ServerFailure: Equatable, Sendable {
        public let url: String
        public let reason: String
        public init(url: String, reason: String) { self.url = url; self.reason = reason }
    }

    public var description: String {
        switch self {
        case .noServers:
            return "no server to score with; give --url URL (repeatable) or --hosts FILE with one URL per line"
        case let .allServersDown(failures):
            return "every server failed, so nothing is left to score with:\n"
                + failures.map { "  \($0.url): \($0.reason)" }.joined(separator: "\n")
                + "\nrestart the servers (or fix the URLs) and run the same command again: what was scored is kept"
        case let .modelMismatch(models):
            return "the servers do not serve the same model, so their scores would not be comparable:\n"
                + models.map { "  \($0.url): \($0.reason)" }.joined(separator: "\n")
                + "\nstart every server with the same model file, or score with each model in a run of its own"
        }
    }
}
