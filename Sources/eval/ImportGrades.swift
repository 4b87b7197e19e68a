import ArgumentParser
import CommandSupport
import EvalRun
import Store

extension EvalCommand {
    struct ImportGrades: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store the grades of a filled-in grade sheet (from `eval grade-sheet`) with its run.",
            discussion: """
            Reads CSV as Excel saves it: UTF-8 with or without a byte-order mark, or CP949/EUC-KR; CRLF or LF. \
            Columns are found by their header (id, each criterion, grader); an empty grade cell is ungraded. \
            Each row's grader is its grader cell, or --grader when the cell is empty. The grades a grader \
            gave this run before are replaced. Any bad cell or unknown id refuses the whole sheet, naming \
            the row as the spreadsheet numbers it (the header is row 1), and nothing is stored.

            Examples:
              bin/eval import-grades run-3 grades/run-3-kim.csv --grader kim
              bin/eval import-grades run-3 grades/run-3-lee.csv --grader lee
              bin/eval report run-3        # mean grades, kappa between kim and lee
            """
        )

        @Argument(help: ArgumentHelp("The run the sheet was made from, e.g. run-3.", valueName: "run"))
        var runName: String

        @Argument(help: ArgumentHelp("The filled-in sheet (CSV).", valueName: "sheet"))
        var sheet: String

        @Option(help: ArgumentHelp("Who graded the rows whose grader cell is empty.", valueName: "NAME"))
        var grader: String?

        @Option(help: ArgumentHelp("The spec with eval.grading (default: the one the run was scored with).", valueName: "FILE"))
        var spec: String?

        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.run { store in
                let context = try GradingContext(store: store, run: try store.resolve(runName, kinds: RunKind.evalKinds), specPath: spec)
                let o = try GradeImport.run(sheet: sheet, context: context, store: store, grader: grader)
                let who = o.graders.map { "\($0.name) (\($0.grades) grades of \($0.items) items)" }.joined(separator: ", ")
                print("\(o.run): stored \(who) from \(sheet) (read as \(o.charset)); \(o.ungraded) \(o.ungraded == 1 ? "item has" : "items have") no grade in it")
            }
        }
    }
}
