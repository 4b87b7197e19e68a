import Foundation
import HarnessSpec
import JSON
@testable import Prep
import Records
import Store
import XCTest

/// Runs the real `specs/dialogue-inference.yaml` on `fixtures/nikl` and checks the cleaned
/// conversations against the rules of /work/shared/AIHUB.md section 2, applied BY HAND below:
///   R1 newline -> space; R2 a standalone run of ㅇ -> 응; R3 4+ dots -> "...", 2+ "?" -> "??";
///   R4 delete ~!><@_/-ᆢ:;()^; R5 delete greetings 안녕…/반갑습…; R6 name1/name2 -> 화자1/화자2;
///   R7 delete runs of bare jamo; R8 punctuation but no Hangul syllable -> empty; then spaces
///   collapsed and trimmed; empty utterances dropped; consecutive turns of one speaker merged
///   unless one of them is referenced (input.reference_id).
final class DialogueCleaningTests: XCTestCase {
    nonisolated(unsafe) static var train: [Record] = []
    nonisolated(unsafe) static var chatLines: [String] = []
    nonisolated(unsafe) static var report: PrepRunner.Report?
    nonisolated(unsafe) static var dir = ""

    override class func setUp() {
        super.setUp()
        do {
            dir = try Repo.tempDir("dialogue")
            let text = try Repo.text("specs/dialogue-inference.yaml")
                .replacingOnce("root: fixtures/nikl", with: "root: \"\(Repo.path("fixtures/nikl"))\"")
                .replacingOnce("outputs: {formats:", with: "outputs: {dir: \"\(dir)/out\", formats:")
            let spec = try SpecLoader.parse(text, file: "dialogue-inference.yaml")
            let store = try RunStore(path: dir + "/h.sqlite")
            report = try PrepRunner(spec: spec, store: store, options: .init(progress: false)).run()
            train = try PrepRunner.load(dir + "/out/train.jsonl")
            chatLines = try String(contentsOfFile: dir + "/out/train.chat.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
        } catch {
            report = nil
            print("DialogueCleaningTests setup failed: \(error)")
        }
    }

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
        super.tearDown()
    }

    private func conversation(_ n: Int) throws -> [(speaker: Int, text: String, id: String)] {
        XCTAssertNotNil(Self.report, "the dialogue spec did not run (see the setup message)")
        let id = "nikluge-2024-대화 맥락 추론-train-" + String(repeating: "0", count: 6 - String(n).count) + String(n)
        let record = try XCTUnwrap(Self.train.first { $0.fields["id"] == id }, "no record \(id)")
        guard case let .array(turns) = try JSONParser.parse(try XCTUnwrap(record.fields["conversation"])) else {
            XCTFail("conversation is not a list"); return []
        }
        return turns.map { t in
            (Int(t["speaker"]?.scalarText ?? "") ?? -1, t["utterance"]?.scalarText ?? "<null>",
             String((t["utterance_id"]?.scalarText ?? "").split(separator: ".").last ?? ""))
        }
    }

    private func check(_ n: Int, _ expected: [(Int, String, String)], file: StaticString = #filePath, line: UInt = #line) throws {
        let got = try conversation(n)
        XCTAssertEqual(got.map(\.text), expected.map(\.1), "example \(n) utterances", file: file, line: line)
        XCTAssertEqual(got.map(\.speaker), expected.map(\.0), "example \(n) speakers", file: file, line: line)
        XCTAssertEqual(got.map(\.id), expected.map(\.2), "example \(n) utterance ids (last component)", file: file, line: line)
    }

