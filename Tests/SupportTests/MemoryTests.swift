import Support
import XCTest

final class MemoryTests: XCTestCase {
    /// Resident kilobytes of this process, from the kernel.
    private func residentKB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try XCTUnwrap(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    /// Rows freed between survivors (what sampling does to the ingest's rows) leave pages that the
    /// heap keeps until `releaseFreePages` hands them back.
    func testPagesEmptiedBetweenSurvivorsGoBackToTheSystem() throws {
        let blocks = (0..<200_000).map { _ -> UnsafeMutableRawPointer in
            let p = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 8)
            p.initializeMemory(as: UInt8.self, repeating: 1, count: 256)
            return p
        }
        // One block in 64 survives: every 16 KB of heap keeps one live block, three of its four pages empty.
        var survivors: [UnsafeMutableRawPointer] = []
        for (i, p) in blocks.enumerated() {
            if i % 64 == 0 { survivors.append(p) } else { p.deallocate() }
        }
        let before = try residentKB()
        Memory.releaseFreePages()
        let after = try residentKB()
        survivors.forEach { $0.deallocate() }
        // 51 MB were allocated and about 50 MB freed, three quarters of it in whole pages.
        XCTAssertGreaterThan(before - after, 20_000, "resident \(before) kB before, \(after) kB after")
    }
}
