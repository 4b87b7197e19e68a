import Foundation
@testable import Scoring
import XCTest

/// Errors name the file, item or value and the fix. Expected values: the inputs themselves
/// (paths, ids, sizes), and token counts from the scorer's own tokenizer.
final class ScoringErrorTests: XCTestCase {
    func testMissingModelFile() {
        let path = "/nonexistent/model.gguf"
        XCTAssertThrowsError(try LlamaScorer(modelPath: path)) { error in
            XCTAssertEqual(error as? ScoringError, .modelNotFound(path: path))
            XCTAssertTrue("\(error)".contains(path) && "\(error)".contains("make setup"), "\(error)")
        }
    }

    func testNonGGUFFileIsRejectedBeforeLoading() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/model.gguf"
        try Data("PK\u{3}\u{4} not a model".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try LlamaScorer(modelPath: path)) { error in
            XCTAssertEqual(error as? ScoringError, .notGGUF(path: path, firstBytes: "0x50 0x4b 0x03 0x04"))
            XCTAssertTrue("\(error)".contains("not a GGUF model"), "\(error)")
        }
        let text = dir + "/notes.gguf"
        try Data("ggml".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertThrowsError(try LlamaScorer(modelPath: text)) { error in
            XCTAssertEqual(error as? ScoringError, .notGGUF(path: text, firstBytes: "\"ggml\""))
        }
        let empty = dir + "/empty.gguf"
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        XCTAssertThrowsError(try LlamaScorer(modelPath: empty)) { error in
            XCTAssertEqual(error as? ScoringError, .notGGUF(path: empty, firstBytes: "nothing (the file is empty)"))
        }
    }

    /// The memory check compares the file size with MemAvailable; a fake /proc/meminfo with
    /// 1 MB available makes the real 98 MB model too large.
    func testModelLargerThanAvailableMemory() throws {
        try Fixtures.requireModel()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let meminfo = dir + "/meminfo"
        try "MemTotal:       16000000 kB\nMemFree:         1000 kB\nMemAvailable:       1024 kB\n"
            .write(toFile: meminfo, atomically: true, encoding: .utf8)
        XCTAssertEqual(ModelFileCheck.availableMemory(meminfo: meminfo), 1024 * 1024)
        let size = try XCTUnwrap((try FileManager.default.attributesOfItem(atPath: Fixtures.model)[.size] as? NSNumber)?.int64Value)
        XCTAssertThrowsError(try ModelFileCheck.validate(Fixtures.model, availableBytes: 1024 * 1024)) { error in
            XCTAssertEqual(error as? ScoringError, .modelTooLarge(path: Fixtures.model, bytes: size, availableBytes: 1024 * 1024))
            XCTAssertTrue("\(error)".contains("1 MB of memory is available"), "\(error)")
        }
        XCTAssertNoThrow(try ModelFileCheck.validate(Fixtures.model, availableBytes: size + 1))
    }

