import Foundation
import Support
import XCTest

final class SHA256Tests: XCTestCase {
    // Expected digests: FIPS 180-2 test vectors, confirmed with `sha256sum`.
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testIncrementalUpdatesMatchOneShot() {
        let text = String(repeating: "낚시성 기사 탐지 ", count: 100)
        var h = SHA256()
        for chunk in Array(text.utf8).chunked(by: 37) { h.update(chunk) }
        XCTAssertEqual(h.hexDigest(), SHA256.hex(text))
    }

    /// A copy goes on from the same state on its own, and reading the digest leaves the state as it was
    /// (Nettle's digest call resets the context it finishes, so `hexDigest` finishes a copy).
    func testCopiesAreIndependentAndDigestLeavesTheState() {
        var a = SHA256()
        a.update("ab")
        var b = a
        _ = a.hexDigest()
        a.update("c")
        b.update("x")
        XCTAssertEqual(a.hexDigest(), SHA256.hex("abc"))
        XCTAssertEqual(a.hexDigest(), SHA256.hex("abc"))
        XCTAssertEqual(b.hexDigest(), SHA256.hex("abx"))
    }

    /// A file read in blocks gives coreutils' `sha256sum` of it (3 MiB: several blocks and a part).
    func testFileDigestMatchesSha256sum() throws {
        let path = NSTemporaryDirectory() + "sha-\(UUID().uuidString).bin"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bytes = [UInt8](repeating: 0, count: 3 << 20 | 12345)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 13) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        XCTAssertEqual(try SHA256.hex(file: path), String(expected))
    }
}

private extension Array {
    func chunked(by n: Int) -> [[Element]] { stride(from: 0, to: count, by: n).map { Array(self[$0..<Swift.min($0 + n, count)]) } }
}
