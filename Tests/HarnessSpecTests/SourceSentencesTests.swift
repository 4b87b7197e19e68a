import HarnessSpec
import XCTest

/// `source.sentences: lines | kiwi` of a `kind: html` source, parsed once into `SourceSpec.sentences`.
final class SourceSentencesTests: XCTestCase {
    private func load(_ text: String) throws -> Spec { try SpecLoader.parse(text, file: "t.yaml") }

    private func error(_ text: String) -> SpecError? {
        do { _ = try load(text); return nil } catch { return error as? SpecError }
    }

    private func html(_ sentences: String, fields: String = "{title: auto, body: auto}") -> String {
        "name: w\nsource:\n  kind: html\n  fields: \(fields)\n  sentences: \(sentences)\n"
    }

    func testLinesIsTheDefaultAndKiwiIsTyped() throws {
        XCTAssertNil(try load("name: w\nsource: {kind: html, fields: {body: auto}}\n").source.sentences)
        XCTAssertNil(try load(html("lines")).source.sentences)
        XCTAssertEqual(try load(html("kiwi")).source.sentences, .kiwi)
        XCTAssertEqual(try load(html("kiwi", fields: "{body: [\"//article\"]}")).source.sentences, .kiwi, "XPath bodies too")
        XCTAssertNotEqual(try load(html("kiwi")).sections["source"], try load(html("lines")).sections["source"],
                          "the source section, part of the ingest's cache key, differs")
    }

    func testAnUnknownValueGetsTheChoices() throws {
        let e = try XCTUnwrap(error(html("kiwii")))
        XCTAssertEqual(e.line, 5)
        XCTAssertEqual(e.key, "source.sentences")
        XCTAssertEqual(e.message, "'kiwii' is not one of lines, kiwi; did you mean 'kiwi'?")
    }

    func testOnAJSONSourceItIsLocatedAndPointsElsewhere() throws {
        let e = try XCTUnwrap(error("name: w\nsource:\n  archives: [\"*.zip\"]\n  sentences: kiwi\nrecord: {id: a}\n"))
        XCTAssertEqual(e.line, 4)
        XCTAssertEqual(e.key, "source.sentences")
        XCTAssertEqual(e.message, "`sentences` re-cuts the text of `kind: html` pages; JSON text is cut into sentences by augment's `sentences` "
                       + "or `outputs.corpus.split_sentences`")
    }

    func testKiwiNeedsABodyField() throws {
        let e = try XCTUnwrap(error(html("kiwi", fields: "{title: auto, text: [\"//article\"]}")))
        XCTAssertEqual(e.key, "source.sentences")
        XCTAssertEqual(e.message, "`sentences: kiwi` re-cuts the `body` field, and this source has none (fields: title, text); name the article's text `body`")
        XCTAssertNil(try load(html("lines", fields: "{title: auto, text: [\"//article\"]}")).source.sentences, "`lines` needs no body")
    }
}
