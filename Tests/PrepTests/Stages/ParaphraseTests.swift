import HarnessSpec
@testable import Prep
import Records
import Store
import Support
import XCTest

/// `augment: {ops: [paraphrase], ...}`: real generations with SmolLM2 through the bundled llama.cpp,
/// the generation cache in a real run store, provenance on every copy, and the guards. The quality
/// of a 135M model's Korean paraphrases is not the point; the mechanism is.
final class ParaphraseTests: XCTestCase {
    private let h = StageHarness.self
    private var model: String { Repo.path("models/SmolLM2-135M-Instruct.Q4_1.gguf") }
    private let instructItem = "  - instruct: {instruction: \"제목이 낚시성인지 판단하세요.\", input: \"제목: {title}\\n본문: {body}\", output: \"{label}\"}\n"
    private let prompt = "\"<|im_start|>user\\n다음 뉴스 제목을 같은 뜻의 다른 말로 바꿔 쓰세요: {title}<|im_end|>\\n<|im_start|>assistant\\n\""

    private func paraphrase(_ extra: String = "", n: Int = 2, stages: String? = nil) throws -> Augment {
        try h.stage((stages ?? instructItem) + "  - augment: {ops: [paraphrase], field: title, n: \(n), prompt: \(prompt), model: \"\(model)\", max_tokens: 24\(extra)}",
                    at: stages == nil ? 1 : 2, as: Augment.self)
    }

