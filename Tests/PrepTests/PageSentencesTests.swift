import Foundation
import HarnessSpec
import Korean
@testable import Prep
import XCTest

/// `source.sentences: kiwi` through the runner, on fixtures/news/sentences/wrapped_201.html
/// (fixtures/news/make_pages.py): the body cut by Kiwi one sentence per line, the default keeping
/// the page's lines, the ingest's cache key, and a missing model. Needs the Kiwi model that
/// `make setup` installs (as KoreanTests do).
final class PageSentencesTests: XCTestCase {
    /// The page's body with the default `sentences: lines`: a line per `<p>`, `<h3>` and `<br>`.
    static let lines = """
    정부가 3분기 전기요금을 동결하기로 했다. 물가 부담을 고려한 결정이다.
    산업통상자원부는 21일 연료비 조정단가를 현재 수준인 kWh당 5원으로
    유지한다고 밝혔다.
    한전 재무 악화 우려
    한국전력의 누적 적자는 40조 원을 넘어섰다
    요금 인상이 미뤄지면서 재무 구조 개선도 늦어질 전망이다
    업계 관계자는 "하반기에는 인상이 불가피하다"고 말했다.
    정부는 4분기 요금을 9월에 다시 논의한다.
    """
    /// With `sentences: kiwi`: one sentence per line; the subheading stays its own line.
    static let sentences = """
    정부가 3분기 전기요금을 동결하기로 했다.
    물가 부담을 고려한 결정이다.
    산업통상자원부는 21일 연료비 조정단가를 현재 수준인 kWh당 5원으로 유지한다고 밝혔다.
    한전 재무 악화 우려
    한국전력의 누적 적자는 40조 원을 넘어섰다
    요금 인상이 미뤄지면서 재무 구조 개선도 늦어질 전망이다
    업계 관계자는 "하반기에는 인상이 불가피하다"고 말했다.
    정부는 4분기 요금을 9월에 다시 논의한다.
    """

    /// A spec reading the fixture page into `box.out`; `sentences` nil leaves the key out.
    private func spec(_ box: RunnerSandbox, body: String = "auto", sentences: String?) throws -> Spec {
        try SpecLoader.parse("""
        name: wrapped
        source:
          kind: html
          root: "\(Repo.path("fixtures/news/sentences"))"
          archives: ["*.html"]
          entries: "*.html"
          default_split: test
          fields: {title: auto, body: \(body)}
        \(sentences.map { "  sentences: \($0)" } ?? "")
        outputs: {dir: "\(box.out)", formats: [jsonl]}
        """, file: "wrapped.yaml")
    }

    private func row(_ box: RunnerSandbox) throws -> [String: Any] {
        let text = try String(contentsOfFile: box.out + "/test.jsonl", encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    }

    func testKiwiCutsTheBodyOneSentenceALineByXPathAndByAuto() throws {
        for body in ["auto", "[\"//div[@id='articleBody']\"]"] {
            let box = try RunnerSandbox("sentences-kiwi")
            try box.run(try spec(box, body: body, sentences: "kiwi"))
            let row = try row(box)
            XCTAssertEqual(row["body"] as? String, Self.sentences, "body: \(body)")
            XCTAssertEqual(row["title"] as? String, "전기요금 3분기 동결…한전 적자 부담 커져", "the title is not cut")
        }
    }

    func testTheDefaultKeepsThePagesLines() throws {
        for sentences in [nil, "lines"] {
            let box = try RunnerSandbox("sentences-lines")
            try box.run(try spec(box, sentences: sentences))
            XCTAssertEqual(try row(box)["body"] as? String, Self.lines, "sentences: \(sentences ?? "absent")")
        }
    }

    func testChangingTheOptionRereadsThePages() throws {
        let box = try RunnerSandbox("sentences-cache")
        let first = try box.run(try spec(box, sentences: nil))
        XCTAssertEqual(box.skipped(first), [false, false])
        XCTAssertEqual(box.skipped(try box.run(try spec(box, sentences: "lines"))), [false, true],
                       "`lines` written out is another source section: read again, to the same records, so the write is reused")
        let kiwi = try box.run(try spec(box, sentences: "kiwi"))
        XCTAssertEqual(kiwi.stages.first?.name, "ingest")
        XCTAssertEqual(box.skipped(kiwi), [false, false], "not a cache hit")
        XCTAssertNotEqual(kiwi.stages[0].cacheKey, first.stages[0].cacheKey)
        XCTAssertEqual(try row(box)["body"] as? String, Self.sentences)
        XCTAssertEqual(box.skipped(try box.run(try spec(box, sentences: "kiwi"))), [true, true], "unchanged: skipped")
    }

    func testKiwisIdentityIsInTheIngestDigest() throws {
        let box = try RunnerSandbox("sentences-digest")
        let kiwi = try spec(box, sentences: "kiwi")
        XCTAssertNil(try Ingest.sentencesIdentity(try spec(box, sentences: "lines")))
        let identity = try XCTUnwrap(try Ingest.sentencesIdentity(kiwi))
        XCTAssertTrue(identity.hasPrefix(try SentenceSplitter.identity(.kiwi)), identity)
        XCTAssertTrue(identity.contains("kiwi \(Kiwi.version) model "), identity)
    }

    func testAMissingModelFailsBeforeAnyPageIsRead() throws {
        let box = try RunnerSandbox("sentences-nomodel")
        let spec = try spec(box, sentences: "kiwi")
        setenv(Kiwi.modelEnvironmentKey, "/nonexistent/kiwi", 1)
        defer { unsetenv(Kiwi.modelEnvironmentKey) }
        let missing = KiwiError.modelNotInstalled(searched: ["/nonexistent/kiwi"])
        XCTAssertThrowsError(try PrepRunner.validate(spec)) { XCTAssertEqual($0 as? KiwiError, missing) }
        XCTAssertThrowsError(try Ingest(spec: spec, dataRoot: spec.source.root, skipBadEntries: false).inputDigest()) {
            XCTAssertEqual($0 as? KiwiError, missing)
        }
        XCTAssertThrowsError(try box.run(spec)) { XCTAssertEqual($0 as? KiwiError, missing, "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.out + "/records.jsonl"), "no page was read")
    }

    func testLinesCutsEachParagraphOnItsOwn() throws {
        let cut = PageSentences(.kiwi)
        XCTAssertEqual(try cut.lines(of: "정부는 새 정책을 발표했다 시장은 즉각 반응했다\n협력의 배경은\n첫 문장이다. 둘째 문장이다."),
                       "정부는 새 정책을 발표했다\n시장은 즉각 반응했다\n협력의 배경은\n첫 문장이다.\n둘째 문장이다.")
        var values = ["title": "첫 문장이다. 둘째 문장이다.", "body": "첫 문장이다. 둘째 문장이다."]
        try cut.cut(&values)
        XCTAssertEqual(values, ["title": "첫 문장이다. 둘째 문장이다.", "body": "첫 문장이다.\n둘째 문장이다."], "only the body")
    }
}
