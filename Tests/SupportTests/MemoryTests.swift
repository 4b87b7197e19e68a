import CMalloc
import Support
import XCTest

final class MemoryTests: XCTestCase {
    /// Resident kilobytes of this process, from the kernel.
    private func residentKB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try XCTUnwrap(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    /// Rows freed between survivors (what sampling does to the ingest's rows) leave room that the
    /// next stage's rows take, instead of new pages: peak memory does not grow stage by stage.
    func testRowsFreedBetweenSurvivorsMakeRoomForTheNextRows() throws {
        let blocks = (0..<200_000).map { _ -> UnsafeMutableRawPointer in
            let p = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 8)
            p.initializeMemory(as: UInt8.self, repeating: 1, count: 256)
            return p
        }
        var survivors: [UnsafeMutableRawPointer] = []
        for (i, p) in blocks.enumerated() {
            if i % 64 == 0 { survivors.append(p) } else { p.deallocate() }
        }
        let before = try residentKB()
        Memory.releaseFreePages()
        let next = (0..<150_000).map { _ -> UnsafeMutableRawPointer in
            let p = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 8)
            p.initializeMemory(as: UInt8.self, repeating: 2, count: 256)
            return p
        }
        let after = try residentKB()
        survivors.forEach { $0.deallocate() }
        next.forEach { $0.deallocate() }
        // The 38 MB of new rows fit where the freed ones were (an allocator that did not reuse the
        // holes between survivors would need 38 MB more; measured growth: about 1 MB).
        XCTAssertLessThan(after - before, 10_000, "resident \(before) kB before the new rows, \(after) kB after")
    }

    /// Linking mimalloc replaces malloc for the whole process (Swift's own allocations included):
    /// a build that lost it would be about an eighth slower on `prep run` (issue 11's A/B).
    func testMimallocServesTheProcess() {
        XCTAssertTrue(Memory.usesMimalloc)
        let object = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
        defer { object.deallocate() }
        XCTAssertTrue(mi_is_in_heap_region(object))
    }
}
