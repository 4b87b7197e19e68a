import CByteScan
import JSON
import XCTest

/// The sixteen-byte scans (`CByteScan`) must find the same byte as looking at each byte in turn: for
/// every byte value at every place of a run longer than one step, for runs mixing bytes next to
/// the bounds, and for every length (the bytes after the last full step are looked at one by one).
final class ByteScanTests: XCTestCase {
    private func bytewise(_ bytes: [UInt8], _ stop: (UInt8) -> Bool) -> Int { bytes.firstIndex(where: stop) ?? bytes.count }

    private func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        bytes.withUnsafeBufferPointer { p in
            let base = p.baseAddress ?? UnsafePointer(bitPattern: 1)!
            var high: UInt8 = 0
            let json = harness_scan_json_string(base, p.count, &high)
            XCTAssertEqual(json, bytewise(bytes) { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }, "\(bytes)", file: file, line: line)
            XCTAssertEqual(high, bytes[..<json].contains { $0 >= 0x80 } ? 0x80 : 0, "non-ASCII before the stop: \(bytes)", file: file, line: line)
            XCTAssertEqual(harness_scan_json_escape(base, p.count), bytewise(bytes) { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }, "\(bytes)", file: file, line: line)
            XCTAssertEqual(harness_scan_csv_special(base, p.count), bytewise(bytes) { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }, "\(bytes)", file: file, line: line)
        }
    }

    func testAgreesWithABytewiseLook() {
        // Each byte value at each place of 40 plain bytes (Hangul and ASCII): in the first step,
        // the second, and the bytewise rest.
        let plain: [UInt8] = Array("가나다 abc 라마바 xyz 사아자".utf8)
        for v in 0...255 { for place in plain.indices { var w = plain; w[place] = UInt8(v); check(w) } }
        // Every length, with and without a stop at the end.
        for n in 0...40 { check(Array(plain.prefix(n))); check(Array(plain.prefix(n)) + [0x22]) }
        // Bytes around the bounds next to each other, and random bytes.
        let edges: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x2B, 0x2C, 0x2D, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0x81, 0xE1, 0xE2, 0xE3, 0xFF, 0x0A, 0x0D]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let n = Int.random(in: 0...48, using: &rng)
            // Mostly plain bytes, so that runs reach past a step before they stop.
            check((0..<n).map { _ in
                Int.random(in: 0..<8, using: &rng) == 0 ? edges.randomElement(using: &rng)! : plain.randomElement(using: &rng)!
            })
        }
    }

    /// The writers that use it still escape what they must, wherever it falls in a step.
    func testWriterEscapesAtEveryPlace() {
        for place in 0..<40 {
            for special in ["\"", "\\", "\n", "\u{01}", "\u{2028}", "…"] {
                var text = String(repeating: "가", count: 13)
                text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: min(place, 13)))
                text += String(repeating: "a", count: place)
                let written = JSONWriter.quoted(text)
                XCTAssertEqual(try JSONParser.parse(written), .string(text), written)
                XCTAssertEqual(written.contains("\u{2028}"), false)
            }
        }
    }
}