    /// Example 1 (reference_id .1.5):
    ///   1 "어제 그 영화 봤어???"               R3 ??? -> ??                    -> "어제 그 영화 봤어??"
    ///   2 "name1 응 봤지!! 결말 완전 소름"      R4 deletes !!, R6 name1 -> 화자1 -> "화자1 응 봤지 결말 완전 소름"
    ///   3 "나 아직 안 봤는데 스포 금지 ㅠㅠ"     R7 deletes ㅠㅠ, trimmed       -> "나 아직 안 봤는데 스포 금지"
    ///   4 "앗 미안ᆢ 입 다물게"                 R4 deletes ᆢ                   -> "앗 미안 입 다물게"
    ///   5 "근데 꼭 극장에서 봐 음향이 대박이야"    unchanged; same speaker as 4 but referenced: not merged
    ///   6 "ㅇㅋ 이번 주말에 예매해야겠다:) >_<"   R2 does not apply (ㅇ is followed by the jamo ㅋ);
    ///                                         R4 deletes : ) > _ <, R7 deletes ㅇㅋ, trimmed -> "이번 주말에 예매해야겠다"
    ///   7 "^^"                                 R4 deletes ^^ -> "" -> dropped
    func testExample1() throws {
        try check(1, [(1, "어제 그 영화 봤어??", "1"), (2, "화자1 응 봤지 결말 완전 소름", "2"), (1, "나 아직 안 봤는데 스포 금지", "3"),
                      (2, "앗 미안 입 다물게", "4"), (2, "근데 꼭 극장에서 봐 음향이 대박이야", "5"), (1, "이번 주말에 예매해야겠다", "6")])
    }

    /// Example 2 (reference_id .1.4):
    ///   1 "안녕 name2! 다음 주가 엄마 생신인데 뭐 사지?"  R4 deletes !, R5 deletes 안녕, R6 name2 -> 화자2, trimmed
    ///   2 "음..... 작년엔 뭐 드렸어?"                  R3 ..... -> ...
    ///   3 "작년엔 꽃다발 드렸어" and 4 "올해는 ..." are both speaker 1, but 4 is referenced: not merged
    ///   5 "그럼 안마기 어때? 요즘 @쇼핑몰에서 할인하더라"  R4 deletes @
    ///   6 "오 좋다!! 바로 주문해야지"                   R4 deletes !!
    func testExample2() throws {
        try check(2, [(1, "화자2 다음 주가 엄마 생신인데 뭐 사지?", "1"), (2, "음... 작년엔 뭐 드렸어?", "2"), (1, "작년엔 꽃다발 드렸어", "3"),
                      (1, "올해는 좀 오래 쓰시는 걸 드리고 싶어", "4"), (2, "그럼 안마기 어때? 요즘 쇼핑몰에서 할인하더라", "5"),
                      (1, "오 좋다 바로 주문해야지", "6")])
    }

    /// Example 3 (reference_id .1.5):
    ///   1 "name2님 내일 발표 자료 다 됐어요? (웃음)"  R4 deletes ( ), R6 name2 -> 화자2
    ///   2 "거의요 마지막 장만 남았어요;;"              R4 deletes ;;
    ///   4 "아 그럼 정말 감사하죠 ^^"                  R4 deletes ^^, trimmed; same speaker as 5, but 5 is referenced
    ///   5 "파일은 공유 폴더_발표 에 올려 둘게요"         R4 deletes _ (the space before 에 stays)
    ///   6 "넵 확인하면 바로 수정할게요 :)"             R4 deletes : ), trimmed
    func testExample3() throws {
        try check(3, [(1, "화자2님 내일 발표 자료 다 됐어요? 웃음", "1"), (2, "거의요 마지막 장만 남았어요", "2"), (1, "제가 그래프 부분 도와드릴까요?", "3"),
                      (2, "아 그럼 정말 감사하죠", "4"), (2, "파일은 공유 폴더발표 에 올려 둘게요", "5"), (1, "넵 확인하면 바로 수정할게요", "6")])
    }

