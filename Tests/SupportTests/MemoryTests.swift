import CMalloc
import Dispatch
import Support
import XCTest

final class MemoryTests: XCTestCase {
    /// Resident kilobytes of this process, from the kernel.
    private func residentKB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try XCTUnwrap(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    /// Rows made on worker threads (the ingest's) and freed on the main thread (after a stage)
    /// stay with the workers' heaps, which the next rows made on those threads fill: a second round
    /// of the same work needs almost no new memory.
    func testRowsFreedAcrossThreadsMakeRoomForTheNextRound() throws {
        func round() -> UnsafeMutableBufferPointer<UnsafeMutableRawPointer?> {
            let workers = 4, each = 50_000
            let blocks = UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>.allocate(capacity: workers * each)
            blocks.initialize(repeating: nil)
            let shared = Blocks(blocks)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in 0..<each {
                    let p = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 8)
                    p.initializeMemory(as: UInt8.self, repeating: 1, count: 256)
                    shared.buffer[w * each + i] = p
                }
            }
            return blocks
        }
        func free(_ blocks: UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>) {
            for p in blocks { p?.deallocate() }
            blocks.deallocate()
        }
        free(round())
        Memory.releaseFreePages()
        let before = try residentKB()
        let second = round()
        let after = try residentKB()
        free(second)
        // 51 MB of rows: an allocator that kept the freed blocks from the workers would need it all again.
        XCTAssertLessThan(after - before, 15_000, "resident \(before) kB before the second round, \(after) kB after")
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
    /// a build that lost it would be about a fifth slower on `prep run` (issue 11's profile).
    func testMimallocServesTheProcess() {
        XCTAssertTrue(Memory.usesMimalloc)
        let object = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
        defer { object.deallocate() }
        XCTAssertTrue(mi_is_in_heap_region(object))
    }
}

/// The slots the worker threads fill, one each.
private final class Blocks: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>
    init(_ buffer: UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>) { self.buffer = buffer }
}
