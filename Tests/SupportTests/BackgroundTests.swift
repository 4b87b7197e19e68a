import Support
import XCTest

/// `Background`: the work runs on another thread, and `wait` gives its result or rethrows its error.
final class BackgroundTests: XCTestCase {
    private struct Failed: Error, Equatable { let n: Int }

    func testWaitGivesTheResultMadeOnAnotherThread() throws {
        let caller = Thread.current
        let work = Background { () -> (Int, Bool) in ((1...1000).reduce(0, +), Thread.current == caller) }
        let (sum, onCaller) = try work.wait()
        XCTAssertEqual(sum, 500_500)
        XCTAssertFalse(onCaller, "the work ran on the caller's thread")
        XCTAssertEqual(try work.wait().0, 500_500, "a second wait gives the same result")
    }

    func testWaitRethrowsTheWorksError() {
        let work = Background { () throws -> Int in throw Failed(n: 7) }
        XCTAssertThrowsError(try work.wait()) { XCTAssertEqual($0 as? Failed, Failed(n: 7)) }
    }
}
