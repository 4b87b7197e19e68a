import Foundation
import XCTest

/// `prep report` counts frequent words by lemma with Kiwi (issue 14, section 1). Needs Kiwi's model
/// from `make setup`: without it the lemma runs fail with the error that says so.
final class PrepReportWordsTests: XCTestCase {
    /// The fixture bodies say 정부는 56 times: by lemma that is 정부/NNG and never 정부는; split on
    /// spaces it stays 정부는. Lengths also come in morphemes.
    func testFixtureReportCountsLemmasNotParticles() throws {
        let w = try Workspace("prep-report-words")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let lemma = try w.prep(["report", "latest", "--text", "body", "--top", "300", "--out", w.dir + "/lemma.html"])
        XCTAssertEqual(lemma.status, 0, lemma.stderr)
        XCTAssertEqual(lemma.stderr, "", "lemmas are the default when Kiwi is installed")
        let html = try String(contentsOfFile: w.dir + "/lemma.html", encoding: .utf8)
        XCTAssertTrue(html.contains("정부/NNG <span"), "정부 counted as one lemma")
        XCTAssertFalse(html.contains("정부는"), "no word keeps its particle")
        XCTAssertTrue(html.contains("Lemmas of NNG, NNP by Kiwi 0.24.1"))
        XCTAssertTrue(html.contains("<th>morphemes median</th>"))

        let space = try w.prep(["report", "latest", "--text", "body", "--top", "300", "--words", "space", "--out", w.dir + "/space.html"])
        XCTAssertEqual(space.status, 0, space.stderr)
        let spaced = try String(contentsOfFile: w.dir + "/space.html", encoding: .utf8)
        XCTAssertTrue(spaced.contains("정부는 <span"))
        XCTAssertFalse(spaced.contains("정부/NNG"))
        XCTAssertFalse(spaced.contains("morphemes median"))

        let verbs = try w.prep(["report", "latest", "--text", "body", "--pos", "vv,va", "--top", "300", "--out", w.dir + "/verbs.html"])
        XCTAssertEqual(verbs.status, 0, verbs.stderr)
        let v = try String(contentsOfFile: w.dir + "/verbs.html", encoding: .utf8)
        XCTAssertTrue(v.contains("내다보다/VV <span"), "verbs as lemma + 다")
        XCTAssertFalse(v.contains("/NNG <span"))
    }

    func testBadWordOptionsAreUsageErrors() throws {
        let w = try Workspace("prep-report-words-bad")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let pos = try w.prep(["report", "latest", "--pos", "NNG,NPP"])
        XCTAssertEqual(pos.status, 64, pos.stderr)
        XCTAssertTrue(pos.stderr.contains("unknown part of speech 'NPP'; did you mean 'NNP'?"), pos.stderr)
        let both = try w.prep(["report", "latest", "--words", "space", "--pos", "VV"])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("--pos needs --words lemma"), both.stderr)
    }

    /// Without Kiwi's model: --words lemma fails naming the fix; the default falls back to spaces and says so.
    func testWithoutKiwisModel() throws {
        let w = try Workspace("prep-report-words-nokiwi")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        setenv("HARNESS_KIWI_MODEL", w.dir + "/no-model", 1)
        defer { unsetenv("HARNESS_KIWI_MODEL") }
        let lemma = try w.prep(["report", "latest", "--words", "lemma"])
        XCTAssertEqual(lemma.status, 2)
        XCTAssertTrue(lemma.stderr.hasPrefix("error: Kiwi's model (the Korean morphological analyser) is not installed: no model in \(w.dir)/no-model; run `make setup`"), lemma.stderr)
        let fallback = try w.prep(["report", "latest"])
        XCTAssertEqual(fallback.status, 0, fallback.stderr)
        XCTAssertEqual(fallback.stderr, "note: Kiwi's model is not installed (run `make setup`); counting words split on spaces\n")
    }
}
