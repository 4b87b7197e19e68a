import Evaluation
import HarnessSpec
import Records
import Support

/// `eval grade-sheet`: a CSV of a run's items for people to grade, one row per item:
///
///     id, <category field>, prompt, output, predicted, gold, <criterion>..., grader
///
/// `output` is the generated answer (generate mode) or the chosen label; the criterion and `grader`
/// columns are empty for graders to fill. UTF-8 with a byte-order mark and CRLF line ends, so that
/// Excel opens Hangul correctly; written by atomic rename.
public enum GradeSheetExport {
    /// The header of a sheet for this grading.
    public static func header(_ grading: EvalSpec.Grading) -> [String] {
        ["id"] + (grading.category.map { [$0] } ?? []) + ["prompt", "output", "predicted", "gold"] + grading.criteria + ["grader"]
    }

    /// Writes the sheet and returns its row count. The prompt needs the prepared split the run was
    /// scored on. - throws: that split's `EvalRunError` when it cannot be read; `IOError` from writing.
    public static func write(_ context: GradingContext, to path: String) throws -> Int {
        if let e = context.preparedError { throw e }
        var text = "\u{FEFF}" + header(context.grading).map(RecordCoding.csvField).joined(separator: ",") + "\r\n"
        for p in context.predictions {
            let shown = (context.grading.category == nil ? [] : [context.category(of: p) ?? ""])
                + [context.prompt(of: p) ?? "", GradingContext.output(of: p), p.predicted, p.gold ?? ""]
            let cells = [p.id] + shown.map(inert) + Array(repeating: "", count: context.grading.criteria.count + 1)
            text += cells.map(RecordCoding.csvField).joined(separator: ",") + "\r\n"
        }
        try AtomicFile.write(text, to: path)
        return context.predictions.count
    }

    /// Text a spreadsheet would run as a formula (starting with =, +, -, @) gets a leading apostrophe,
    /// which Excel shows as plain text. Only shown columns are changed; ids and grades are read back.
    static func inert(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}
