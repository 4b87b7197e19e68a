import HarnessSpec
import Records
import Support

/// `outputs.subsets`: nested, stratified, seeded subsets of one split for data-size ablations
/// (train on 1k, 2.5k, 5k, 10k rows and compare). Every subset holds the smaller ones, so a
/// difference between two sizes is the added rows alone.
///
/// Rows of each class are shuffled with the seed; the j-th of a class's n rows gets the position
/// (j + 0.5) / n, and rows are taken in order of position. Any prefix then holds each class in
/// proportion to its share of the split (systematic stratified sampling), and a larger subset is a
/// longer prefix. Augmented copies of a subset's rows come with it, so each subset's instruction
/// files are what the pipeline would have made from those rows.
struct Subsets {
    let sizes: [Int]
    let split: String
    let stratifyBy: String?
    let seed: UInt64

    /// The spec's subsets, with `stratify_by` and `seed` from the first `sample` stage unless given.
    init?(spec: Spec, stages: [any Stage]) {
        guard let s = spec.outputs.subsets else { return nil }
        let sample = stages.lazy.compactMap(\.sampling).first
        sizes = s.sizes
        split = s.split
        stratifyBy = s.stratifyBy ?? sample?.stratifyBy
        seed = s.seed.map { UInt64(bitPattern: Int64($0)) } ?? sample?.seed ?? 42
    }

    struct Subset {
        let size: Int
        /// The subset's rows in the split's order: originals, then nothing else but their augmented copies.
        let rows: [Record]
        let originals: Int
    }

    /// The original rows of the split in subset order.
    func order(_ records: [Record]) -> [Record] {
        var byClass: [String: [Record]] = [:]
        for r in records where r.split == split && r.origin == nil {
            byClass[stratifyBy.map { r.fields[$0] ?? "(null)" } ?? "all", default: []].append(r)
        }
        var ranked: [(position: Double, cls: String, record: Record)] = []
        for (cls, rows) in byClass {
            var sorted = rows.sorted { ($0.fields["id"] ?? "") < ($1.fields["id"] ?? "") }
            var rng = SeededRandom(seed: seed, key: "subset:" + cls)
            rng.shuffle(&sorted)
            for (j, r) in sorted.enumerated() { ranked.append(((Double(j) + 0.5) / Double(sorted.count), cls, r)) }
        }
        ranked.sort { ($0.position, $0.cls) < ($1.position, $1.cls) }
        return ranked.map(\.record)
    }

    /// Each size's rows (a size above the split's row count gives all of them).
    func subsets(of records: [Record]) -> [Subset] {
        let ordered = order(records)
        return sizes.map { size in
            let ids = Set(ordered.prefix(size).map { $0.fields["id"] ?? "" })
            let rows = records.filter { r in
                r.split == split && (r.origin.map(ids.contains) ?? ids.contains(r.fields["id"] ?? ""))
            }
            return Subset(size: size, rows: rows, originals: min(size, ordered.count))
        }
    }
}

/// `outputs.corpus`: a plain-text corpus for continued pretraining (DAPT/TAPT). One document per
/// original row of the chosen splits: its fields on their own lines, documents apart by a blank
/// line; a document met twice (same text after NFC, case and space normalisation) is written once.
struct Corpus {
    let fields: [String]
    let splits: [String]
    /// One sentence a line when set (`split_sentences:`).
    var splitSentences: SentenceSplitting? = nil

    struct Written {
        let text: String
        let documents: Int
        let duplicates: Int
    }

    /// - throws: `KiwiError` when `split_sentences: kiwi` and Kiwi fails.
    func build(_ records: [Record]) throws -> Written {
        var seen = Set<String>()
        var text = ""
        var documents = 0, duplicates = 0
        let splitter = splitSentences.map(SentenceSplitter.init)
        for r in records where r.origin == nil && splits.contains(r.split ?? "") {
            let parts = fields.compactMap { r.fields[$0] }.filter { !$0.isEmpty }
            guard !parts.isEmpty else { continue }
            let doc = parts.joined(separator: "\n")
            guard seen.insert(FastText.duplicateKey(doc)).inserted else { duplicates += 1; continue }
            if documents > 0 { text += "\n" }
            if let splitter {
                for part in parts { for sentence in try splitter.split(part) { text += sentence + "\n" } }
            } else {
                text += doc + "\n"
            }
            documents += 1
        }
        return Written(text: text, documents: documents, duplicates: duplicates)
    }
}
