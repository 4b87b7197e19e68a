import JSON
import Support

/// The run store: every run, its stages, artifacts, predictions and training-log points, in one
/// SQLite file (default `harness.sqlite`). Changes happen in transactions.
public final class RunStore {
    public let db: Database

    /// Opens or creates the store and brings its schema up to date.
    /// - throws: `StoreError.sqlite` when the file is not a usable SQLite database.
    public init(path: String) throws {
        db = try Database(path: path)
        try migrate()
    }

    /// Brings the schema up to date. Several processes may open a new store at the same moment: the
    /// version is read again once `BEGIN IMMEDIATE` holds the write lock, so exactly one of them
    /// migrates and the others wait (busy timeout) and then find the schema in place.
    private func migrate() throws {
        if try version() >= Schema.migrations.count { return }
        try db.transaction {
            let current = try version()
            guard current < Schema.migrations.count else { return }
            for (i, sql) in Schema.migrations.enumerated() where i >= current {
                try db.execute(sql)
            }
            try db.execute("PRAGMA user_version = \(Schema.migrations.count)")
        }
    }

    private func version() throws -> Int { try db.query("PRAGMA user_version").first?["user_version"].int ?? 0 }

    // MARK: Runs

    /// Starts a run and returns its number (shown as `run-N`).
    public func beginRun(kind: RunKind, spec: SpecIdentity?, settings: JSONValue = .object([]), parent: Int? = nil) throws -> Int {
        try db.transaction {
            try db.execute("""
                INSERT INTO runs (kind, spec_name, spec_path, spec_digest, spec_version, status, started_at, settings, parent_run, summary)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(kind.rawValue), spec.map { .text($0.name) } ?? .null, spec.map { .text($0.path) } ?? .null,
                      spec.map { .text($0.digest) } ?? .null, spec.map { .int(Int64($0.version)) } ?? .null,
                      .text(RunStatus.running.rawValue), .text(Clock.timestamp()), .text(JSONWriter.serialize(settings)), parent.map { .int(Int64($0)) } ?? .null,
                      .text(JSONWriter.serialize(.object([("process", RunProcess.current())])))])
            return db.lastInsertID
        }
    }

    /// Marks a run finished with a status (`.done`, `.failed`, `.interrupted`) and a summary.
    public func finishRun(_ id: Int, status: RunStatus, seconds: Double, summary: JSONValue = .object([])) throws {
        try db.transaction {
            try db.execute("UPDATE runs SET status = ?, finished_at = ?, seconds = ?, summary = ? WHERE id = ?",
                           [.text(status.rawValue), .text(Clock.timestamp()), .double(seconds), .text(JSONWriter.serialize(summary)), .int(Int64(id))])
        }
    }

    private static let runColumns = "id, kind, spec_name, spec_path, spec_digest, spec_version, status, started_at, finished_at, seconds, settings, summary, parent_run"

    /// The runs, newest first. - throws: `StoreError.unknownValue` for a run this version cannot read.
    public func runs(limit: Int = 50, kind: RunKind? = nil, specName: String? = nil) throws -> [RunInfo] {
        var sql = "SELECT \(Self.runColumns) FROM runs"
        var conds: [String] = [], binds: [SQLValue] = []
        if let kind { conds.append("kind = ?"); binds.append(.text(kind.rawValue)) }
        if let specName { conds.append("spec_name = ?"); binds.append(.text(specName)) }
        if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
        sql += " ORDER BY id DESC LIMIT \(limit)"
        return try db.query(sql, binds).map(RunInfo.init(row:))
    }

    /// The run with this number. - throws: `StoreError.unknownRun` listing recent runs, `.unknownValue`.
    public func run(_ id: Int) throws -> RunInfo {
        guard let row = try db.query("SELECT \(Self.runColumns) FROM runs WHERE id = ?", [.int(Int64(id))]).first else {
            throw StoreError.unknownRun("run-\(id)", known: try recentRunNames())
        }
        return try RunInfo(row: row)
    }

    /// `run-N` of the newest runs, for error messages: read without decoding the runs, so that a
    /// run this version cannot read does not hide the error being reported.
    private func recentRunNames(limit: Int = 5) throws -> [String] {
        try db.query("SELECT id FROM runs ORDER BY id DESC LIMIT \(limit)").compactMap { $0["id"].int.map { "run-\($0)" } }
    }

    /// Parses `run-12` (or `12`). - throws: `StoreError.badRunID`.
    public static func runNumber(_ text: String) throws -> Int {
        let digits = text.hasPrefix("run-") ? String(text.dropFirst(4)) : text
        guard let n = Int(digits), n > 0 else { throw StoreError.badRunID(text) }
        return n
    }

    /// Resolves `run-12`, `12` or `latest` (the newest run of one of `kinds`, any kind when nil;
    /// with `finished`, the newest finished one). An explicit run must be of one of `kinds` too.
    /// - throws: `StoreError.badRunID`, `.unknownRun`, `.noRunYet`, `.wrongKind`, `.unknownValue`.
    public func resolve(_ text: String, kinds: [RunKind]? = nil, finished: Bool = false) throws -> Int {
        guard text == "latest" else {
            let id = try Self.runNumber(text)
            let info = try run(id)
            if let kinds, !kinds.contains(info.kind) { throw StoreError.wrongKind(run: info.name, kind: info.kind, expected: kinds) }
            return id
        }
        var sql = "SELECT id FROM runs"
        var conds: [String] = [], binds: [SQLValue] = []
        if let kinds, !kinds.isEmpty {
            conds.append("kind IN (" + kinds.map { _ in "?" }.joined(separator: ", ") + ")")
            binds += kinds.map { .text($0.rawValue) }
        }
        if finished { conds.append("status = ?"); binds.append(.text(RunStatus.done.rawValue)) }
        if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
        guard let id = try db.query(sql + " ORDER BY id DESC LIMIT 1", binds).first?["id"].int else {
            throw StoreError.noRunYet(kinds: kinds ?? [], known: try recentRunNames())
        }
        return id
    }

    /// The latest run of a kind for a spec name, with a status as recorded (default `.done`).
    public func latestRun(kind: RunKind, specName: String, status: RunStatus = .done) throws -> RunInfo? {
        try db.query("SELECT \(Self.runColumns) FROM runs WHERE kind = ? AND spec_name = ? AND status = ? ORDER BY id DESC LIMIT 1",
                     [.text(kind.rawValue), .text(specName), .text(status.rawValue)]).first.map(RunInfo.init(row:))
    }

    // MARK: Stages

    /// Records a finished stage and its artifacts in one transaction.
    public func recordStage(run: Int, _ stage: StageRecord) throws {
        try db.transaction {
            try db.execute("""
                INSERT OR REPLACE INTO stages (run_id, position, name, cache_key, input_digest, output_digest, rows_in, rows_out, removed, details, seconds, skipped)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.int(Int64(run)), .int(Int64(stage.position)), .text(stage.name), .text(stage.cacheKey),
                      .text(stage.inputDigest), .text(stage.outputDigest), .int(Int64(stage.rowsIn)), .int(Int64(stage.rowsOut)),
                      .text(JSONWriter.serialize(.object(stage.removed.map { ($0.reason, .number(String($0.count))) }))),
                      .text(JSONWriter.serialize(stage.details)), .double(stage.seconds), .int(stage.skipped ? 1 : 0)])
            for a in stage.artifacts {
                try db.execute("INSERT OR REPLACE INTO artifacts (run_id, stage_position, path, digest, bytes, rows, split) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               [.int(Int64(run)), .int(Int64(stage.position)), .text(a.path), .text(a.digest), .int(a.bytes), .int(Int64(a.rows)),
                                a.split.map { .text($0) } ?? .null])
            }
        }
    }

    /// The stages of a run, in order, with their artifacts.
    public func stages(run: Int) throws -> [StageRecord] {
        try db.query("SELECT position, name, cache_key, input_digest, output_digest, rows_in, rows_out, removed, details, seconds, skipped FROM stages WHERE run_id = ? ORDER BY position",
                     [.int(Int64(run))]).map { row in
            var s = StageRecord(row: row)
            s.artifacts = try artifacts(run: run, position: s.position)
            return s
        }
    }

    /// The most recent recorded stage with this cache key (from any run), with its artifacts.
    public func cachedStage(key: String) throws -> (run: Int, stage: StageRecord)? {
        guard let row = try db.query("""
            SELECT s.run_id AS run_id, s.position AS position, s.name AS name, s.cache_key AS cache_key, s.input_digest AS input_digest,
                   s.output_digest AS output_digest, s.rows_in AS rows_in, s.rows_out AS rows_out, s.removed AS removed, s.details AS details,
                   s.seconds AS seconds, s.skipped AS skipped
            FROM stages s WHERE s.cache_key = ? ORDER BY s.run_id DESC LIMIT 1
            """, [.text(key)]).first, let run = row["run_id"].int else { return nil }
        var s = StageRecord(row: row)
        s.artifacts = try artifacts(run: run, position: s.position)
        return (run, s)
    }

    private func artifacts(run: Int, position: Int) throws -> [Artifact] {
        try db.query("SELECT path, digest, bytes, rows, split FROM artifacts WHERE run_id = ? AND stage_position = ? ORDER BY path",
                     [.int(Int64(run)), .int(Int64(position))]).map {
            Artifact(row: $0)
        }
    }

    /// Every artifact of a run.
    public func artifacts(run: Int) throws -> [Artifact] {
        try db.query("SELECT path, digest, bytes, rows, split FROM artifacts WHERE run_id = ? ORDER BY stage_position, path", [.int(Int64(run))]).map {
            Artifact(row: $0)
        }
    }
}

@available(*, unavailable)
extension RunStore: Sendable {}
