import Foundation
@testable import EvalRun
import HarnessSpec
import Scoring
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

    /// A run with LoRA adapters is the same work only with the same adapter files (path, scale and
    /// bytes): another adapter, another scale, or another checkpoint saved at the same path is a new run.
    func testAdaptersArePartOfTheIdentity() throws {
        let dir = NSTemporaryDirectory() + "score-identity-lora-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = dir + "/model.gguf", a = dir + "/a.gguf", b = dir + "/b.gguf"
        try Data("GGUF model".utf8).write(to: URL(fileURLWithPath: model))
        try Data("GGUF adapter A".utf8).write(to: URL(fileURLWithPath: a))
        try Data("GGUF adapter B".utf8).write(to: URL(fileURLWithPath: b))
        let options = ScoreRunner.Options(model: model, split: "valid", limit: nil, backend: "llama", settings: [])
        let work = ["eval section", "out/x/valid.jsonl", "1", "48", "valid"]
        func identity(_ lora: [EvalSpec.Lora]) throws -> String {
            ScoreRunner.identity(work, options: options, adapters: try AdapterRecord.check(lora, backend: "llama"))
        }
        let base = try identity([])
        XCTAssertEqual(base, ScoreRunner.identity(work, options: options), "no adapter: the identity of before")
        let withA = try identity([EvalSpec.Lora(path: a)])
        XCTAssertNotEqual(withA, base)
        XCTAssertEqual(try identity([EvalSpec.Lora(path: a)]), withA)
        XCTAssertNotEqual(try identity([EvalSpec.Lora(path: a, scale: 0.5)]), withA)
        XCTAssertNotEqual(try identity([EvalSpec.Lora(path: a, scale: 0)]), base, "scale 0 scores as the base model but is recorded as asked")
        XCTAssertNotEqual(try identity([EvalSpec.Lora(path: b)]), withA)
        XCTAssertNotEqual(try identity([EvalSpec.Lora(path: a), EvalSpec.Lora(path: b)]), withA)
        try Data("GGUF adapter C".utf8).write(to: URL(fileURLWithPath: a))
        XCTAssertNotEqual(try identity([EvalSpec.Lora(path: a)]), withA, "another checkpoint at the same path and size")

        let record = try XCTUnwrap(AdapterRecord.check([EvalSpec.Lora(path: a, scale: 0.5)], backend: "llama").first)
        XCTAssertEqual(record.sha256, SHA256Reference.hex(Data("GGUF adapter C".utf8)))
        XCTAssertEqual(record.adapter, LoraAdapter(path: a, scale: 0.5))
    }

    func testAdaptersAreCheckedBeforeAnyWork() throws {
        XCTAssertThrowsError(try AdapterRecord.check([EvalSpec.Lora(path: "/nonexistent/a.gguf")], backend: "llama")) { error in
            XCTAssertEqual(error as? ScoringError, .adapterNotFound(path: "/nonexistent/a.gguf"))
        }
        XCTAssertThrowsError(try AdapterRecord.check([EvalSpec.Lora(path: "a.gguf")], backend: "openai")) { error in
            XCTAssertEqual(error as? EvalRunError, .adaptersNeedLlama(backend: "openai"))
            XCTAssertTrue("\(error)".contains("llama-server -m base.gguf --lora adapter.gguf"), "\(error)")
        }
        XCTAssertThrowsError(try AdapterRecord.check([EvalSpec.Lora(path: "a.gguf"), EvalSpec.Lora(path: "a.gguf", scale: 2)], backend: "llama")) { error in
            XCTAssertEqual(error as? EvalRunError, .duplicateAdapter(path: "a.gguf"))
        }
        XCTAssertEqual(try AdapterRecord.check([], backend: "openai"), [])
    }
}

/// SHA-256 by Python's hashlib, independent of the harness's own digest code.
enum SHA256Reference {
    static func hex(_ data: Data) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try? p.run()
        input.fileHandleForWriting.write(data)
        try? input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
