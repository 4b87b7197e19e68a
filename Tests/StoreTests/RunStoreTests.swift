import Foundation
import JSON
import Store
import XCTest

final class RunStoreTests: XCTestCase {
    func testRunsAreNumberedAndFinished() throws {
        let path = NSTemporaryDirectory() + "store-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RunStore(path: path)
        let a = try store.beginRun(kind: .prep, spec: SpecIdentity(name: "demo", path: "d.yaml", digest: "x", version: 1))
        let b = try store.beginRun(kind: .prep, spec: nil)
        XCTAssertEqual(b, a + 1)
        try store.finishRun(a, status: .done, seconds: 1.5, summary: .object([("rows", .number("3"))]))
        let run = try store.run(a)
        XCTAssertEqual(run.name, "run-\(a)")
        XCTAssertEqual(run.status, .done)
        XCTAssertEqual(run.summary["rows"], .number("3"))
        XCTAssertEqual(try store.latestRun(kind: .prep, specName: "demo")?.id, a)
        XCTAssertThrowsError(try store.run(999)) { XCTAssertEqual($0 as? StoreError, .unknownRun("run-999", known: ["run-\(b)", "run-\(a)"])) }
    }
}
