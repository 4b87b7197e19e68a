import Dispatch
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

    func testWorkOnThreadsOfItsOwnRunsAllAtOnceWhileTheyWait() throws {
        // Four times as many jobs as cores, each waiting until all have started: on the shared pool
        // (a thread per core, one more a second while they wait) they could not all start within
        // the wait's few seconds; each on a thread of its own, they do at once.
        let jobs = max(2, System.cores) * 4
        let started = DispatchGroup()
        for _ in 0..<jobs { started.enter() }
        let work = (0..<jobs).map { _ in
            Background(ownThread: true) { () -> Bool in
                started.leave()
                return started.wait(timeout: .now() + 3) == .success
            }
        }
        XCTAssertEqual(try work.map { try $0.wait() }, Array(repeating: true, count: jobs), "some jobs did not run at the same time")
        XCTAssertThrowsError(try Background(ownThread: true) { () throws -> Int in throw Failed(n: 3) }.wait()) {
            XCTAssertEqual($0 as? Failed, Failed(n: 3))
        }
    }
}
