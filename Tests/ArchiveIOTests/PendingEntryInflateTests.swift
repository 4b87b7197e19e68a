@testable import ArchiveIO
import CDeflate
import XCTest

/// `Inflater.inflate` (what `PendingEntry.load` uses): a zip member's raw deflate stream is taken only when it inflates to
/// exactly the size the central directory records and ends exactly where the member does; anything
/// else is nil, and the member goes to libarchive, which names the damage. The streams are made by
/// libdeflate's compressor; the expected CRC-32 is Python's `zlib.crc32` of the same text.
final class PendingEntryInflateTests: XCTestCase {
    private let text = Array(String(repeating: "{\"sentenceContent\": \"낚시성 기사 탐지 데이터의 문장입니다.\"}\n", count: 40).utf8)

    private func deflate(_ data: [UInt8]) throws -> [UInt8] {
        let compressor = try XCTUnwrap(libdeflate_alloc_compressor(6))
        defer { libdeflate_free_compressor(compressor) }
        var out = [UInt8](repeating: 0, count: libdeflate_deflate_compress_bound(compressor, data.count))
        let n = data.withUnsafeBytes { input in out.withUnsafeMutableBytes { libdeflate_deflate_compress(compressor, input.baseAddress, input.count, $0.baseAddress, $0.count) } }
        XCTAssertGreaterThan(n, 0)
        return Array(out.prefix(n))
    }

    func testAStreamInflatesToExactlyItsRecordedSize() throws {
        let compressed = try deflate(text)
        XCTAssertEqual(Inflater().inflate(compressed, size: text.count), text)
    }

    func testAWrongSizeTrailingBytesOrATruncatedStreamGiveNil() throws {
        let compressed = try deflate(text)
        // One inflater for all of them, as a worker uses it for a whole batch: a failed member leaves
        // nothing behind that spoils the next one.
        let inflater = Inflater()
        XCTAssertNil(inflater.inflate(compressed, size: text.count - 1), "inflates to more than recorded")
        XCTAssertEqual(inflater.inflate(compressed, size: text.count), text)
        XCTAssertNil(inflater.inflate(compressed, size: text.count + 1), "inflates to less than recorded")
        XCTAssertNil(inflater.inflate(compressed + [0x00, 0x01], size: text.count), "bytes after the end of the stream")
        XCTAssertNil(inflater.inflate(Array(compressed.dropLast(3)), size: text.count), "the stream is cut short")
        XCTAssertNil(inflater.inflate([], size: text.count))
        XCTAssertEqual(inflater.inflate(try deflate(Array(text.reversed())), size: text.count), Array(text.reversed()))
    }

    func testTheCRCIsZlibs() {
        // python3 -c 'import zlib; print(zlib.crc32(b"123456789"))' -> 3421780262 (the CRC-32 check value)
        XCTAssertEqual(PendingEntry.crc32(Array("123456789".utf8)), 3_421_780_262)
        XCTAssertEqual(PendingEntry.crc32([]), 0)
    }
}
