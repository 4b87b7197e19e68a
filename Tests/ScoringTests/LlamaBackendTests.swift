import Scoring
import XCTest

final class LlamaBackendTests: XCTestCase {
    /// The static llama.cpp libraries built by `make setup` link and initialise.
    func testBackendLinksAndReportsCPUFeatures() {
        XCTAssertTrue(LlamaBackend.systemInfo.contains("CPU"), LlamaBackend.systemInfo)
    }
}
