import Records
import Support

/// Token lengths of a run's final rows under a model's own tokenizer, per split and class, with the
/// rows longer than the training context (`max_seq_length`) flagged. A row is counted as training
/// sees its text: instruction, input and output joined by newlines (a chat or Alpaca template adds a
/// few tokens more); rows without them count their text field.
struct TokenLengths {
    let model: String
    let maxSeqLength: Int?
    let counted: String
    /// Per split, per class: token counts.
    var lengths: [String: [String: [Int]]] = [:]
    /// Rows over `maxSeqLength`: id, split, tokens (the first 20), and how many per split.
    var over: [(id: String, split: String, tokens: Int)] = []
    var overPerSplit: [String: Int] = [:]
    /// The corpus file's size in tokens, when the run wrote one.
    var corpus: (documents: Int, tokens: Int)?

    init(records: [Record], classField: String, textField: String, model: String, maxSeqLength: Int?,
         corpusPath: String?, count: (String) -> Int) {
        self.model = model
        self.maxSeqLength = maxSeqLength
        let instruction = records.contains { $0.fields["instruction"] != nil || $0.fields["output"] != nil }
        counted = instruction ? "instruction, input and output" : textField
        for r in records {
            let text = instruction ? ["instruction", "input", "output"].compactMap { r.fields[$0] }.joined(separator: "\n") : (r.fields[textField] ?? "")
            let n = count(text)
            let split = r.split ?? "-"
            lengths[split, default: [:]][r.fields[classField] ?? "(null)", default: []].append(n)
            if let max = maxSeqLength, n > max {
                overPerSplit[split, default: 0] += 1
                if over.count < 20 { over.append((r.fields["id"] ?? "?", split, n)) }
            }
        }
        if let corpusPath, let bytes = try? FileSystem.read(corpusPath) {
            let docs = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }
            corpus = (docs.count, docs.reduce(0) { $0 + count($1) })
        }
    }

    func html() -> Markup {
        var b: Markup = "<h2>Token lengths under \(model)</h2>"
        let context: Markup = maxSeqLength.map { "; training context <code>max_seq_length: \($0)</code>" }
            ?? "; set <code>max_seq_length</code> in the spec (or <code>--max-seq-length</code>) to flag longer rows"
        b += "<p class=\"muted\">Tokens of \(counted) per row, with the model's own tokenizer (BOS included)\(context).</p>"
        for split in lengths.keys.sorted() {
            b += "<h3>\(split)</h3>"
            let header: [Markup] = ["class", "n", "min", "median", "p95", "max", "distribution"] + (maxSeqLength == nil ? [] : ["over"])
            b += Markup.table(header: header, rows: lengths[split]!.keys.sorted().map { cls in
                let v = lengths[split]![cls]!.sorted()
                func q(_ p: Double) -> String { String(v[min(v.count - 1, Int(Double(v.count - 1) * p))]) }
                let over = maxSeqLength.map { m in v.filter { $0 > m }.count }
                return Markup.cells([cls, String(v.count), q(0), q(0.5), q(0.95), q(1)]) + [DatasetReport.sparkline(v)]
                    + (over.map { n -> [Markup] in [n > 0 ? "<b class=\"bad\">\(n)</b>" : "0"] } ?? [])
            })
        }
        if let max = maxSeqLength {
            let total = overPerSplit.values.reduce(0, +)
            if total == 0 {
                b += "<p>No row is longer than \(max) tokens.</p>"
            } else {
                let perSplit = overPerSplit.keys.sorted().map { "\($0) \(overPerSplit[$0]!)" }.joined(separator: ", ")
                b += "<p><b class=\"bad\">\(total) rows are longer than \(max) tokens</b> (\(perSplit)): training truncates them. "
                    + "<code>drop: {max_tokens: \(max), tokenizer: …}</code> after <code>instruct</code> removes them.</p>"
                b += Markup.table(header: ["id", "split", "tokens"], rows: over.map { Markup.cells([$0.id, $0.split, String($0.tokens)]) })
            }
        }
        if let c = corpus { b += "<p>Corpus: \(c.documents) documents, <b>\(c.tokens)</b> tokens.</p>" }
        return b
    }
}
