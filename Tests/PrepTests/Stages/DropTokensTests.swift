import HarnessSpec
@testable import Prep
import Records
import Scoring
import XCTest

/// `drop: {max_tokens: N, tokenizer: MODEL}`: rows longer than the training context under the real
/// model's tokenizer go, with their reason in the ledger. Expected counts come from `Tokenizer`,
/// which `ScoringTests.TokenizerTests` checks against llama-server's /tokenize.
final class DropTokensTests: XCTestCase {
    private let h = StageHarness.self
    private var model: String { Repo.path("models/SmolLM2-135M-Instruct.Q4_1.gguf") }

    private func rows() -> [Record] {
        (0..<12).map { i in
            h.record("r\(i)", ["instruction": "다음 기사가 낚시성인지 판단하세요.", "input": String(repeating: "본문 문장입니다. ", count: i * 3),
                               "output": i % 2 == 0 ? "낚시성 기사" : "정상 기사"])
        }
    }

    func testRowsOverTheLimitGoWithTheirReasonAndTheRestStay() throws {
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("run make setup for the test model") }
        let tokenizer = try Tokenizer(modelPath: model)
        let input = rows()
        let counts = input.map { r in tokenizer.count(["instruction", "input", "output"].compactMap { r.fields[$0] }.joined(separator: "\n")) }
        let limit = counts.sorted()[6]          // about half the rows are longer
        let stage = try h.stage("  - drop: {max_tokens: \(limit), tokenizer: \"\(model)\"}")
        let r = try stage.apply(input)
        let expectedGone = Set(input.indices.filter { counts[$0] > limit }.map { "r\($0)" })
        XCTAssertFalse(expectedGone.isEmpty)
        XCTAssertEqual(Set(r.ledger.map { $0.record.fields["id"]! }), expectedGone)
        XCTAssertEqual(r.removed.map(\.reason), ["over \(limit) tokens"])
        XCTAssertEqual(r.records.count + r.ledger.count, input.count)
        XCTAssertTrue(stage.readsBeyondItsEntry.contains("SmolLM2"), "the tokenizer file is part of the cache key")
    }

    func testMaxTokensNeedsATokenizerAndRowsWithTheCountedFields() throws {
        XCTAssertThrowsError(try h.stage("  - drop: {max_tokens: 100}")) { XCTAssertTrue("\($0)".contains("needs `tokenizer: PATH.gguf`"), "\($0)") }
        XCTAssertThrowsError(try h.stage("  - drop: {max_tokens: 100, tokenizer: /no/such.gguf}")) { XCTAssertTrue("\($0)".contains("no model file at /no/such.gguf"), "\($0)") }
        XCTAssertThrowsError(try h.stage("  - drop: {tokenizer: \"\(model)\"}")) { XCTAssertTrue("\($0)".contains("give `max_tokens` too"), "\($0)") }
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("run make setup for the test model") }
        let stage = try h.stage("  - drop: {max_tokens: 100, tokenizer: \"\(model)\"}")
        XCTAssertThrowsError(try stage.apply([h.record("x", ["title": "no instruction yet"])])) {
            XCTAssertTrue("\($0)".contains("put `drop` after `instruct`"), "\($0)")
        }
        let titled = try h.stage("  - drop: {max_tokens: 100, tokenizer: \"\(model)\", token_fields: [title]}")
        XCTAssertEqual(try titled.apply([h.record("x", ["title": "짧은 제목"])]).records.count, 1)
    }
}
