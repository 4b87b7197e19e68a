import Foundation
import HarnessSpec
@testable import Prep
import JSON
import XCTest

/// The `instruct` stage: templates, verbalized labels, variants, and the alpaca/chat export lines.
final class InstructTests: XCTestCase {
    private let h = StageHarness.self

    private func instruct(_ args: String, record: String = StageHarness.fields) throws -> Instruct {
        try h.stage("  - instruct: \(args)", record: record, as: Instruct.self)
    }

    /// Parses an export line with Foundation's JSON parser (independent of the harness's writer).
    private func json(_ line: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    private let alpacaArgs = """
    {format: alpaca, instruction: "낚시성인지 판단하세요.", input: "제목: {title}\\n본문: {body}", output: "{label}",
     verbalize: {label: {clickbait: 낚시성 기사, normal: 정상 기사}}}
    """

    func testAlpacaFieldsAndExportLine() throws {
        let stage = try instruct(alpacaArgs)
        XCTAssertEqual(stage.columns(after: ["id", "title"]), ["id", "title", "instruction", "input", "output"])
        let rec = h.record("1", ["title": "충격 \"단독\"", "body": "본문,\n둘째 줄", "label": "clickbait"])
        let r = try stage.apply([rec, h.record("2", ["title": "t", "label": "unknown-label"])])
        let out = r.records[0]
        XCTAssertEqual(out.fields["instruction"], "낚시성인지 판단하세요.")
        XCTAssertEqual(out.fields["input"], "제목: 충격 \"단독\"\n본문: 본문,\n둘째 줄")
        XCTAssertEqual(out.fields["output"], "낚시성 기사")
        XCTAssertEqual(out.fields["label"], "clickbait", "the label field itself is not rewritten")
        XCTAssertNil(out.fields["variant"], "one instruction: no variant column")
        XCTAssertEqual(r.records[1].fields["output"], "unknown-label", "an unlisted value is kept as is")
        XCTAssertEqual(r.records[1].fields["input"], "제목: t\n본문: ", "a null field renders as empty text")

        let export = try XCTUnwrap(stage.export)
        XCTAssertEqual(export.suffix, "alpaca")
        let line = String(decoding: export.line(out), as: UTF8.self)
        XCTAssertFalse(line.contains("\n"), "one line per record")
        let obj = try json(line)
        XCTAssertEqual(Set(obj.keys), ["instruction", "input", "output"])
        XCTAssertEqual(obj["instruction"] as? String, "낚시성인지 판단하세요.")
        XCTAssertEqual(obj["input"] as? String, "제목: 충격 \"단독\"\n본문: 본문,\n둘째 줄")
        XCTAssertEqual(obj["output"] as? String, "낚시성 기사")
    }

    func testChatExportLineHasSystemUserAndAssistant() throws {
        let stage = try instruct("{format: chat, system: 도우미입니다., instruction: \"{title}을 분류하세요.\", input: \"{body}\", output: \"{label}\"}")
        let out = try stage.apply([h.record("1", ["title": "기사", "body": "본문", "label": "normal"])]).records[0]
        XCTAssertEqual(stage.export?.suffix, "chat")
        let obj = try json(String(decoding: try XCTUnwrap(stage.export).line(out), as: UTF8.self))
        let messages = try XCTUnwrap(obj["messages"] as? [[String: String]])
        XCTAssertEqual(messages, [["role": "system", "content": "도우미입니다."],
                                  ["role": "user", "content": "기사을 분류하세요.\n\n본문"],
                                  ["role": "assistant", "content": "normal"]])
        // No system, no input: the user message is the instruction alone.
        let bare = try instruct("{format: chat, instruction: 분류하세요., output: \"{label}\"}")
        let o2 = try bare.apply([h.record("2", ["label": "x"])]).records[0]
        let m2 = try XCTUnwrap(try json(String(decoding: try XCTUnwrap(bare.export).line(o2), as: UTF8.self))["messages"] as? [[String: String]])
        XCTAssertEqual(m2, [["role": "user", "content": "분류하세요."], ["role": "assistant", "content": "x"]])
    }

    func testAPlaceholderThatIsNotAFieldIsASpecErrorWithASuggestion() throws {
        XCTAssertThrowsError(try instruct("{instruction: 판단하세요., input: \"{titel}\", output: \"{label}\"}")) {
            let e = $0 as? SpecError
            XCTAssertEqual(e?.key, "stages[0].instruct.input")
            XCTAssertTrue(e?.message.hasPrefix("placeholder {titel} is not a record field; did you mean {title}?") ?? false, e?.message ?? "")
            XCTAssertTrue(e?.message.contains("(fields: id, title, body, label, type, subtitle, keep)") ?? false, e?.message ?? "")
        }
        XCTAssertThrowsError(try instruct("{instruction: [a, \"{nothing_like_it}\"], output: \"{label}\"}")) {
            XCTAssertEqual(($0 as? SpecError)?.key, "stages[0].instruct.instruction[1]")
        }
        XCTAssertThrowsError(try instruct("{instruction: a, output: \"{label\"}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.contains("'{' without a closing '}'") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try instruct("{instruction: a}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.hasPrefix("missing required key 'output'") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try instruct("{instruction: a, output: b, verbalize: {lable: {a: b}}}")) {
            XCTAssertEqual(($0 as? SpecError)?.message, "no record field 'lable' to verbalize")
        }
        XCTAssertThrowsError(try instruct("{format: alpacca, instruction: a, output: b}")) {
            XCTAssertTrue(($0 as? SpecError)?.message.contains("did you mean 'alpaca'?") ?? false, "\($0)")
        }
    }

    func testSeveralInstructionsGiveADeterministicVariantPerId() throws {
        let args = "{instruction: [\"A {title}\", \"B {title}\", \"C {title}\"], output: \"{label}\", seed: 5}"
        let stage = try instruct(args)
        XCTAssertEqual(stage.columns(after: ["id"]), ["id", "instruction", "input", "output", "variant"])
        let input = (0..<60).map { h.record("id-\($0)", ["title": "t\($0)", "label": "l"]) }
        let a = try stage.apply(input).records
        let b = try instruct(args).apply(input).records
        XCTAssertEqual(a, b, "same seed, same variants")
        for r in a {
            let v = try XCTUnwrap(r.fields["variant"].flatMap(Int.init))
            XCTAssertEqual(r.fields["instruction"], ["A", "B", "C"][v - 1] + " " + (r.fields["title"] ?? ""))
        }
        XCTAssertEqual(Set(a.compactMap { $0.fields["variant"] }), ["1", "2", "3"], "60 ids use every variant")
        // The variant depends on the id, not on the position.
        let reversed = try stage.apply(input.reversed()).records
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: reversed.map { ($0.fields["id"]!, $0.fields["variant"]!) }),
                       Dictionary(uniqueKeysWithValues: a.map { ($0.fields["id"]!, $0.fields["variant"]!) }))
        let otherSeed = try instruct(args.replacingOccurrences(of: "seed: 5", with: "seed: 6")).apply(input).records
        XCTAssertNotEqual(otherSeed.map { $0.fields["variant"] }, a.map { $0.fields["variant"] })
    }

    func testRenderListsFormatsAConversation() throws {
        let record = "  id: id\n  conversation: {json: conv}\n  label: label\n"
        let stage = try instruct("{format: chat, instruction: 고르세요., input: \"{conversation}\", output: \"{label}\", render_lists: {conversation: {item: \"화자{speaker}: {utterance}\", join: \"\\n\"}}}", record: record)
        let conv = #"[{"speaker":1,"utterance":"영화 봤어?"},{"speaker":2,"utterance":"응 봤지"}]"#
        let out = try stage.apply([h.record("c", ["conversation": conv, "label": "inference_1"])]).records[0]
        XCTAssertEqual(out.fields["input"], "화자1: 영화 봤어?\n화자2: 응 봤지")
        XCTAssertEqual(out.fields["conversation"], conv, "the field itself keeps its JSON")
    }

    func testEmptyInput() throws {
        XCTAssertEqual(try instruct(alpacaArgs).apply([]).records, [])
    }
}
