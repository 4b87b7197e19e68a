import ArgumentParser
import CommandSupport
import Korean
import Records
import Support

extension PrepCommand {
    /// `prep bench-kiwi FILE.jsonl`: Kiwi's throughput on one field of a JSONL file (bench/run.sh).
    struct BenchKiwi: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-kiwi",
            abstract: "Kiwi's throughput (sentences/s, MB/s) on one text field of a JSONL file, as one JSON line.",
            shouldDisplay: false)

        @Argument(help: ArgumentHelp("Records, one JSON object a line (e.g. bench/work/out-ingest/records.jsonl).", valueName: "FILE.jsonl"))
        var file: String

        @Option(help: "The text field to analyse.")
        var field: String = "body"

        @Option(help: "Analyse at most this many texts (default: all).")
        var limit: Int?

        func run() throws {
            try Failure.guarded {
                var texts: [String] = []
                let reader = try LineReader(path: file)
                while let line = try reader.next(), texts.count < (limit ?? Int.max) {
                    if line.isEmpty { continue }
                    if let t = try RecordCoding.record(fromJSONLine: line[...]).fields[field], !t.isEmpty { texts.append(t) }
                }
                if texts.isEmpty { throw ValidationError("\(file) has no non-empty '\(field)' field; pick another with --field") }
                let loadStart = Clock.now()
                let kiwi = try Kiwi()
                let load = Clock.now() - loadStart
                var sentences = 0, morphemes = 0
                let start = Clock.now()
                for t in texts {
                    let tokens = try kiwi.tokenize(t)
                    morphemes += tokens.count
                    sentences += tokens.last.map { $0.sentence + 1 } ?? 0
                }
                let seconds = Clock.now() - start
                let mb = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1_000_000
                func r(_ x: Double) -> String { Format.number(x, digits: x < 10 ? 3 : 1) }
                print("{\"kiwi\": \"\(Kiwi.version)\", \"field\": \"\(field)\", \"texts\": \(texts.count), \"sentences\": \(sentences), "
                    + "\"morphemes\": \(morphemes), \"mb\": \(r(mb)), \"load_seconds\": \(r(load)), \"seconds\": \(r(seconds)), "
                    + "\"sentences_per_s\": \(r(Double(sentences) / seconds)), \"mb_per_s\": \(r(mb / seconds)), "
                    + "\"morphemes_per_s\": \(r(Double(morphemes) / seconds)), \"threads\": 1}")
            }
        }
    }
}