    func testPromptLongerThanContextNamesItemTokensAndContext() throws {
        try Fixtures.requireModel()
        // llama.cpp rounds the context up (to 256 cells here); errors report the real size.
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, contextSize: 64, batchSize: 64)
        let context = scorer.contextSize
        XCTAssertGreaterThanOrEqual(context, 64)
        let long = ChoiceItem(id: "long-1", prompt: String(repeating: "word ", count: context) + "end:", choices: [" yes", " no"])
        let tokens = scorer.tokenize(long.prompt + " yes").count
        let required = tokens - 1 // the prompt once; a choice's last (here only) token is never evaluated
        XCTAssertThrowsError(try scorer.score([Fixtures.items[4], long])) { error in
            XCTAssertEqual(error as? ScoringError, .promptTooLong(id: "long-1", tokens: required, contextSize: context))
            XCTAssertTrue("\(error)".contains("--ctx"), "\(error)")
        }
        XCTAssertThrowsError(try scorer.generate(prompt: long.prompt, maxTokens: 4, stop: [])) { error in
            guard case .promptTooLong(_, _, context)? = error as? ScoringError else { return XCTFail("\(error)") }
        }
    }

    func testMalformedItems() throws {
        try Fixtures.requireModel()
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        XCTAssertThrowsError(try scorer.score([ChoiceItem(id: "x", prompt: "Q:", choices: [])])) {
            XCTAssertEqual($0 as? ScoringError, .noChoices(id: "x"))
        }
        XCTAssertThrowsError(try scorer.score([ChoiceItem(id: "y", prompt: "Q:", choices: [" a", ""])])) {
            XCTAssertEqual($0 as? ScoringError, .emptyChoice(id: "y", index: 1))
        }
        // SmolLM2 adds no BOS: with an empty prompt nothing precedes the first choice token.
        XCTAssertThrowsError(try scorer.score([ChoiceItem(id: "z", prompt: "", choices: ["yes", "no"])])) {
            XCTAssertEqual($0 as? ScoringError, .nothingToCondition(id: "z"))
        }
        let many = ChoiceItem(id: "many", prompt: "Pick:", choices: (0..<127).map { " option \($0)" })
        XCTAssertThrowsError(try scorer.score([many])) {
            XCTAssertEqual($0 as? ScoringError, .tooManyChoices(id: "many", count: 127, limit: 126))
        }
    }

    /// A non-JSON answer is quoted (first 200 characters) with the URL it came from.
    func testNonJSONAnswerIsQuoted() throws {
        let client = try HTTPClient(base: "http://127.0.0.1:8080", timeout: 1)
        let html = "<!doctype html>" + String(repeating: "<p>llama</p>", count: 40)
        XCTAssertThrowsError(try client.parse(html, from: "/tokenize")) { error in
            guard case let .badResponse(url, _, body)? = error as? ScoringError else { return XCTFail("\(error)") }
            XCTAssertEqual(url, "http://127.0.0.1:8080/tokenize")
            XCTAssertEqual(body, html)
            XCTAssertTrue("\(error)".contains("\"" + html.prefix(200) + "…\""), "\(error)")
        }
    }

    func testTaskFileErrors() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let noSpace = PerplexityTask(item: ChoiceItem(id: "a", prompt: "Q:", choices: ["yes"]), gold: 0)
        XCTAssertThrowsError(try PerplexityTaskFile.encode([noSpace])) {
            guard case .taskNotRepresentable(id: "a", _)? = $0 as? ScoringError else { return XCTFail("\($0)") }
        }
        // A trailing space in the prompt moves into llama-perplexity's joining space.
        let moved = PerplexityTask(item: ChoiceItem(id: "b", prompt: "Q: ", choices: ["yes", "no"]), gold: 1)
        let back = try PerplexityTaskFile.decode(try PerplexityTaskFile.encode([moved]))
        XCTAssertEqual(back[0].item.prompt + back[0].item.choices[0], "Q: yes")
        XCTAssertEqual(back[0].gold, 1)

        let truncated = dir + "/cut.bin"
        let bytes = try PerplexityTaskFile.encode([moved])
        try Data(bytes.dropLast(6)).write(to: URL(fileURLWithPath: truncated))
        XCTAssertThrowsError(try PerplexityTaskFile.read(truncated)) {
            guard case .taskFileInvalid(path: truncated, _)? = $0 as? ScoringError else { return XCTFail("\($0)") }
            XCTAssertTrue("\($0)".contains(truncated), "\($0)")
        }
        XCTAssertThrowsError(try PerplexityTaskFile.read(dir + "/missing.bin")) {
            guard case .taskFileInvalid? = $0 as? ScoringError else { return XCTFail("\($0)") }
        }
    }

    func testHintsNameOnlyOptionsThatEvalScoreHas() {
        // `eval score` has --ctx, --threads and --exact, and no --batch (the hints used to suggest it).
        let errors: [ScoringError] = [.contextFailed(path: "m.gguf", contextSize: 2048)] + (Int32(-3)...Int32(3)).map { .decodeFailed(code: $0, tokens: 10) }
        for e in errors { XCTAssertFalse(e.description.contains("--batch"), e.description) }
    }
}
