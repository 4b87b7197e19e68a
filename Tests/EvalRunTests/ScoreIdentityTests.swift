import Foundation
@testable import EvalRun
import XCTest

/// A score run resumes only the same work: a model file replaced at the same path is another model.
/// (Before the fingerprint was part of the identity, both identities below were equal and
/// `eval score` resumed the old run with the new model.)
final class ScoreIdentityTests: XCTestCase {
    func testAModelReplacedAtTheSamePathChangesTheIdentity() throws {
        let dir = NSTemporaryDirectory() + "score-identity-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/model.gguf"
        try Data("GGUF first model".utf8).write(to: URL(fileURLWithPath: path))
        let options = ScoreRunner.Options(model: path, split: "valid", limit: nil, backend: "llama", settings: [])
        let work = ["eval section", "out/x/valid.jsonl", "1", "48", "valid"]
        let first = ScoreRunner.identity(work, options: options)
        XCTAssertEqual(ScoreRunner.identity(work, options: options), first, "the same file is the same work")
        try Data("GGUF other model".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertNotEqual(ScoreRunner.identity(work, options: options), first, "same path and size, other bytes")
        try Data("GGUF other model, longer".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertNotEqual(ScoreRunner.identity(work, options: options), first)
        var exact = options
        exact.exact = true
        XCTAssertNotEqual(ScoreRunner.identity(work, options: exact), ScoreRunner.identity(work, options: options))
        // A server backend has no file to fingerprint: the URL and model name decide.
        let remote = ScoreRunner.Options(model: "m", split: nil, limit: nil, backend: "openai", settings: [])
        XCTAssertEqual(ScoreRunner.identity(work, options: remote), ScoreRunner.identity(work, options: remote))
    }
}
