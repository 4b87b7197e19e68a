import JSON
import Support

/// One line of an imported predictions file, with its labels resolved against the spec's label set.
struct ImportedLine {
    let line: Int
    let id: String
    let predicted: String
    let gold: String?
    let scores: [String: Double]
    /// The whole line, for breakdown fields the file carries itself.
    let value: JSONValue
}

/// Reads `eval import` files: one JSON object per line with `id`, `predicted`, optional `gold` and `scores`.
enum PredictionFile {
    /// - throws: `EvalRunError.badImport` naming the line: malformed JSON, a missing key, a repeated id,
    ///   or a label that is neither in the spec's label set nor one of its verbalisations.
    static func read(_ file: String, labels: ImportLabels, spec: String) throws -> (lines: [ImportedLine], mapped: [String: String]) {
        let reader: LineReader
        do { reader = try LineReader(path: file) } catch { throw EvalRunError.badImport(file: file, line: 0, detail: "cannot open the file") }
        var lines: [ImportedLine] = []
        var mapped: [String: String] = [:]
        var seen = Set<String>()
        while let text = try reader.next() {
            if text.allSatisfy(\.isWhitespace) { continue }
            let n = reader.lineNumber
            func bad(_ detail: String) -> EvalRunError { .badImport(file: file, line: n, detail: detail) }
            let v: JSONValue
            do { v = try JSONParser.parse(text) } catch let e as JSONParser.Failure {
                throw bad("malformed JSON: \(e.message) at column \(e.column)")
            }
            guard let id = v["id"]?.scalarText else { throw bad("missing \"id\"") }
            guard let rawPredicted = v["predicted"]?.scalarText ?? v["prediction"]?.scalarText else { throw bad("missing \"predicted\" for id \(id)") }
            guard seen.insert(id).inserted else { throw bad("id \(id) appears twice") }
            func label(_ raw: String, key: String, other: Bool) throws -> String {
                guard let l = labels.resolve(raw, allowOther: other) else { throw bad(labels.unknown(raw, key: key, id: id, spec: spec)) }
                if l != raw { mapped[raw] = l }
                return l
            }
            let predicted = try label(rawPredicted, key: "predicted", other: true)
            let gold = try v["gold"]?.scalarText.map { try label($0, key: "gold", other: false) }
            var scores: [String: Double] = [:]
            if case let .object(m)? = v["scores"] {
                for (k, s) in m { if let d = s.scalarText.flatMap(Double.init) { scores[labels.resolve(k, allowOther: false) ?? k] = d } }
            }
            lines.append(ImportedLine(line: n, id: id, predicted: predicted, gold: gold, scores: scores, value: v))
        }
        guard !lines.isEmpty else { throw EvalRunError.badImport(file: file, line: 0, detail: "no predictions in the file") }
        return (lines, mapped)
    }
}
