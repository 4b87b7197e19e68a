/// Which run's files are in an output folder. A prep run records every file it leaves in its
/// output folder as an artifact, and removes the others, so the newest finished prep run with
/// artifacts under a folder is the one whose files are on disk.
extension RunStore {
    /// The newest finished prep run that wrote into `dir`, if any.
    public func outputOwner(dir: String, before run: Int? = nil) throws -> RunInfo? {
        let prefix = Self.folderPrefix(dir)
        guard let id = try db.query("""
            SELECT a.run_id AS run_id FROM artifacts a JOIN runs r ON r.id = a.run_id
            WHERE r.kind = ? AND r.status = ? AND substr(a.path, 1, length(?)) = ? AND a.run_id < ?
            ORDER BY a.run_id DESC LIMIT 1
            """, [.text(RunKind.prep.rawValue), .text(RunStatus.done.rawValue), .text(prefix), .text(prefix),
                  .int(Int64(run ?? Int(Int32.max)))]).first?["run_id"].int else { return nil }
        return try self.run(id)
    }

    /// Every path under `dir` that any run recorded as an artifact.
    public func artifactPaths(under dir: String) throws -> Set<String> {
        let prefix = Self.folderPrefix(dir)
        return Set(try db.query("SELECT DISTINCT path FROM artifacts WHERE substr(path, 1, length(?)) = ?", [.text(prefix), .text(prefix)])
            .compactMap { $0["path"].text })
    }

    /// The first run after `run` that wrote `path` with other contents than `digest`: the run that
    /// replaced this run's file.
    public func replacement(of path: String, digest: String, after run: Int) throws -> RunInfo? {
        guard let id = try db.query("SELECT run_id FROM artifacts WHERE path = ? AND digest <> ? AND run_id > ? ORDER BY run_id LIMIT 1",
                                    [.text(path), .text(digest), .int(Int64(run))]).first?["run_id"].int else { return nil }
        return try self.run(id)
    }

    static func folderPrefix(_ dir: String) -> String {
        var d = dir
        while d.hasSuffix("/") { d.removeLast() }
        return d + "/"
    }
}
