import JSON
import Store
import Support

/// The parts of a data report that say what was taken out and whether splits leak: the removal
/// ledger, what each refine rule changed, near-duplicate clusters, sampling groups and the leakage
/// audit. Everything comes from the run's stage records and its ledger files.
struct DataTrust {
    struct Removed {
        let stage: String
        let reason: String
        let count: Int
    }

    struct LedgerFile {
        let stage: String
        let path: String
        let rows: Int
        /// The first rows of the file: id, reason, duplicate of, Jaccard, text.
        let samples: [[String]]
    }

    var removed: [Removed] = []
    var ledgers: [LedgerFile] = []
    /// Per refine stage: the rule details (`rules` array) as stored.
    var rules: [JSONValue] = []
    var dedup: JSONValue?
    var clusterFiles: [String] = []
    var sampling: [(key: String, value: String)] = []
    var audit: JSONValue?

    init(stages: [StageRecord], textField: String) {
        for s in stages {
            for r in s.removed { removed.append(Removed(stage: s.name, reason: r.reason, count: r.count)) }
            for a in s.artifacts where a.isSideFile {
                if a.path.contains("/removed/") {
                    ledgers.append(LedgerFile(stage: s.name, path: a.path, rows: a.rows, samples: Self.samples(a.path, textField: textField)))
                } else {
                    clusterFiles.append(a.path)
                }
            }
            if s.name == "refine", case let .array(r)? = s.details["rules"] { rules += r }
            if s.name == "dedup" { dedup = s.details }
            if s.name == "sample", let g = s.details["group_by"]?.scalarText {
                sampling = [("grouped by", g), ("groups", s.details["groups"]?.scalarText ?? "?"),
                            ("largest group", s.details["largest_group"]?.scalarText ?? "?"),
                            ("largest deviation from a split's target share", (s.details["ratio_deviation_pp"]?.scalarText ?? "0") + " pp"
                             + (s.details["ratio_deviation_worst"]?.scalarText.map { " (\($0))" } ?? ""))]
            }
            if s.name == "write" { audit = s.details["audit"] }
        }
    }

    /// The first lines of a ledger file, as table cells.
    static func samples(_ path: String, textField: String, count: Int = 5) -> [[String]] {
        guard let reader = try? LineReader(path: path) else { return [] }
        var out: [[String]] = []
        while out.count < count, let line = try? reader.next() {
            guard let v = try? JSONParser.parse(Array(line.utf8)) else { continue }
            let row = v["row"]
            let dup = v["duplicate_of"].map { "\($0["id"]?.scalarText ?? "") (\($0["split"]?.scalarText ?? ""))" } ?? ""
            out.append([row?["id"]?.scalarText ?? v["location"]?.scalarText ?? "", v["reason"]?.scalarText ?? "", dup, v["jaccard"]?.scalarText ?? "",
                        String((row?[textField]?.scalarText ?? "").prefix(70))])
        }
        return out
    }

    /// The elements of an array value (none for anything else).
    private static func list(_ v: JSONValue?) -> [JSONValue] {
        if case let .array(a)? = v { return a }
        return []
    }

    /// A member's text (escaped where it is put into markup).
    private static func text(_ v: JSONValue?, _ key: String, _ fallback: String = "") -> String {
        v?[key]?.scalarText ?? fallback
    }

    func html() -> Markup {
        var b: Markup = "<h2>Removed rows</h2>"
        if removed.isEmpty {
            b += "<p>No stage removed a row.</p>"
        } else {
            b += "<p class=\"muted\">Every removed row is kept, with its reason, in the ledger files below (one JSON line per row: stage, reason, the row it duplicated, the row itself).</p>"
            b += Markup.table(header: ["stage", "reason", "rows"], rows: removed.map { Markup.cells([$0.stage, $0.reason, String($0.count)]) })
            for l in ledgers {
                b += "<h3>\(l.stage): <code>\(l.path)</code> (\(l.rows) rows)</h3>"
                b += Markup.table(header: ["id", "reason", "duplicate of", "Jaccard", "text"], rows: l.samples.map(Markup.cells))
            }
        }
        if !rules.isEmpty { b += rulesHTML() }
        if let d = dedup { b += clustersHTML(d) }
        if !sampling.isEmpty {
            b += "<h2>Sampling groups</h2><p class=\"muted\">A group is never split across train and valid.</p>"
            b += Markup.table(header: ["", ""], rows: sampling.map { Markup.cells([$0.key, $0.value]) })
        }
        return b + auditHTML()
    }

