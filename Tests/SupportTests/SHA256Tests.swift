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
}

private extension Array {
    func chunked(by n: Int) -> [[Element]] { stride(from: 0, to: count, by: n).map { Array(self[$0..<Swift.min($0 + n, count)]) } }
}
