import ArgumentParser

@main
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score models on held-out splits, report, and gate regressions.",
        discussion: """
        (`eval` is also a shell builtin: call it as bin/eval.)

        Examples:
          bin/eval score specs/clickbait.yaml --model m.gguf --split valid
          bin/eval report run-3                      # -> reports/run-3.html
          bin/eval check run-4 --baseline run-3      # exit 1 on a significant regression
          bin/eval import preds.jsonl --spec specs/clickbait.yaml
          bin/eval attach-log run-3 trainer_state.json
          bin/eval ensemble run-3 run-4 run-5
          bin/eval compare run-3 run-4
          bin/eval runs
        """,
        subcommands: [Score.self, Report.self, Check.self, Import.self, AttachLog.self, Ensemble.self, Compare.self, Runs.self, BenchScorer.self, GradeSheet.self, ImportGrades.self]
    )
}
