@testable import Prep
import XCTest

final class SampleApportionTests: XCTestCase {
    func testLargestRemainderKeepsTotals() {
        XCTAssertEqual(Sample.apportion(1000, ratios: [0.9, 0.1]), [900, 100])
        XCTAssertEqual(Sample.apportion(2, ratios: [0.9, 0.1]), [2, 0])
        XCTAssertEqual(Sample.apportion(5, ratios: [0.5, 0.5]), [3, 2], "a tie goes to the earlier split")
        XCTAssertEqual(Sample.apportion(0, ratios: [0.8, 0.1, 0.1]), [0, 0, 0])
    }
}