    private func requireModel() throws {
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("run make setup for the test model") }
    }

    /// Rows as they come out of `instruct`: 4 training rows, 2 valid, 1 test.
    private func input() throws -> [Record] {
        let rows = [h.record("t0", ["title": "정부, 새 부동산 대책 발표", "body": "정부가 대책을 발표했다.", "label": "normal"]),
                    h.record("t1", ["title": "충격! 이 과일을 먹으면 생기는 일", "body": "과일은 몸에 좋다.", "label": "clickbait"]),
                    h.record("t2", ["title": "서울 아침 기온 영하 10도", "body": "추운 날씨가 이어진다.", "label": "normal"]),
                    h.record("t3", ["title": "연예인 A씨, 알고 보니", "body": "A씨는 결혼했다.", "label": "clickbait"]),
                    h.record("v0", split: "valid", ["title": "검증 제목", "body": "검증 본문이다.", "label": "normal"]),
                    h.record("v1", split: "valid", ["title": "검증 제목 둘: 정부가 내년 예산안을 국회에 제출했다", "body": "검증 본문 둘.", "label": "clickbait"]),
                    h.record("x0", split: "test", ["title": "시험 제목", "body": "시험 본문.", "label": "normal"])]
        return try h.stage(instructItem).apply(rows).records
    }

    private func withStore(_ body: (RunStore) throws -> Void) throws {
        let dir = try Repo.tempDir("paraphrase")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(try RunStore(path: dir + "/h.sqlite"))
    }

    func testCopiesCarryProvenanceAndARerunGeneratesNothing() throws {
        try requireModel()
        try withStore { store in
            let records = try input()
            let stage = try paraphrase()
            let context = StageContext(store: store, runID: nil, progress: false)
            let first = try stage.apply(records, context: context)
            XCTAssertEqual(h.detail(first, "generated"), .number("8"), "4 training rows x 2")
            XCTAssertEqual(h.detail(first, "from_cache"), .number("0"))
            XCTAssertEqual(try store.generationCount(), 8)
            XCTAssertEqual(Array(first.records.prefix(records.count)), records, "the input first, unchanged")
            let copies = Array(first.records.dropFirst(records.count))
            XCTAssertEqual(copies.count + first.ledger.count, 8, "every paraphrase is kept or in the ledger")
            XCTAssertEqual(h.detail(first, "added"), .number(String(copies.count)))
            XCTAssertEqual(Set(copies.map(\.split)), ["train"], "held-out rows are never paraphrased")
            let stored = try store.generations(keys: try store.db.query("SELECT key FROM generations").compactMap { $0["key"].text })
            for c in copies + first.ledger.map(\.record) {
                let origin = try XCTUnwrap(c.origin)
                let original = try XCTUnwrap(records.first { $0.fields["id"] == origin })
                let k = try XCTUnwrap(c.fields["id"]?.split(separator: "#").last)
                XCTAssertTrue(["para1", "para2"].contains(String(k)), c.fields["id"] ?? "")
                // Provenance: the prompt as sent, the raw answer, the generator.
                let prompt = try XCTUnwrap(c.fields["_prompt"])
                XCTAssertTrue(prompt.contains(original.fields["title"]!), prompt)
                XCTAssertTrue(stored.values.contains { $0.prompt == prompt && $0.output == c.fields["_raw"] }, "the raw answer is the stored one")
                XCTAssertTrue(c.fields["_generator"]?.hasPrefix("llama.cpp SmolLM2-135M-Instruct.Q4_1.gguf sha256:") ?? false, c.fields["_generator"] ?? "")
                XCTAssertEqual(c.fields["title"], ParaphraseText.clean(c.fields["_raw"]!))
                // The answer stays; the input is rendered again from the new title.
                XCTAssertEqual(c.fields["output"], original.fields["output"])
                XCTAssertEqual(c.fields["input"], "제목: \(c.fields["title"]!)\n본문: \(original.fields["body"]!)")
            }
            for removal in first.ledger { XCTAssertTrue(removal.reason.hasPrefix("paraphrase "), removal.reason) }

            // A second run over the same store: every text comes from the cache, the result is the same.
            let second = try paraphrase().apply(records, context: context)
            XCTAssertEqual(h.detail(second, "generated"), .number("0"))
            XCTAssertEqual(h.detail(second, "from_cache"), .number("8"))
            XCTAssertEqual(second.records, first.records)
            XCTAssertEqual(try store.generationCount(), 8)
            // Another seed is another sample: new generations, the old ones stay.
            let reseeded = try paraphrase(", seed: 99").apply(records, context: context)
            XCTAssertEqual(h.detail(reseeded, "generated"), .number("8"))
            XCTAssertEqual(try store.generationCount(), 16)
        }
    }

    /// The guards, driven by answers put in the cache under the keys the stage will look up: no
    /// model runs, and each answer is exactly what the case needs.
    func testGuardsDropEmptySourceRepeatsAndHeldOutCopies() throws {
        try requireModel()
        try withStore { store in
            let records = try input()
            let stage = try paraphrase(n: 3)
            let settings = try XCTUnwrap(stage.paraphrase)
            let identity = "llama:" + (try SHA256.hex(file: model))
            let answers: [String: [String]] = [
                "t0": ["\"정부가 새 부동산 정책을 내놓았다\"", "정부가 새 부동산 정책을 내놓았다", "   \n\n"],   // kept, repeat, empty
                "t1": ["충격! 이 과일을 먹으면 생기는 일", "검증 제목", "과일을 먹으면 생기는 놀라운 일"],       // source, valid's title, kept
                "t2": ["서울 아침 기온이 영하 10도", "시험  제목", "오늘 아침 서울 영하 10도"],                // kept, test's title (spacing aside), kept
                "t3": ["연예인 A씨의 반전", "「연예인 A씨의 반전」", "검증 제목 둘: 정부가 내년 예산안을 국회에 제출했다고"],  // kept, repeat, valid (near)
            ]
            let instruct = try h.stage(instructItem, as: Instruct.self)
            for r in records where r.split == "train" {
                let id = r.fields["id"]!
                let prompt = settings.prompt.render { instruct.value(r, $0) }
                for (k, raw) in answers[id]!.enumerated() {
                    try store.addGeneration(StoredGeneration(key: GenerationCache.key(generator: identity, settings: settings.settingsText(copy: k), prompt: prompt),
                                                             generator: identity, prompt: prompt, sampling: settings.settingsText(copy: k), output: raw, seconds: 0), run: nil)
                }
            }
            let r = try stage.apply(records, context: StageContext(store: store, runID: nil, progress: false))
            XCTAssertEqual(h.detail(r, "generated"), .number("0"), "every answer came from the cache")
            let kept = r.records.dropFirst(records.count).map { "\($0.fields["id"]!)=\($0.fields["title"]!)" }
            XCTAssertEqual(kept, ["t0#para1=정부가 새 부동산 정책을 내놓았다", "t1#para3=과일을 먹으면 생기는 놀라운 일",
                                  "t2#para1=서울 아침 기온이 영하 10도", "t2#para3=오늘 아침 서울 영하 10도", "t3#para1=연예인 A씨의 반전"])
            let why = Dictionary(uniqueKeysWithValues: r.ledger.map { ($0.record.fields["id"]!, $0.reason) })
            XCTAssertEqual(why["t0#para2"], "paraphrase repeats another copy of its row")
            XCTAssertEqual(why["t0#para3"], "paraphrase empty")
            XCTAssertEqual(why["t1#para1"], "paraphrase identical to its source")
            XCTAssertEqual(why["t1#para2"], "paraphrase identical to a held-out row")
            XCTAssertEqual(why["t2#para2"], "paraphrase identical to a held-out row", "compared as drop compares: spaces collapsed")
            XCTAssertEqual(why["t3#para2"], "paraphrase repeats another copy of its row", "quotes are cleaned before comparing")
            XCTAssertEqual(why["t3#para3"], "paraphrase near-duplicate of a held-out row")
            XCTAssertEqual(r.ledger.first { $0.record.fields["id"] == "t1#para2" }?.duplicateOf?.id, "v0")
            XCTAssertEqual(r.ledger.first { $0.record.fields["id"] == "t3#para3" }?.duplicateOf?.id, "v1")
            XCTAssertEqual(r.ledger.count + kept.count, 12)
            XCTAssertEqual(r.ledger.first { $0.record.fields["id"] == "t0#para3" }?.record.fields["_raw"], "   \n\n", "the raw answer is kept")
        }
    }

    func testCleaningTakesTheFirstLineWithoutQuotes() {
        XCTAssertEqual(ParaphraseText.clean("\n  \"정부, 새 정책 발표\"\n설명: 이 제목은"), "정부, 새 정책 발표")
        XCTAssertEqual(ParaphraseText.clean("「새 제목」"), "새 제목")
        XCTAssertEqual(ParaphraseText.clean("“새 제목”  "), "새 제목")
        XCTAssertEqual(ParaphraseText.clean("\"열린 따옴표만"), "\"열린 따옴표만")
        XCTAssertEqual(ParaphraseText.clean("\r\n\r\n"), "")
    }

    func testSpecErrorsNameTheKey() throws {
        try requireModel()
        func error(_ args: String, stages: String? = nil) -> String {
            do {
                _ = try h.stage((stages ?? instructItem) + "  - augment: \(args)", at: stages == nil ? 1 : 2)
                return "no error"
            } catch { return "\(error)" }
        }
        let base = "ops: [paraphrase], field: title, prompt: \(prompt), model: \"\(model)\""
        XCTAssertTrue(error("{\(base), target: 2x}").contains("paraphrase makes `n` copies"))
        XCTAssertTrue(error("{ops: [paraphrase, shuffle_sentences], field: title, prompt: \(prompt), model: \"\(model)\"}").contains("put shuffle_sentences in a second augment stage"))
        XCTAssertTrue(error("{\(base), instructions: [\"a\"]}").contains("use `field: instruction`"))
        XCTAssertTrue(error("{ops: [paraphrase], field: output, prompt: \"{output}\", model: \"\(model)\"}").contains("'output' is not paraphrased"))
        XCTAssertTrue(error("{ops: [paraphrase], field: label, prompt: \"{label}\", model: \"\(model)\"}").contains("part of the answer"))
        XCTAssertTrue(error("{ops: [paraphrase], field: title, prompt: \"Rewrite {body}\", model: \"\(model)\"}").contains("never shows the model {title}"))
        XCTAssertTrue(error("{ops: [paraphrase], field: title, prompt: \(prompt)}").contains("needs a generator"))
        XCTAssertTrue(error("{ops: [paraphrase], field: title, prompt: \(prompt), model: /no/such.gguf}").contains("no model file at /no/such.gguf"))
        XCTAssertTrue(error("{ops: [paraphrase], field: title, prompt: \(prompt), backend: openai}").contains("missing required key 'url'"))
        XCTAssertTrue(error("{ops: [paraphrase], field: title, prompt: \(prompt), backend: openai, url: localhost:8080}").contains("not an http:// or https:// address"))
        XCTAssertTrue(error("{\(base), split: valid}").contains("training split ('train') only"))
        XCTAssertTrue(error("{target: 2x, ops: [shuffle_sentences], prompt: \"x\"}").contains("belongs to the paraphrase op"))
        XCTAssertTrue(error("{\(base), n: 0}").contains("between 1 and 100"))
        XCTAssertTrue(error("{ops: [paraphrase], prompt: \(prompt), model: \"\(model)\"}").contains("name the field to paraphrase"))
        XCTAssertEqual(error("{\(base), backend: openai, url: \"http://127.0.0.1:9\"}").contains("`model:` is a GGUF file"), true)
        XCTAssertEqual(error("{\(base)}"), "no error")
    }

    func testTheModelFileAndTheGuardSettingsAreInTheCacheKey() throws {
        try requireModel()
        let plain = try paraphrase()
        XCTAssertTrue(plain.readsBeyondItsEntry.contains("SmolLM2-135M-Instruct.Q4_1.gguf"), plain.readsBeyondItsEntry)
        XCTAssertTrue(plain.readsBeyondItsEntry.contains("\"threshold\":0.8"), plain.readsBeyondItsEntry)
        let withDedup = instructItem.replacingOccurrences(of: "  - instruct", with: "  - dedup: {fields: [body], threshold: 0.6, ngram: 3}\n  - instruct")
        let guarded = try paraphrase(stages: withDedup)
        XCTAssertEqual(guarded.nearCopies?.threshold, 0.6, "the held-out guard compares as the spec's dedup does")
        XCTAssertEqual(guarded.nearCopies?.ngram, 3)
        XCTAssertNotEqual(guarded.readsBeyondItsEntry, plain.readsBeyondItsEntry)
        XCTAssertEqual(plain.columns(after: ["id", "title"]), ["id", "title", "_generator", "_prompt", "_raw"])
    }
}