    /// Example 4 (two reference_ids: .1.3 and .1.4):
    ///   2 "반갑습니다 다음 달 15일이야\n짐 쌀 ..."  R1 newline -> space, R5 deletes 반갑습니다, trimmed
    ///   3 "도와줄까?? 나 그날 시간 돼"              ?? stays ?? (R3 only shortens longer runs)
    ///   4 "진짜?? 완전 고마워ㅠㅠ" (referenced)      R7 deletes ㅠㅠ; not merged with 5
    ///   5 "끝나고 짜장면 쏠게 ㅋㅋ"                  R7 deletes ㅋㅋ, trimmed
    ///   6 "ㅇㅇ 콜"                                R2 the standalone ㅇㅇ -> 응
    func testExample4() throws {
        try check(4, [(1, "화자2 이사 날짜 정해졌어?", "1"), (2, "다음 달 15일이야 짐 쌀 생각하니까 벌써 막막해", "2"), (1, "도와줄까?? 나 그날 시간 돼", "3"),
                      (2, "진짜?? 완전 고마워", "4"), (2, "끝나고 짜장면 쏠게", "5"), (1, "응 콜", "6")])
    }

    /// Example 5 (reference_id .1.4):
    ///   1 "... 같아 ㅠㅠㅠ" R7;  2 "헐 어디서????" R3 -> ??;  3 "있었는데....." R3 -> ...
    ///   3 and 4 are speaker 1, 4 is referenced: not merged
    ///   5 and 6 are speaker 2, neither referenced: merged with a space, keeping id .1.5
    ///   7 "?!" R4 deletes ! -> "?" R8 (punctuation, no Hangul) -> "" -> dropped
    ///   8 "방금 버스 회사에서 연락 왔어!! 찾았대" R4 deletes !!; follows the merged speaker-2 turn
    func testExample5MergesAnUnreferencedRunAndDropsPunctuationOnlyTurns() throws {
        try check(5, [(1, "나 지갑 잃어버린 것 같아", "1"), (2, "헐 어디서??", "2"), (1, "버스에서 내릴 때까지는 있었는데...", "3"),
                      (1, "카드부터 정지해야 하나?", "4"), (2, "응 일단 정지하고 버스 회사에 전화해 봐 분실물 센터에 들어와 있을 수도 있어", "5"),
                      (1, "방금 버스 회사에서 연락 왔어 찾았대", "8")])
    }

    func testTheChatFileRendersTheCleanedConversation() throws {
        XCTAssertNotNil(Self.report)
        XCTAssertEqual(Self.chatLines.count, Self.train.count)
        let first = try XCTUnwrap(Self.chatLines.first)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let messages = try XCTUnwrap(obj["messages"] as? [[String: String]])
        XCTAssertEqual(messages.map { $0["role"] ?? "" }, ["system", "user", "assistant"])
        XCTAssertEqual(messages[2]["content"], "inference_1", "example 1's output")
        let user = try XCTUnwrap(messages[1]["content"])
        XCTAssertTrue(user.hasPrefix("다음 대화를 읽고 원인에 해당하는"), user)
        XCTAssertTrue(user.contains("\n\n화자1: 어제 그 영화 봤어??\n화자2: 화자1 응 봤지 결말 완전 소름\n화자1: 나 아직 안 봤는데 스포 금지\n"
                                    + "화자2: 앗 미안 입 다물게\n화자2: 근데 꼭 극장에서 봐 음향이 대박이야\n화자1: 이번 주말에 예매해야겠다\n\ninference_1: "), user)
    }

    func testEveryExampleIsKeptPerSplitAndTestLabelsAreNull() throws {
        let r = try XCTUnwrap(Self.report)
        XCTAssertEqual(Self.train.count, 24)
        let out = Self.dir + "/out/"
        XCTAssertEqual(try PrepRunner.load(out + "valid.jsonl").count, 8)
        let test = try PrepRunner.load(out + "test.jsonl")
        XCTAssertEqual(test.count, 8)
        XCTAssertTrue(test.allSatisfy { $0.fields["label"] == nil }, "`output: \"\"` is a null word in this spec")
        XCTAssertEqual(r.stages.map(\.name), ["ingest", "refine", "drop", "instruct", "write"])
        XCTAssertEqual(r.stages[0].rowsOut, 40)
        // No utterance is left empty anywhere.
        for rec in Self.train + test {
            guard case let .array(turns) = try JSONParser.parse(rec.fields["conversation"] ?? "[]") else { continue }
            XCTAssertFalse(turns.contains { ($0["utterance"]?.scalarText ?? "").isEmpty }, rec.fields["id"] ?? "")
        }
    }
}
