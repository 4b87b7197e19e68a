/// Which files of a prep run's write stage hold which split.
extension StageRecord {
    /// The final split files of a write stage (`train.jsonl`, `train.csv`, `valid.jsonl`, ...),
    /// each with its split: as the stage recorded them (store migration 4 on), so a split's file is
    /// found whatever its name. Instruction exports, subsets, the corpus and side files are not split
    /// files.
    ///
    /// A write stage recorded before migration 4 has no split on any artifact; for it alone the
    /// splits are guessed from the file names as harness did then: a `.jsonl` or `.csv` file named
    /// `<split>.<ext>` (one dot) that is not a side file. That guess misses a split whose name has a
    /// dot (`valid.2024`).
    public var splitFiles: [Artifact] {
        let recorded = artifacts.filter { $0.split != nil }
        if !recorded.isEmpty { return recorded }
        return artifacts.compactMap { a in
            guard !a.isSideFile, let name = a.path.split(separator: "/").last else { return nil }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1] == "jsonl" || parts[1] == "csv" else { return nil }
            return Artifact(path: a.path, digest: a.digest, bytes: a.bytes, rows: a.rows, split: String(parts[0]))
        }
    }

    /// The names of the splits the write stage wrote, in the order of their files.
    public var splitNames: [String] {
        var seen = Set<String>()
        return splitFiles.compactMap(\.split).filter { seen.insert($0).inserted }
    }
}
