import ArgumentParser
import Logging
#if canImport(Glibc)
import Glibc
#endif
import Store
import Support

/// `--db`, shared by every subcommand that touches the run store.
public struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The run store (SQLite).", valueName: "FILE"))
    public var db = "harness.sqlite"

    public init() {}

    /// The run store `--db` names (created when missing).
    public func open() throws -> RunStore { try RunStore(path: db) }

    /// A subcommand's body with the store open, its errors mapped by `Failure.guarded`:
    ///
    ///     func run() throws {
    ///         try store.run { store in print(try store.runs(limit: 5).map(\.name)) }
    ///     }
    public func run(_ body: (RunStore) throws -> Void) throws {
        try Failure.guarded { try body(try open()) }
    }
}

/// Maps domain errors to a message on stderr and exit code 2 (bad input); 1 is kept for failed checks.
public enum Failure {
    public static func guarded(_ body: () throws -> Void) throws {
        Logs.bootstrap()
        do {
            try body()
        } catch let e as ExitCode {
            throw e
        } catch let e as CleanExit {
            throw e
        } catch {
            Terminal.error("error: \(error)\n")
            throw ExitCode((error as? any ExitStatusProviding)?.exitStatus ?? 2)
        }
    }
}

/// Log lines go to stderr; the level comes from `HARNESS_LOG` (trace, debug, info, notice, warning,
/// error; default warning), so CI logs stay quiet unless asked.
public enum Logs {
    nonisolated(unsafe) private static var done = false

    public static func bootstrap() {
        guard !done else { return }
        done = true
        let level = ProcessInfoLite.environment("HARNESS_LOG").flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

enum ProcessInfoLite {
    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
