import ArgumentParser
import CommandSupport
import EvalRun
import Store

extension EvalCommand {
    struct GradeSheet: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a CSV of a run's items for people to grade on the spec's eval.grading criteria.",
            discussion: """
            Columns: id, the category field (eval.grading.category), prompt, output (the generated answer, \
            or the chosen label), predicted, gold, one empty column per criterion, and grader. UTF-8 with a \
            byte-order mark, so Excel shows Hangul; fill in the grades (and your name under grader) and read \
            the sheet back with `eval import-grades`.

            Example, with `grading: {criteria: [accuracy, detail], scale: [0, 1, 2], category: type}` under eval:
              bin/eval grade-sheet run-3 --out grades/run-3.csv
            """
        )

        @Argument(help: ArgumentHelp("The run, e.g. run-3 (or latest).", valueName: "run"))
        var runName: String

        @Option(help: ArgumentHelp("Where to write the sheet (CSV).", valueName: "FILE"))
        var out: String

        @Option(help: ArgumentHelp("The spec with eval.grading (default: the one the run was scored with).", valueName: "FILE"))
        var spec: String?

        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.run { store in
                let context = try GradingContext(store: store, run: try store.resolve(runName, kinds: RunKind.evalKinds), specPath: spec)
                let rows = try GradeSheetExport.write(context, to: out)
                let g = context.grading
                print("wrote \(out): \(rows) items of \(context.run.name) to grade on \(g.criteria.joined(separator: ", ")) "
                      + "(grades \(g.scale.map { "\($0)" }.joined(separator: ", "))\(g.scale == [0, 1, 2] ? ", the default scale" : ""))")
            }
        }
    }
}
