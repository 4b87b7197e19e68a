import ArgumentParser
import CommandSupport
import Prep
import JSON
import Reporting
import Store
import Support

extension PrepCommand {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List rows that appear, exactly or nearly, in two splits of a prep run (or in an outside set). Exit 1 if any.",
            discussion: """
            Compares the run's final split files (train, valid, test, ...; augmented copies left out) by
            MinHash over character 5-grams, with the exact Jaccard similarity of every pair reported.
            The fields and threshold default to those of the spec's `dedup` stage.

            Examples:
              bin/prep audit run-3                                  # leakage between the run's splits
              bin/prep audit run-3 --against klue-ynat-dev.jsonl    # is this benchmark in my data?
              bin/prep audit run-3 --fields title,body --threshold 0.7 --out pairs.jsonl

            Exit status: 0 no pair crosses, 1 pairs cross (listed), 2 bad input.
            """)

        @Argument(help: ArgumentHelp("The prep run, e.g. run-1 or latest.", valueName: "run"))
        var runName: String

        @Option(help: ArgumentHelp("An outside JSONL file (one object per line) to compare the run's rows with, instead of its splits with each other.", valueName: "FILE"))
        var against: String?

        @Option(help: ArgumentHelp("Fields to compare, comma-separated (default: the spec's dedup fields).", valueName: "a,b"))
        var fields: String?

        @Option(help: "Jaccard similarity from which a pair counts (default: the dedup threshold, else 0.8).")
        var threshold: Double?

        @Option(help: "Pairs to print (all of them go to --out).")
        var limit = 20

        @Option(help: ArgumentHelp("Write every pair as JSON lines to this file.", valueName: "FILE"))
        var out: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if let t = threshold, !(t > 0 && t <= 1) { throw ValidationError("--threshold must be above 0 and at most 1, e.g. 0.8") }
            if limit < 0 { throw ValidationError("--limit cannot be negative") }
        }

        func run() throws {
            var crossed = false
            try store.run { store in
                let id = try store.resolve(runName, kinds: [.prep], finished: true)
                let info = try store.run(id)
                let stages = try store.stages(run: id)
                try DatasetReport.checkOutputs(of: info, stages: stages, store: store)
                let stored = LeakAudit.settings(of: stages)
                let fieldList = fields.map { $0.split(separator: ",").map { String($0).trimmed } }.flatMap { $0.isEmpty ? nil : $0 } ?? stored?.fields
                guard let fieldList else {
                    throw PrepError.audit("\(info.name) has no dedup stage to take the fields from; say which to compare, e.g. --fields title,body")
                }
                let audit = LeakAudit(fields: fieldList, threshold: threshold ?? stored?.threshold ?? 0.8, ngram: stored?.ngram ?? 5, seed: stored?.seed ?? 1)
                var rows = try audit.rows(ofRun: stages)
                let outside = against.map { "outside:" + ($0.split(separator: "/").last.map(String.init) ?? $0) }
                if let against, let outside { rows += try audit.rows(ofFile: against, group: outside) }
                let result = try audit.run(rows, outsideGroup: outside)
                if let out { try AtomicFile.write(result.pairs.map { JSONWriter.serialize($0.json) + "\n" }.joined(), to: out) }
                print(Self.text(result, audit: audit, run: info.name, against: against, limit: limit, out: out))
                crossed = !result.pairs.isEmpty
            }
            if crossed { throw ExitCode(1) }
        }

        static func text(_ r: LeakAudit.Result, audit: LeakAudit, run: String, against: String?, limit: Int, out: String?) -> String {
            let what = "\(audit.fields.joined(separator: "+")), Jaccard ≥ \(Format.number(audit.threshold, digits: 2)) over \(audit.ngram)-character shingles"
            let scope = against.map { "\(run) against \($0)" } ?? "\(run): splits against each other"
            guard !r.pairs.isEmpty else { return "audit \(scope) (\(r.rows) rows; \(what)): no pair crosses" }
            var lines = ["audit \(scope) (\(r.rows) rows; \(what)): \(r.pairs.count) pair\(r.pairs.count == 1 ? "" : "s") cross"]
            for c in r.counts { lines.append("  \(c.groups): \(c.exact) exact, \(c.near) near") }
            for p in r.pairs.prefix(limit) {
                lines.append("  \(p.aGroup) \(p.a) ~ \(p.bGroup) \(p.b)  \(p.exact ? "exact" : "J=" + Format.number(p.jaccard, digits: 3))  \(p.snippet)")
            }
            if r.pairs.count > limit { lines.append("  ... \(r.pairs.count - limit) more" + (out == nil ? " (--out FILE writes them all)" : "")) }
            if let out { lines.append("  all pairs: \(out)") }
            return lines.joined(separator: "\n")
        }
    }
}

private extension String {
    var trimmed: String { String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()) }
}
