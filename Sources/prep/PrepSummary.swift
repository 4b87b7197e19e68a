import HarnessSpec
import JSON
import Prep
import Store
import Support

/// The text printed after `prep run`.
enum PrepSummary {
    static func text(_ r: PrepRunner.Report, spec: Spec) -> String {
        var lines = ["\(spec.name): run-\(r.runID) done in \(Format.duration(r.seconds))"]
        for s in r.stages {
            var line = "  \(s.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(s.rowsIn) -> \(s.rowsOut)"
            if s.skipped { line += "  (unchanged, skipped)" }
            if !s.removed.isEmpty { line += "  removed: " + s.removed.map { "\($0.count) \($0.reason)" }.joined(separator: ", ") }
            lines.append(line)
            if s.name == "ingest", case let .object(d) = s.details, case let .object(splits)? = d.first(where: { $0.key == "splits" })?.value {
                lines.append("            splits: " + splits.map { "\($0.key) \($0.value.scalarText ?? "0")" }.joined(separator: ", "))
            }
            if s.name == "ingest", case let .array(pages)? = s.details["skipped_pages"], !pages.isEmpty {
                for p in pages.prefix(10) { lines.append("            skipped \(p.scalarText ?? "")") }
                if pages.count > 10 { lines.append("            ... and \(pages.count - 10) more (bin/prep runs)") }
            }
        }
        if r.jsonBytes > 0, r.ingestSeconds > 0 {
            let mb = Double(r.jsonBytes) / 1_000_000
            lines.append("  read \(r.entries) entries, \(Format.number(mb, digits: 1)) MB of \(spec.source.kind == .html ? "pages" : [.csv, .tsv].contains(spec.source.format) ? "tables" : "JSON") at \(Format.number(mb / r.ingestSeconds, digits: 1)) MB/s")
        }
        for w in r.warnings { lines.append("  warning: \(w)") }
        lines += trustLines(r)
        lines.append("  outputs:")
        for a in r.outputs { lines.append("    \(a.path)  (\(a.rows) rows)") }
        let (removed, moved) = r.cleared
        if !removed.isEmpty {
            lines.append("  removed \(removed.count) file\(removed.count == 1 ? "" : "s") of earlier runs that this run did not write: "
                         + removed.prefix(8).joined(separator: ", ") + (removed.count > 8 ? ", ..." : ""))
        }
        if !moved.isEmpty {
            lines.append("  moved \(moved.count) file\(moved.count == 1 ? "" : "s") harness did not write into \(spec.outputs.dir)/\(PrepRunner.staleFolder)/: "
                         + moved.prefix(8).joined(separator: ", ") + (moved.count > 8 ? ", ..." : ""))
        }
        return lines.joined(separator: "\n")
    }

    /// Where the removed rows are, the dedup clusters, and the leakage audit of the final splits.
    static func trustLines(_ r: PrepRunner.Report) -> [String] {
        var lines: [String] = []
        let side = r.stages.flatMap(\.artifacts).filter(\.isSideFile)
        let ledgers = side.filter { $0.path.contains("/removed/") }
        if let first = ledgers.first {
            let dir = first.path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(first.path[..<$0]) } ?? "."
            lines.append("  removed rows kept in \(dir)/ (\(ledgers.reduce(0) { $0 + $1.rows }) rows, one file per stage)")
        }
        if let d = r.stages.last(where: { $0.name == "dedup" })?.details, let clusters = d["clusters"]?.scalarText {
            let file = side.first { $0.path.contains("/clusters/") }?.path
            lines.append("  near-duplicates: \(clusters) clusters holding \(d["rows_in_clusters"]?.scalarText ?? "0") rows"
                         + (file.map { " (\($0))" } ?? ""))
        }
        if let a = r.stages.last(where: { $0.name == "write" })?.details["audit"] {
            let pairs = Int(a["pairs"]?.scalarText ?? "0") ?? 0
            if pairs == 0 {
                lines.append("  audit: no row of one split has a copy in another")
            } else {
                var by: [String] = []
                if case let .array(items)? = a["by_splits"] {
                    by = items.map { "\($0["splits"]?.scalarText ?? "") \($0["exact"]?.scalarText ?? "0") exact, \($0["near"]?.scalarText ?? "0") near" }
                }
                lines.append("  audit: \(pairs) pairs of rows cross splits (\(by.joined(separator: "; "))); bin/prep audit run-\(r.runID) lists them")
            }
        }
        return lines
    }
}
