import JSON
import XCTest

/// The eight-byte tests must agree with looking at each byte, for every byte value at every place
/// and for words mixing bytes next to the bounds (a borrow from one byte must not hide or invent another).
final class ByteScanTests: XCTestCase {
    func word(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } }

    func testAgreesWithABytewiseLook() {
        var words: [[UInt8]] = []
        // Each byte value at each place, among plain Hangul-like bytes.
        for v in 0...255 { for place in 0..<8 { var w: [UInt8] = [0xEA, 0xB0, 0x80, 0x41, 0xED, 0x9E, 0xA3, 0x7E]; w[place] = UInt8(v); words.append(w) } }
        // Bytes around the bounds next to each other, and random words.
        let edges: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x2B, 0x2C, 0x2D, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0x81, 0xE1, 0xE2, 0xE3, 0xFF, 0x0A, 0x0D]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20000 { words.append((0..<8).map { _ in Bool.random(using: &rng) ? edges.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng) }) }
        for w in words {
            let json = w.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }
            XCTAssertEqual(ByteScan.any(word(w), below: 0x20, or: 0x22, 0x5C, 0xE2), json, "\(w)")
            let csv = w.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            XCTAssertEqual(ByteScan.any(word(w), equal: 0x2C, 0x22, 0x0A, 0x0D), csv, "\(w)")
        }
    }

    /// The writers that use it still escape what they must, wherever it falls in a run of eight.
    func testWriterEscapesAtEveryPlace() {
        for place in 0..<20 {
            for special in ["\"", "\\", "\n", "\u{01}", "\u{2028}", "…"] {
                var text = String(repeating: "가", count: 7)
                text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: min(place, 7)))
                text += String(repeating: "a", count: place)
                let written = JSONWriter.quoted(text)
                XCTAssertEqual(try JSONParser.parse(written), .string(text), written)
                XCTAssertEqual(written.contains("\u{2028}"), false)
            }
        }
    }
}
