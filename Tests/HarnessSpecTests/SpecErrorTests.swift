import HarnessSpec
import XCTest

final class SpecErrorTests: XCTestCase {
    func testUnknownKeyIsLocatedAndGetsASuggestion() {
        let yaml = """
        name: demo
        source:
          root: data
          archive: ["*.zip"]
        record:
          id: a.b
        """
        XCTAssertThrowsError(try SpecLoader.parse(yaml, file: "demo.yaml")) { error in
            let e = error as? SpecError
            XCTAssertEqual(e?.line, 4)
            XCTAssertEqual(e?.column, 3)
            XCTAssertEqual(e?.key, "source.archive")
            XCTAssertTrue(e?.message.contains("did you mean 'archives'?") ?? false, e?.message ?? "")
            XCTAssertTrue(e?.description.hasPrefix("demo.yaml:4:3: source.archive: unknown key 'archive'") ?? false, e?.description ?? "")
        }
    }
}
