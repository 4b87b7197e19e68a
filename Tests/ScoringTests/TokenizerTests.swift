import Foundation
@testable import Scoring
import JSON
import XCTest

/// `Tokenizer` (vocab-only) against llama.cpp's own tokenizer endpoint: the real llama-server of
/// this build, `/tokenize` with `add_special: true, parse_special: false`, on the same model.
final class TokenizerTests: XCTestCase {
    private var server: Process?

    override func tearDown() {
        if let server, server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        super.tearDown()
    }

    func testCountsMatchLlamaServerTokenize() throws {
        try Fixtures.requireModel(tools: [Fixtures.server])
        let port = try RemoteScorerTests.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.server)
        process.arguments = ["-m", Fixtures.model, "--host", "127.0.0.1", "--port", String(port), "-t", "1", "-c", "512", "-np", "1"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        server = process
        let base = "http://127.0.0.1:\(port)"
        let deadline = Date().addingTimeInterval(60)
        var healthy = false
        while Date() < deadline, process.isRunning {
            if Fixtures.healthy(base) { healthy = true; break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertTrue(healthy, "llama-server on \(base)")
        let client = try HTTPClient(base: base, timeout: 30)
        let tokenizer = try Tokenizer(modelPath: Fixtures.model)
        let texts = ["", "a", "다음 뉴스 기사의 제목이 낚시성인지 판단하세요.\n\n제목: 충격! 국내 연구진 신형 스마트폰 경악\n답: 낚시성 기사",
                     "The quick brown fox.", "<|im_start|>user literal special text", "ㅋㅋㅋ 실화냐ㄷㄷ 😀 \"따옴표\" \\n",
                     String(repeating: "관계자는 현재 상황을 면밀히 살피고 있다고 말했다. ", count: 40)]
        for text in texts {
            let reply = try client.postJSON("/tokenize", .object([("content", .string(text)), ("add_special", .bool(true)), ("parse_special", .bool(false))]))
            guard case let .array(tokens)? = reply["tokens"] else { return XCTFail("no tokens in \(reply)") }
            XCTAssertEqual(tokenizer.count(text), tokens.count, text)
        }
        XCTAssertGreaterThan(tokenizer.count(texts[6]), 400, "a long text is counted whole")
    }

    func testAMissingOrNonGGUFFileIsAClearError() throws {
        XCTAssertThrowsError(try Tokenizer(modelPath: "/nonexistent.gguf")) { XCTAssertEqual($0 as? ScoringError, .modelNotFound(path: "/nonexistent.gguf")) }
        let dir = try Fixtures.temporaryDirectory()
        try "not a model".write(toFile: dir + "/x.gguf", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Tokenizer(modelPath: dir + "/x.gguf")) { guard case .notGGUF? = $0 as? ScoringError else { return XCTFail("\($0)") } }
    }
}
