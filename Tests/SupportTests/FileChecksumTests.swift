import Foundation
import Support
import XCTest

/// Expected values: `xxh128sum` (Debian's xxhash package, the reference CLI of the same library's
/// authors), run on the same bytes, and `sha256sum` for digests recorded by earlier versions.
final class FileChecksumTests: XCTestCase {
    private var paths: [String] = []
    override func tearDown() { paths.forEach { try? FileManager.default.removeItem(atPath: $0) } }

    private func file(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "checksum-\(UUID().uuidString).bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        paths.append(path)
        return path
    }

    /// The first word `tool` prints for the file.
    private func reference(_ tool: String, _ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(tool) \(path)")
        return String(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix { $0 != " " })
    }

    /// Sizes around XXH3's internal boundaries (16, 128, 240 bytes, its 1 KiB stripes and 256-byte
    /// buffer) and past the 1 MiB read block, in Korean text and in pseudo-random bytes.
    func testFilesMatchXxh128sum() throws {
        var bytes = [UInt8](repeating: 0, count: 3 << 20 | 12345)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 13) }
        let korean = Array(String(repeating: "낚시성 기사 탐지 데이터\n", count: 2000).utf8)
        for n in [0, 1, 16, 17, 128, 129, 240, 241, 1024, 1025, 4096, 65537, 1 << 20, 1 << 20 | 1, bytes.count] {
            let path = try file(Array(bytes.prefix(n)))
            XCTAssertEqual(try FileChecksum.of(file: path), "xxh3:" + (try reference("xxh128sum", path)), "\(n) bytes")
        }
        let path = try file(korean)
        XCTAssertEqual(try FileChecksum.of(file: path), "xxh3:" + (try reference("xxh128sum", path)))
        XCTAssertEqual(FileChecksum.of(String(decoding: korean, as: UTF8.self)), try FileChecksum.of(file: path), "text and file agree")
    }

    /// Updating in pieces of any size gives the checksum of the whole, and reading it changes nothing.
    func testPiecesGiveTheWholeChecksum() throws {
        let text = String(repeating: "줄 하나\n", count: 10_000)
        let bytes = Array(text.utf8)
        for piece in [1, 7, 255, 256, 1000, 65536] {
            let c = FileChecksum()
            for start in stride(from: 0, to: bytes.count, by: piece) {
                c.update(buffer: Array(bytes[start..<min(bytes.count, start + piece)]))
                if start == piece * 3 { _ = c.text }
            }
            XCTAssertEqual(c.text, FileChecksum.of(text), "pieces of \(piece)")
        }
        XCTAssertNotEqual(FileChecksum.of(text), FileChecksum.of(text + "x"))
    }

    /// A recorded checksum matches its file; one byte changed does not. A 64-digit SHA-256, as
    /// earlier versions recorded, is checked as SHA-256 (`sha256sum`).
    func testMatchesTakesEitherKindOfRecordedDigest() throws {
        let path = try file(Array("{\"id\":\"A1\"}\n".utf8))
        let xxh = "xxh3:" + (try reference("xxh128sum", path))
        XCTAssertTrue(try FileChecksum.matches(file: path, recorded: xxh))
        let sha = try reference("sha256sum", path)
        XCTAssertEqual(sha.count, 64)
        XCTAssertTrue(try FileChecksum.matches(file: path, recorded: sha))
        try Data("{\"id\":\"A2\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertFalse(try FileChecksum.matches(file: path, recorded: sha))
        XCTAssertFalse(try FileChecksum.matches(file: path, recorded: xxh))
        XCTAssertThrowsError(try FileChecksum.matches(file: path + ".gone", recorded: sha))
    }
}
