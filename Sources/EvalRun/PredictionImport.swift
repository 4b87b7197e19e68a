import Evaluation
import HarnessSpec
import Records
import Store
import Support

/// `eval import`: predictions made elsewhere (one JSON object per line: `id`, `predicted`, optional
/// `gold` and `scores` {label: number}) become a run, joined by id with the spec's prepared split for
/// gold labels and breakdown fields.
public enum PredictionImport {
    public struct Outcome {
        public let run: Int
        public let items: Int
        public let joined: Int
    }

    public static func run(file: String, spec: Spec, split: String?, store: RunStore) throws -> Outcome {
        let evalSpec = try? EvalSpec.parse(spec, fields: spec.fieldNames + ["instruction", "input", "output", "variant"])
        let splitName = split ?? evalSpec?.split ?? "valid"
        let prepared = try? PreparedSplit.load(store: store, spec: spec, split: splitName)
        let byID = Dictionary((prepared?.records ?? []).map { ($0.fields["id"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let keep = (evalSpec?.breakdown ?? []) + (evalSpec?.show ?? [])
        var predictions: [Prediction] = []
        var joined = 0
        let reader: LineReader
        do { reader = try LineReader(path: file) } catch { throw EvalRunError.badImport(file: file, line: 0, detail: "cannot open the file") }
        var seen = Set<String>()
        while let line = try reader.next() {
            if line.allSatisfy(\.isWhitespace) { continue }
            let n = reader.lineNumber
            let v: JSONValue
            do { v = try JSONParser.parse(line) } catch let e as JSONParser.Failure {
                throw EvalRunError.badImport(file: file, line: n, detail: "malformed JSON: \(e.message) at column \(e.column)")
            }
            guard let id = v["id"]?.scalarText else { throw EvalRunError.badImport(file: file, line: n, detail: "missing \"id\"") }
            guard let predicted = v["predicted"]?.scalarText ?? v["prediction"]?.scalarText else {
                throw EvalRunError.badImport(file: file, line: n, detail: "missing \"predicted\" for id \(id)")
            }
            guard seen.insert(id).inserted else { throw EvalRunError.badImport(file: file, line: n, detail: "id \(id) appears twice") }
            let record = byID[id]
            if record != nil { joined += 1 }
            var scores: [String: Double] = [:]
            if case let .object(m)? = v["scores"] { for (k, s) in m { if let d = s.scalarText.flatMap(Double.init) { scores[k] = d } } }
            var fields: [String: String] = [:]
            for f in keep { if let x = v[f]?.scalarText ?? record?.fields[f] { fields[f] = x } }
            let gold = v["gold"]?.scalarText ?? evalSpec?.gold.flatMap { record?.fields[$0] }
            predictions.append(Prediction(id: id, gold: gold, predicted: predicted, scores: scores, fields: fields))
        }
        guard !predictions.isEmpty else { throw EvalRunError.badImport(file: file, line: 0, detail: "no predictions in the file") }
        let settings: JSONValue = .object([("source", .string(file)), ("split", .string(splitName)),
                                           ("breakdown", .array((evalSpec?.breakdown ?? []).map { .string($0) })),
                                           ("show", .array((evalSpec?.show ?? []).map { .string($0) }))])
        let run = try store.beginRun(kind: "import", spec: SpecIdentity(name: spec.name, path: spec.file, digest: spec.digest, version: spec.version),
                                     settings: settings, parent: prepared?.prepRun)
        try store.savePredictions(run: run, predictions.map(RunPredictions.stored))
        let accuracy = try? ClassificationReport(predictions).accuracy
        try store.finishRun(run, status: "done", seconds: 0, summary: .object([("items", .number(String(predictions.count))),
                                                                               ("accuracy", accuracy.map { .number(String($0)) } ?? .null)]))
        return Outcome(run: run, items: predictions.count, joined: joined)
    }
}
