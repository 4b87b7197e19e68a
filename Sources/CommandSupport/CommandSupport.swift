import ArgumentParser
import Support

/// `--db`, shared by every subcommand that touches the run store.
public struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The run store (SQLite).", valueName: "FILE"))
    public var db = "harness.sqlite"

    public init() {}
}

/// Maps domain errors to a message on stderr and exit code 2 (bad input); 1 is kept for failed checks.
public enum Failure {
    public static func guarded(_ body: () throws -> Void) throws {
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
