import Support
import XCTest

final class ParallelTests: XCTestCase {
    /// Counts live instances, to see that results made before an error are released.
    final class Tracked {
        nonisolated(unsafe) static var live = 0
        static let lock = NSLock()
        let value: Int
        init(_ value: Int) { self.value = value; Self.lock.withLock { Self.live += 1 } }
        deinit { Self.lock.withLock { Self.live -= 1 } }
    }

    struct Stop: Error, Equatable { let at: Int }

    func testKeepsTheOrderOfItsInput() throws {
        let items = Array(0..<10_001)
        XCTAssertEqual(try Parallel.map(items) { "\($0 * 3)" }, items.map { "\($0 * 3)" })
        XCTAssertEqual(try Parallel.map(items[100..<5000]) { $0 + 1 }, Array(101..<5001), "a slice's indices start where it starts")
        XCTAssertEqual(try Parallel.map([Int]()) { $0 }, [])
        // Items in one buffer (arrays, slices: read in place) and items made on demand (a range)
        // are mapped alike, errors included.
        XCTAssertEqual(try Parallel.map(0..<10_001) { "\($0 * 3)" }, items.map { "\($0 * 3)" })
        XCTAssertThrowsError(try Parallel.map(items[7..<9000], minimumPerWorker: 16) { i -> Int in if i == 4000 || i == 8000 { throw Stop(at: i) }; return i }) {
            XCTAssertEqual($0 as? Stop, Stop(at: 4000), "the earliest error, from a slice")
        }
        XCTAssertThrowsError(try Parallel.map(100..<9000, minimumPerWorker: 16) { i -> Int in if i == 4000 || i == 8000 { throw Stop(at: i) }; return i }) {
            XCTAssertEqual($0 as? Stop, Stop(at: 4000), "the earliest error, from a range too")
        }
    }

    func testRethrowsTheFirstErrorByChunkAndReleasesWhatWasMade() throws {
        XCTAssertEqual(Tracked.live, 0)
        XCTAssertThrowsError(try Parallel.map(Array(0..<20_000), minimumPerWorker: 16) { i -> Tracked in
            if i == 3 || i == 19_999 { throw Stop(at: i) }
            return Tracked(i)
        }) { error in
            XCTAssertEqual(error as? Stop, Stop(at: 3), "the earliest chunk's error")
        }
        XCTAssertEqual(Tracked.live, 0, "results made before the error are released")
        let made = try Parallel.map(Array(0..<5000)) { Tracked($0) }
        XCTAssertEqual(made.map(\.value), Array(0..<5000))
        XCTAssertEqual(Tracked.live, 5000)
    }
}
