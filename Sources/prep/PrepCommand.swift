import ArgumentParser
import CommandSupport

@main
struct PrepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prep",
        abstract: "Turn AI Hub archives into clean records, samples and instruction sets, as a spec declares.",
        discussion: """
        Examples:
          bin/prep check specs/clickbait.yaml
          bin/prep run specs/clickbait.yaml
          bin/prep run specs/clickbait.yaml --data ~/aihub/146 --force
          bin/prep report run-1 --by type --text title
          bin/prep audit latest                  # exit 1 if rows leak between splits
          bin/prep runs
        """,
        subcommands: [Run.self, Check.self, Report.self, Audit.self, Runs.self, BenchKiwi.self]
    )
}
