import XCTest

final class PrepCheckTests: XCTestCase {
    func testBundledSpecsAreValid() throws {
        for spec in ["specs/clickbait.yaml", "specs/dialogue-inference.yaml", "specs/news-pages.yaml", "specs/news-pages-labeled.yaml", "specs/news-pages-auto.yaml", "specs/wrapped-records.yaml", "specs/nsmc-sentiment.yaml"] {
            let r = try Binaries.run("prep", ["check", spec])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasPrefix("\(spec): ok"), r.stdout)
        }
    }

    func testAMissingSpecFileExitsWithStatus2AndAClearMessage() throws {
        let r = try Binaries.run("prep", ["check", "specs/nope.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: specs/nope.yaml:1:1: cannot read the spec file (does it exist?)\n")
    }
}
