import Records

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
    public let kind: String
    public let specName: String?
    public let specPath: String?
    public let specDigest: String?
    public let specVersion: Int?
    public let status: String
    public let startedAt: String
    public let finishedAt: String?
    public let seconds: Double?
    public let settings: JSONValue
    public let summary: JSONValue
    public let parent: Int?

    /// `run-N`.
    public var name: String { "run-\(id)" }

    init(row: [SQLValue]) {
        id = row[0].int ?? 0
        kind = row[1].text ?? ""
        specName = row[2].text
        specPath = row[3].text
        specDigest = row[4].text
        specVersion = row[5].int
        let stored = row[6].text ?? ""
        let summary = (try? JSONParser.parse(row[11].text ?? "{}")) ?? .object([])
        // A run marked running whose process is gone was killed or crashed.
        status = stored == "running" && RunProcess.isAlive(summary) == false ? "interrupted" : stored
        startedAt = row[7].text ?? ""
        finishedAt = row[8].text
        seconds = row[9].double
        settings = (try? JSONParser.parse(row[10].text ?? "{}")) ?? .object([])
        self.summary = summary
        parent = row[12].int
    }
}

/// A file a stage wrote.
public struct Artifact: Equatable, Sendable {
    public let path: String
    public let digest: String
    public let bytes: Int64
    public let rows: Int
    public init(path: String, digest: String, bytes: Int64, rows: Int) {
        self.path = path; self.digest = digest; self.bytes = bytes; self.rows = rows
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

    init(row: [SQLValue]) {
        position = row[0].int ?? 0
        name = row[1].text ?? ""
        cacheKey = row[2].text ?? ""
        inputDigest = row[3].text ?? ""
        outputDigest = row[4].text ?? ""
        rowsIn = row[5].int ?? 0
        rowsOut = row[6].int ?? 0
        if case let .object(m)? = try? JSONParser.parse(row[7].text ?? "{}") {
            removed = m.map { ($0.key, Int($0.value.scalarText ?? "0") ?? 0) }
        } else { removed = [] }
        details = (try? JSONParser.parse(row[8].text ?? "{}")) ?? .object([])
        seconds = row[9].double ?? 0
        skipped = (row[10].int ?? 0) != 0
        artifacts = []
    }
}