    private func rulesHTML() -> Markup {
        var rows: [[Markup]] = []
        for r in rules {
            let examples = Self.list(r["examples"]).map { e -> Markup in
                let id = Self.text(e, "id"), field = Self.text(e, "field")
                let before = Self.text(e, "before", "null"), after = Self.text(e, "after", "null")
                return "<code>\(id)</code> \(field): <span class=\"muted\">\(before)</span> → \(after)"
            }
            rows.append(Markup.cells([Self.text(r, "rule"), Self.text(r, "rows_changed", "0")]) + [examples.joined(separator: "<br>")])
        }
        return "<h2>Refine rules</h2>" + Markup.table(header: ["rule", "rows changed", "examples (before → after)"], rows: rows)
    }

    private func clustersHTML(_ d: JSONValue) -> Markup {
        let fields = Self.list(d["fields"]).compactMap(\.scalarText).joined(separator: "+")
        var p: Markup = "MinHash over \(Self.text(d, "ngram", "5"))-character shingles of <code>\(fields)</code>, "
        p += "LSH bands \(Self.text(d, "bands", "?")), exact Jaccard ≥ \(Self.text(d, "threshold", "?")). "
        p += "<b>\(Self.text(d, "clusters", "0"))</b> clusters holding \(Self.text(d, "rows_in_clusters", "0")) rows "
        p += "(largest \(Self.text(d, "largest_cluster", "0"))); \(Self.text(d, "cross_split_clusters", "0")) span splits; "
        p += d["against_test"]?.scalarText == "report" ? "training copies of held-out rows: kept and reported. " : "training copies of held-out rows: dropped. "
        for f in clusterFiles { p += "All clusters: <code>\(f)</code>." }
        var b: Markup = "<h2>Near-duplicate clusters</h2><p>\(p)</p>"
        var rows: [[Markup]] = []
        for (n, cluster) in Self.list(d["examples"]).enumerated() {
            for m in Self.list(cluster) {
                rows.append(Markup.cells([String(n + 1), Self.text(m, "id"), Self.text(m, "split"), Self.text(m, "jaccard"), Self.text(m, "text")]))
            }
        }
        if !rows.isEmpty { b += Markup.table(header: ["cluster", "id", "split", "Jaccard to first", "text"], rows: rows) }
        return b
    }

    private func auditHTML() -> Markup {
        let b: Markup = "<h2>Leakage audit</h2>"
        guard let a = audit else {
            return b + "<p class=\"muted\">Not audited: add a <code>dedup</code> stage to the spec, or run <code>prep audit RUN --fields title,body</code>.</p>"
        }
        let pairs = Int(a["pairs"]?.scalarText ?? "0") ?? 0
        let fields = Self.list(a["fields"]).compactMap(\.scalarText).joined(separator: "+")
        let verdict: Markup = pairs == 0 ? "<b>no pair crosses splits.</b>" : "<b class=\"bad\">\(pairs) pairs cross splits</b>; <code>prep audit</code> lists them all."
        var out = b + "<p>\(Self.text(a, "rows", "?")) rows of the final splits compared on <code>\(fields)</code> (Jaccard ≥ \(Self.text(a, "threshold", "?"))): \(verdict)</p>"
        let by = Self.list(a["by_splits"])
        if !by.isEmpty {
            out += Markup.table(header: ["splits", "exact", "near"], rows: by.map { Markup.cells([Self.text($0, "splits"), Self.text($0, "exact", "0"), Self.text($0, "near", "0")]) })
        }
        let rows = Self.list(a["examples"]).map { p -> [Markup] in
            let how = p["exact"] == .bool(true) ? "exact" : Self.text(p, "jaccard")
            return Markup.cells([Self.text(p, "a_split") + " " + Self.text(p, "a"), Self.text(p, "b_split") + " " + Self.text(p, "b"), how, Self.text(p, "text")])
        }
        if !rows.isEmpty { out += Markup.table(header: ["row", "copy", "Jaccard", "text"], rows: rows) }
        return out
    }
}
