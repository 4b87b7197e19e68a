import ArgumentParser
import CommandSupport

@main
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score models on held-out splits, report, and gate regressions.",
        discussion: """
        Examples:
          bin/eval runs
        """,
        subcommands: [Runs.self]
    )
}
