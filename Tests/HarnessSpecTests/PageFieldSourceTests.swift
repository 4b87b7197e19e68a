import HarnessSpec
import Records
import XCTest

/// `source.fields` of `kind: html`: XPaths or `auto`, parsed once into `PageFieldSource`.
final class PageFieldSourceTests: XCTestCase {
    private func load(_ text: String) throws -> Spec { try SpecLoader.parse(text, file: "t.yaml") }

    private func error(_ text: String) -> SpecError? {
        do { _ = try load(text); return nil } catch { return error as? SpecError }
    }

    func testAutoAndXPathsAreTyped() throws {
        let spec = try load("""
        name: w
        source:
          kind: html
          fields:
            title: auto
            body: auto
            date: ["//time/@datetime", "//meta[@property='article:published_time']/@content"]
            section: //nav//a[1]
        """)
        XCTAssertEqual(spec.source.pageFields.map(\.field), ["title", "body", "date", "section"])
        XCTAssertEqual(spec.source.pageFields.map(\.source), [
            .auto(.title), .auto(.body),
            .xpaths(["//time/@datetime", "//meta[@property='article:published_time']/@content"]), .xpaths(["//nav//a[1]"]),
        ])
        XCTAssertEqual(spec.fields.first { $0.name == "body" }?.rule, .page("auto (body)"))
        XCTAssertEqual(spec.fields.first { $0.name == "section" }?.rule, .page("//nav//a[1]"))
    }

    func testAutoOnAnotherFieldIsLocatedAndSaysTheFix() throws {
        let e = try XCTUnwrap(error("name: w\nsource:\n  kind: html\n  fields: {title: auto, author: auto}\n"))
        XCTAssertEqual(e.line, 4)
        XCTAssertEqual(e.key, "source.fields.author")
        XCTAssertEqual(e.message, "`auto` finds a page's title or body only; give field 'author' XPaths, e.g. `author: \"//meta[@name='author']/@content\"`")
    }

    func testAutoInsideAListOfXPathsIsAnError() throws {
        let e = try XCTUnwrap(error("name: w\nsource:\n  kind: html\n  fields:\n    body: [\"//article\", auto]\n"))
        XCTAssertEqual(e.key, "source.fields.body[1]")
        XCTAssertEqual(e.message, "`auto` stands alone (`body: auto`), not in a list of XPaths")
    }

    func testEmptyXPathsAreErrors() throws {
        XCTAssertEqual(try XCTUnwrap(error("name: w\nsource: {kind: html, fields: {body: []}}\n")).message,
                       "give field 'body' at least one XPath, or `auto` for title and body")
        XCTAssertEqual(try XCTUnwrap(error("name: w\nsource: {kind: html, fields: {body: \" \"}}\n")).message,
                       "an empty XPath; give an expression such as //h1")
    }

    func testAutoAndXPathsMakeDifferentSpecs() throws {
        let a = try load("name: w\nsource: {kind: html, fields: {body: auto}}\n")
        let b = try load("name: w\nsource: {kind: html, fields: {body: //article}}\n")
        XCTAssertNotEqual(a.source, b.source)
        XCTAssertNotEqual(a.digest, b.digest)
    }
}
