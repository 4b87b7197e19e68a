@testable import ArchiveIO
import Foundation
import XCTest

/// `ConcatenatedFile.read(into:at:)`: the parts of a split zip read as one stream, small reads served
/// from a window read ahead. Every read is checked against the bytes written.
final class ConcatenatedFileTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "concat-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Two parts of deterministic bytes: the first longer than the read-ahead window.
    private func parts() throws -> (file: ConcatenatedFile, bytes: [UInt8]) {
        let sizes = [ConcatenatedFile.windowSize + 12_345, 70_001]
        var all: [UInt8] = []
        var paths: [String] = []
        for (k, size) in sizes.enumerated() {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761 &+ k) >> 7) }
            let path = dir + "/x.zip.part\(all.count)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
            all += bytes
        }
        return (try ConcatenatedFile(paths: paths), all)
    }

    /// Reads `count` bytes at `offset` the way `DirectZip.read` does: again until filled or at the end.
    private func read(_ file: ConcatenatedFile, _ offset: Int, _ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = out.withUnsafeMutableBytes { file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]), at: Int64(offset + filled)) }
            if n <= 0 { break }
            filled += n
        }
        return Array(out.prefix(filled))
    }

    func testSmallReadsInOrderAcrossTheWindowAndThePartsGiveTheFilesBytes() throws {
        let (file, bytes) = try parts()
        // Header-and-member sized reads walking through the stream, as a zip's members are read.
        var offset = 0, step = 0
        while offset < bytes.count {
            let count = [30 + 20 + 512, 700, 1_900, 45][step % 4]
            let got = read(file, offset, count)
            XCTAssertEqual(got, Array(bytes[offset..<min(bytes.count, offset + count)]), "at \(offset)")
            offset += count
            step += 1
        }
    }

    func testReadsBackwardsAndLargeReadsAndReadsPastTheEnd() throws {
        let (file, bytes) = try parts()
        let boundary = ConcatenatedFile.windowSize + 12_345
        for (offset, count) in [(boundary - 10, 20), (5, 100), (boundary + 1_000, 600_000), (0, bytes.count), (bytes.count - 3, 10), (100, 50)] {
            XCTAssertEqual(read(file, offset, count), Array(bytes[offset..<min(bytes.count, offset + count)]), "\(count) at \(offset)")
        }
        XCTAssertEqual(read(file, bytes.count, 10), [])
    }

    /// `DirectZip.readAhead`: how far a read reaches for the spans after it (headers, members' data).
    func testReadAheadCoversSmallSpansAndStopsAtALargeOneAGapOrTheWindow() {
        let window = Int64(ConcatenatedFile.windowSize)
        // Three small members, then one of 5 MB, then two small ones.
        let spans: [(start: Int64, end: Int64)] = [(0, 600), (700, 1_500), (1_600, 2_000), (2_100, 2_100 + 5 << 20), ((5 << 20) + 2_200, (5 << 20) + 2_900), ((5 << 20) + 3_000, (5 << 20) + 3_100)]
        XCTAssertEqual(DirectZip.readAhead(spans), [2_000, 1_300, 400, Int(window), 900, 100])
        // A gap of more than 64 KB (a large member between two headers) ends the run.
        XCTAssertEqual(DirectZip.readAhead([(0, 100), (200 + (64 << 10), 300 + (64 << 10))]), [100, 100])
        // Small spans over more than the window: each read takes at most the window's size.
        let many = (0..<5_000).map { (start: Int64($0) * 1_000, end: Int64($0) * 1_000 + 900) }
        let ahead = DirectZip.readAhead(many)
        XCTAssertTrue(ahead.allSatisfy { $0 <= Int(window) && $0 >= 900 })
        XCTAssertEqual(ahead[0], 1_047_900, "up to the last span that ends inside the window")
    }
}
