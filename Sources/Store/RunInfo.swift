import JSON

/// What a spec looked like when a run used it.
public struct SpecIdentity: Equatable, Sendable {
    public let name: String
    public let path: String
    public let digest: String
    public let version: Int
    public init(name: String, path: String, digest: String, version: Int) {
        self.name = name; self.path = path; self.digest = digest; self.version = version
    }
}

/// One row of `runs`.
public struct RunInfo: Equatable, Sendable {
    public let id: Int
    public let kind: RunKind
    public let specName: String?
    public let specPath: String?
    public let specDigest: String?
    public let specVersion: Int?
    /// As recorded, except that a run recorded as `running` whose process is gone reads as `interrupted`.
    public let status: RunStatus
    public let startedAt: String
    public let finishedAt: String?
    public let seconds: Double?
    public let settings: JSONValue
    public let summary: JSONValue
    public let parent: Int?

    /// `run-N`.
    public var name: String { "run-\(id)" }

    /// - throws: `StoreError.unknownValue` when the row's kind or status is not one this version knows.
    init(row: Row) throws {
        id = row["id"].int ?? 0
        kind = try Self.decode(RunKind.self, row, "kind", run: id)
        specName = row["spec_name"].text
        specPath = row["spec_path"].text
        specDigest = row["spec_digest"].text
        specVersion = row["spec_version"].int
        let stored = try Self.decode(RunStatus.self, row, "status", run: id)
        let summary = (try? JSONParser.parse(row["summary"].text ?? "{}")) ?? .object([])
        // A run marked running whose process is gone was killed or crashed.
        status = stored == .running && RunProcess.isAlive(summary) == false ? .interrupted : stored
        startedAt = row["started_at"].text ?? ""
        finishedAt = row["finished_at"].text
        seconds = row["seconds"].double
        settings = (try? JSONParser.parse(row["settings"].text ?? "{}")) ?? .object([])
        self.summary = summary
        parent = row["parent_run"].int
    }

    /// A column's text as one of the values this version knows. A value it does not know (a newer
    /// harness wrote the store, or a person edited it) is an error naming the run and the value,
    /// not a crash and not a guess.
    private static func decode<Value: RawRepresentable & CaseIterable>(_: Value.Type, _ row: Row, _ column: String, run id: Int) throws -> Value
        where Value.RawValue == String {
        let text = row[column].text ?? ""
        guard let value = Value(rawValue: text) else {
            throw StoreError.unknownValue(run: "run-\(id)", column: column, value: text, known: Value.allCases.map(\.rawValue))
        }
        return value
    }
}

/// A file a stage wrote.
public struct Artifact: Equatable, Sendable {
    public let path: String
    /// The file's checksum: `xxh3:` and 32 hex digits (`FileChecksum`), or SHA-256 in 64 hex
    /// digits in stores written before it.
    public let digest: String
    public let bytes: Int64
    public let rows: Int
    /// The split whose rows this file holds, for the final split files of the write stage
    /// (`train.jsonl`, `train.csv`); nil for every other file (ingest and stage files, side files,
    /// instruction exports, subsets, the corpus), and for every file recorded before store
    /// migration 4, when the split was not recorded yet.
    public let split: String?

    public init(path: String, digest: String, bytes: Int64, rows: Int, split: String? = nil) {
        self.path = path; self.digest = digest; self.bytes = bytes; self.rows = rows; self.split = split
    }

    init(row: Row) {
        self.init(path: row["path"].text ?? "", digest: row["digest"].text ?? "", bytes: Int64(row["bytes"].int ?? 0), rows: row["rows"].int ?? 0,
                  split: row["split"].text)
    }
}

extension Artifact {
    /// The folders of files a stage writes beside its data: the removal ledger and dedup clusters.
    public static let sideFolders = ["removed", "clusters"]

    /// Whether this is a side file (`<out>/removed/02-drop.jsonl`: a side folder holding a file named
    /// after a stage's position and kind), not rows of the stage's output. Data files in an output
    /// folder that happens to be called `removed` (`out/removed/train.jsonl`) are not.
    public var isSideFile: Bool {
        let parts = path.split(separator: "/")
        guard parts.count >= 2, Self.sideFolders.contains(String(parts[parts.count - 2])) else { return false }
        let name = parts[parts.count - 1].utf8
        let digits = name.prefix(while: { (0x30...0x39).contains($0) })
        return digits.count >= 2 && name.dropFirst(digits.count).first == UInt8(ascii: "-") && path.hasSuffix(".jsonl")
    }
}

/// One executed (or skipped) stage of a prep run.
public struct StageRecord: Equatable, Sendable {
    public var position: Int
    public var name: String
    /// Digest of the stage's inputs, its spec section and the code version: equal keys give equal outputs.
    public var cacheKey: String
    public var inputDigest: String
    public var outputDigest: String
    public var rowsIn: Int
    public var rowsOut: Int
    /// Rows removed, by reason, in the order the reasons were first met.
    public var removed: [(reason: String, count: Int)]
    public var details: JSONValue
    public var seconds: Double
    public var skipped: Bool
    public var artifacts: [Artifact]

    public init(position: Int, name: String, cacheKey: String, inputDigest: String, outputDigest: String, rowsIn: Int, rowsOut: Int,
                removed: [(reason: String, count: Int)] = [], details: JSONValue = .object([]), seconds: Double, skipped: Bool = false,
                artifacts: [Artifact] = []) {
        self.position = position; self.name = name; self.cacheKey = cacheKey; self.inputDigest = inputDigest
        self.outputDigest = outputDigest; self.rowsIn = rowsIn; self.rowsOut = rowsOut; self.removed = removed
        self.details = details; self.seconds = seconds; self.skipped = skipped; self.artifacts = artifacts
    }

    public static func == (a: StageRecord, b: StageRecord) -> Bool {
        a.position == b.position && a.name == b.name && a.cacheKey == b.cacheKey && a.outputDigest == b.outputDigest
            && a.rowsIn == b.rowsIn && a.rowsOut == b.rowsOut && a.removed.map(\.reason) == b.removed.map(\.reason)
            && a.removed.map(\.count) == b.removed.map(\.count) && a.skipped == b.skipped && a.artifacts == b.artifacts
    }

    init(row: Row) {
        position = row["position"].int ?? 0
        name = row["name"].text ?? ""
        cacheKey = row["cache_key"].text ?? ""
        inputDigest = row["input_digest"].text ?? ""
        outputDigest = row["output_digest"].text ?? ""
        rowsIn = row["rows_in"].int ?? 0
        rowsOut = row["rows_out"].int ?? 0
        if case let .object(m)? = try? JSONParser.parse(row["removed"].text ?? "{}") {
            removed = m.map { ($0.key, Int($0.value.scalarText ?? "0") ?? 0) }
        } else { removed = [] }
        details = (try? JSONParser.parse(row["details"].text ?? "{}")) ?? .object([])
        seconds = row["seconds"].double ?? 0
        skipped = (row["skipped"].int ?? 0) != 0
        artifacts = []
    }
}
