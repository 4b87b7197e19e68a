/// Where a run stands. The raw values are what the store's `runs.status` column holds.
public enum RunStatus: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Begun and not finished; a run whose process is gone reads as `interrupted` instead.
    case running
    /// Finished successfully.
    case done
    /// Stopped by an error (the summary's `error` says which).
    case failed
    /// Stopped by a signal, or its process vanished while it was running.
    case interrupted

    public var description: String { rawValue }
}
