import Foundation
import Records
import Support

/// Reads a filled-in grade sheet back: any column order, found by the header names `id`, each
/// criterion, and (optional) `grader`; other columns are ignored. The text may be UTF-8 (with or
/// without a byte-order mark) or CP949/EUC-KR (`SheetText`), comma-, semicolon- or tab-separated (as
/// the header shows), with CRLF or LF line ends.
///
/// Rows are numbered as a spreadsheet shows them (the header is row 1), which is not the line number
/// when a prompt holds line breaks. Blank rows are skipped; an empty grade cell is ungraded.
/// Grades are read after NFKC (full-width ２ is 2) and may be written `2.0`.
public struct GradeSheetReader {
    /// One graded row.
    public struct Row: Equatable, Sendable {
        public let row: Int
        public let id: String
        public let grader: String
        /// (criterion, grade), in the criteria's order; ungraded criteria are absent.
        public let grades: [(criterion: String, grade: Int)]

        public static func == (a: Row, b: Row) -> Bool {
            a.row == b.row && a.id == b.id && a.grader == b.grader
                && a.grades.map(\.criterion) == b.grades.map(\.criterion) && a.grades.map(\.grade) == b.grades.map(\.grade)
        }
    }

    public let criteria: [String]
    public let scale: [Int]
    /// Item ids the run holds; any other id is an error naming its row.
    public let known: Set<String>
    /// The grader of rows whose `grader` cell is empty (`--grader`).
    public let defaultGrader: String?

    public init(criteria: [String], scale: [Int], known: Set<String>, defaultGrader: String?) {
        self.criteria = criteria; self.scale = scale; self.known = known
        self.defaultGrader = defaultGrader?.precomposedStringWithCanonicalMapping
    }

    /// The rows naming a grader (graded or not) and the charset the file was read as.
    /// - throws: `GradingError.sheet` (encoding, header) or `.row` (the first bad row).
    public func read(_ path: String, name: String? = nil) throws -> (rows: [Row], charset: String) {
        let file = name ?? path
        let (bytes, charset) = try SheetText.utf8(try FileSystem.read(path), file: file)
        var reader = CSVReader(bytes, delimiter: Self.delimiter(bytes))
        var rowNumber = 0
        func next() throws -> [String]? {
            do {
                let row = try reader.next()
                rowNumber += 1
                return row
            } catch let e as CSVReader.Failure {
                throw GradingError.row(file: file, row: rowNumber + 1, detail: e.message)
            }
        }
        guard let header = try next()?.map(Self.clean) else { throw GradingError.sheet(file: file, detail: "the file is empty; export a sheet with `bin/eval grade-sheet`") }
        let columns = try Self.columns(header, criteria: criteria, file: file)
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        while let cells = try next() {
            guard cells.contains(where: { !Self.clean($0).isEmpty }) else { continue }
            if let row = try parse(cells, row: rowNumber, columns: columns, file: file) {
                if let earlier = seen[row.id + "\u{0}" + row.grader] {
                    throw GradingError.row(file: file, row: row.row, detail: "item '\(row.id)' is already graded by '\(row.grader)' in row \(earlier)")
                }
                seen[row.id + "\u{0}" + row.grader] = row.row
                rows.append(row)
            }
        }
        return (rows, charset)
    }

    private func parse(_ cells: [String], row: Int, columns: (id: Int, grader: Int?, criteria: [Int]), file: String) throws -> Row? {
        func cell(_ i: Int) -> String { i < cells.count ? Self.clean(cells[i]) : "" }
        let id = cell(columns.id)
        var grades: [(String, Int)] = []
        for (criterion, i) in zip(criteria, columns.criteria) {
            let text = cell(i)
            if text.isEmpty { continue }
            guard let g = Self.grade(text), scale.contains(g) else {
                throw GradingError.row(file: file, row: row, detail: "grade '\(text)' for '\(criterion)' is not one of \(scale.map { "\($0)" }.joined(separator: ", "))"
                                       + " (column \(Self.letter(i)); leave the cell empty for ungraded)")
            }
            grades.append((criterion, g))
        }
        guard !id.isEmpty else {
            if grades.isEmpty { return nil }
            throw GradingError.row(file: file, row: row, detail: "the row has grades but no id (column \(Self.letter(columns.id)))")
        }
        guard known.contains(id) else {
            throw GradingError.row(file: file, row: row, detail: "no item '\(id)' in the run" + hint(id) + "; the sheet must come from `bin/eval grade-sheet` of the same run")
        }
        // NFC: a sheet saved on macOS may spell a Hangul name decomposed; it is the same grader.
        let named = (columns.grader.map(cell) ?? "").precomposedStringWithCanonicalMapping
        if !named.isEmpty, let d = defaultGrader, d != named {
            throw GradingError.row(file: file, row: row, detail: "the grader column says '\(named)' but --grader says '\(d)'; empty the column or drop --grader")
        }
        guard let grader = named.isEmpty ? defaultGrader : named else {
            if grades.isEmpty { return nil }
            throw GradingError.row(file: file, row: row, detail: "who graded it? fill the `grader` column or pass --grader NAME")
        }
        return Row(row: row, id: id, grader: grader, grades: grades)
    }

    /// Excel turns ids that look like numbers into numbers (`00123` becomes `123`): say so.
    private func hint(_ id: String) -> String {
        guard let n = Int(id), let match = known.first(where: { Int($0) == n }) else { return "" }
        return " (the run has '\(match)': a spreadsheet dropped its leading zeros; format the id column as text)"
    }

    /// Column indices of id, grader and each criterion. - throws: `GradingError.row` (row 1) naming the missing column.
    static func columns(_ header: [String], criteria: [String], file: String) throws -> (id: Int, grader: Int?, criteria: [Int]) {
        func find(_ name: String) throws -> Int {
            if let i = header.firstIndex(of: name) { return i }
            if let i = header.firstIndex(where: { $0.lowercased() == name.lowercased() }) { return i }
            let suggestion = Suggestions.closest(to: name, among: header).map { "; did you mean '\($0)'?" } ?? ""
            throw GradingError.row(file: file, row: 1, detail: "no column '\(name)' in the header\(suggestion) (columns: \(header.joined(separator: ", ")); criteria: \(criteria.joined(separator: ", ")))")
        }
        return (try find("id"), header.firstIndex { $0.lowercased() == "grader" }, try criteria.map(find))
    }

    /// A whole-number grade: `2`, ` 2 `, `2.0`, full-width `２`.
    static func grade(_ text: String) -> Int? {
        let t = text.precomposedStringWithCompatibilityMapping
        if let v = Int(t) { return v }
        if let d = Double(t), d.rounded() == d, abs(d) < 1e9 { return Int(d) }
        return nil
    }

    /// A cell without surrounding spaces and line breaks.
    static func clean(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The delimiter the header line uses: a comma unless it has none and a tab or semicolon instead.
    static func delimiter(_ bytes: [UInt8]) -> UInt8 {
        let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        if line.contains(UInt8(ascii: ",")) { return UInt8(ascii: ",") }
        if line.contains(0x09) { return 0x09 }
        if line.contains(UInt8(ascii: ";")) { return UInt8(ascii: ";") }
        return UInt8(ascii: ",")
    }

    /// A spreadsheet column letter: 0 is A, 26 is AA.
    static func letter(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; n = (n - 1) / 26 }
        return s
    }
}
