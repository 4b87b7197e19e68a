import Scoring
import Support

/// A cheap identity for a model file: its size and the SHA-256 of its first 16 MiB. A model file
/// replaced at the same path gets another fingerprint, so a score run is never resumed with it.
public enum ModelFingerprint {
    public static func of(_ path: String) -> String? {
        guard let size = FileSystem.size(path), let head = try? FileSystem.read(path, limit: 16 << 20) else { return nil }
        return "\(size):" + String(SHA256.hex(head).prefix(16))
    }

    /// The SHA-256 of a whole LoRA adapter file (adapters are small next to their model, and two
    /// checkpoints of one training run share their header).
    /// - throws: `ScoringError.adapterNotFound` when there is no such file.
    public static func sha256(adapter path: String) throws -> String {
        guard FileSystem.exists(path), !FileSystem.isDirectory(path) else { throw ScoringError.adapterNotFound(path: path) }
        return try SHA256.hex(file: path)
    }
}
