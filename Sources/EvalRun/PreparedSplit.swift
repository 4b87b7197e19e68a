import HarnessSpec
import Records
import Store
import Support

/// The records of one split written by the latest successful `prep run` of a spec.
public struct PreparedSplit {
    public let prepRun: Int
    public let path: String
    public let records: [Record]
    public let columns: [String]

    /// - throws: `EvalRunError.notPrepared` (no prep run, or no such split) naming what exists.
    public static func load(store: RunStore, spec: Spec, split: String) throws -> PreparedSplit {
        guard let run = try store.latestRun(kind: "prep", specName: spec.name) else {
            throw EvalRunError.notPrepared(spec: spec.name, detail: "no finished prep run; run `bin/prep run \(spec.file)` first")
        }
        let outputs = try store.stages(run: run.id).last?.artifacts ?? []
        let names = outputs.map { String($0.path.split(separator: "/").last ?? "") }
            .filter { $0.hasSuffix(".jsonl") && $0.split(separator: ".").count == 2 }.map { String($0.dropLast(6)) }
        guard let artifact = outputs.first(where: { $0.path.hasSuffix("/\(split).jsonl") }) else {
            throw EvalRunError.notPrepared(spec: spec.name, detail: "\(run.name) has no split '\(split)' (it has: \(names.joined(separator: ", "))); pick one with --split")
        }
        guard FileSystem.size(artifact.path) == artifact.bytes else {
            throw EvalRunError.notPrepared(spec: spec.name, detail: "\(artifact.path) changed or vanished since \(run.name); run `bin/prep run \(spec.file)` again")
        }
        var records: [Record] = []
        var columns: [String] = []
        let reader = try LineReader(path: artifact.path)
        while let line = try reader.next() {
            if line.isEmpty { continue }
            if columns.isEmpty, case let .object(m)? = try? JSONParser.parse(line) {
                columns = m.map(\.key).filter { !$0.hasPrefix("_") }
            }
            records.append(try RecordCoding.record(fromJSONLine: line[...]))
        }
        return PreparedSplit(prepRun: run.id, path: artifact.path, records: records, columns: columns)
    }
}
