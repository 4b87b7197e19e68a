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
}
