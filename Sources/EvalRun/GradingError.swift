import Support

/// Errors of `eval grade-sheet` and `eval import-grades`. Every one exits 2 and stores nothing.
public enum GradingError: Error, Equatable, CustomStringConvertible, ExitStatusProviding {
    public var exitStatus: Int32 { 2 }

    /// The spec has no `eval.grading` section.
    case noGrading(spec: String)
    /// The run records no spec (or its file is gone) and none was given.
    case noSpec(run: String, detail: String)
    /// A problem with one row of a sheet; `row` is the spreadsheet's row number (the header is row 1).
    case row(file: String, row: Int, detail: String)
    /// A problem with the sheet as a whole (its encoding, its header).
    case sheet(file: String, detail: String)

    public var description: String {
        switch self {
        case let .noGrading(spec):
            return "\(spec): the spec has no `eval.grading` section; add one, e.g. `grading: {criteria: [accuracy, detail], scale: [0, 1, 2], category: type}`"
        case let .noSpec(run, detail): return "\(run): \(detail); name the spec with --spec"
        case let .row(file, row, detail): return "\(file) row \(row): \(detail)"
        case let .sheet(file, detail): return "\(file): \(detail)"
        }
    }
}
