import Foundation
import HarnessSpec
import XCTest

/// `eval.lora`: mappings or `a.gguf[:scale]` texts, typed, and errors located at the bad entry.
final class EvalSpecLoraTests: XCTestCase {
    private let fields = ["id", "title", "label"]

    private func spec(_ lora: String?) throws -> Spec {
        try SpecLoader.parse("""
        name: demo
        source: {root: data}
        record: {id: a, title: b, label: c}
        eval:
          prompt: "{title}"
          choices: {field: label, verbalize: {a: " A", b: " B"}}
        \(lora.map { "  lora: \($0)" } ?? "")
        """, file: "t.yaml")
    }

    private func lora(_ text: String?) throws -> [EvalSpec.Lora] {
        let s = try spec(text)
        let parsed = try EvalSpec.parse(s, fields: fields).lora
        XCTAssertEqual(try EvalSpec.lora(in: s), parsed, "the sweep's reading is the parser's")
        return parsed
    }

    private func error(_ text: String, line: UInt = #line) -> SpecError? {
        do {
            _ = try EvalSpec.parse(try spec(text), fields: fields)
            XCTFail("parsed, but an error was expected", line: line)
        } catch let e as SpecError {
            return e
        } catch {
            XCTFail("expected a SpecError, got \(error)", line: line)
        }
        return nil
    }

    func testMappingsAndTextsWithDefaults() throws {
        XCTAssertEqual(try lora(nil), [])
        XCTAssertEqual(try lora("[{path: a.gguf, scale: 0.5}, b.gguf, \"c.gguf:2\", {path: d.gguf}]"), [
            .init(path: "a.gguf", scale: 0.5), .init(path: "b.gguf", scale: 1), .init(path: "c.gguf", scale: 2), .init(path: "d.gguf", scale: 1),
        ])
        XCTAssertEqual(try lora("adapters/ckpt-200.gguf:-1"), [.init(path: "adapters/ckpt-200.gguf", scale: -1)], "one entry needs no list")
        XCTAssertEqual(try lora("{path: a.gguf, scale: 0}"), [.init(path: "a.gguf", scale: 0)])
    }

    func testTheCommandLineFormKeepsColonsInPaths() {
        XCTAssertEqual(EvalSpec.Lora.parse("a.gguf"), .init(path: "a.gguf"))
        XCTAssertEqual(EvalSpec.Lora.parse("a.gguf:0.25"), .init(path: "a.gguf", scale: 0.25))
        XCTAssertEqual(EvalSpec.Lora.parse("C:/lora/a.gguf:1e-1"), .init(path: "C:/lora/a.gguf", scale: 0.1))
        XCTAssertEqual(EvalSpec.Lora.parse("run:7/a.gguf"), .init(path: "run:7/a.gguf"), "not a number after the colon: part of the path")
        XCTAssertNil(EvalSpec.Lora.parse(""))
        XCTAssertNil(EvalSpec.Lora.parse(":0.5"), "a scale without a file")
        XCTAssertNil(EvalSpec.Lora.parse("a.gguf:nan"))
        XCTAssertNil(EvalSpec.Lora.parse("a.gguf:inf"))
        XCTAssertEqual(EvalSpec.Lora.parse(EvalSpec.Lora(path: "a.gguf", scale: 0.5).description), .init(path: "a.gguf", scale: 0.5))
    }

    func testBadEntriesAreLocatedAndSayWhatToWrite() throws {
        let unknown = try XCTUnwrap(error("[{path: a.gguf, scael: 0.5}]"))
        XCTAssertEqual(unknown.line, 7)
        XCTAssertTrue(unknown.message.contains("unknown key 'scael'; did you mean 'scale'?"), unknown.message)

        let noPath = try XCTUnwrap(error("[{scale: 0.5}]"))
        XCTAssertTrue(noPath.message.contains("missing required key 'path'"), noPath.message)

        let scale = try XCTUnwrap(error("[{path: a.gguf, scale: half}]"))
        XCTAssertEqual(scale.key, "eval.lora[0].scale")
        XCTAssertTrue(scale.message.contains("expected a number, found 'half'"), scale.message)

        let infinite = try XCTUnwrap(error("[{path: a.gguf, scale: inf}]"))
        XCTAssertTrue(infinite.message.contains("finite number"), infinite.message)

        let text = try XCTUnwrap(error("[a.gguf, \":0.5\"]"))
        XCTAssertEqual(text.key, "eval.lora[1]")
        XCTAssertTrue(text.message.contains("':0.5' is not an adapter; write `a.gguf`, `a.gguf:SCALE`"), text.message)

        let nested = try XCTUnwrap(error("[[a.gguf]]"))
        XCTAssertTrue(nested.message.contains("found a list"), nested.message)

        let key = try XCTUnwrap(error("[a.gguf]\n  lroa: x"))
        XCTAssertTrue(key.message.contains("unknown key 'lroa'; did you mean 'lora'?"), key.message)
    }
}
