import CByteScan
import JSON
import XCTest

/// A string the parser skips (a member no field reads) is still checked to be well-formed UTF-8,
/// by its own validator with a fast path for runs of three-byte scalars (Hangul). It must agree with
/// the standard library's `String(validating:)` on every sequence, valid or not.
final class UTF8ValidationTests: XCTestCase {
    /// Whether the parser accepts `{"skipped":"<bytes>"}` when nothing of it is kept.
    func parserAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONTape(Array("{\"skipped\":\"".utf8) + bytes + Array("\"}".utf8), keeping: JSONProjection())) != nil
    }

    func stdlibAccepts(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

    /// Every lead byte with every second byte, and a third from the edges of the continuation range,
    /// alone and after a run of Hangul (the fast path) and before ASCII.
    func testEveryLeadAndSecondByteAgreesWithTheStandardLibrary() {
        let hangul: [UInt8] = Array("낚시성".utf8)
        for lead in UInt8(0x80)...0xFF {
            for second in UInt8(0x00)...0xFF where second != 0x22 && second != 0x5C && second >= 0x20 {
                for third: UInt8 in [0x7F, 0x80, 0xBF, 0xC0] {
                    for sequence in [[lead, second, third], [lead, second, third, 0x80], hangul + [lead, second, third] + hangul + [0x41]] {
                        XCTAssertEqual(parserAccepts(sequence), stdlibAccepts(sequence), "\(sequence.map { String($0, radix: 16) })")
                    }
                }
            }
        }
    }

    /// Random mixes of Hangul, ASCII, other scalars and stray bytes, cut anywhere.
    func testRandomMixesAgreeWithTheStandardLibrary() {
        var rng = SplitMix(seed: 11)
        let pieces: [[UInt8]] = [Array("가".utf8), Array("힣".utf8), Array("a".utf8), Array(" ".utf8), Array("é".utf8), Array("😀".utf8),
                                 Array("\u{FFFD}".utf8), [0xED, 0xA0, 0x80], [0xE0, 0x80, 0xAF], [0x80], [0xEA, 0xB0], [0xF4, 0x90, 0x80, 0x80]]
        for _ in 0..<20000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 12) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            if !bytes.isEmpty, rng.next() % 3 == 0 { bytes.removeLast(Int(rng.next() % UInt64(min(3, bytes.count)))) }
            XCTAssertEqual(parserAccepts(bytes), stdlibAccepts(bytes), "\(bytes.map { String($0, radix: 16) })")
        }
    }
}

/// The sixteen-byte check (`harness_utf8_valid`, which the validator uses for long runs) must agree
/// with the standard library wherever a sequence falls: across the edge of a block, at the end of
/// the bytes (a last block shorter than sixteen), after ASCII-only blocks.
final class VectorUTF8ValidationTests: XCTestCase {
    func vectorAccepts(_ bytes: [UInt8]) -> Bool? {
        bytes.withUnsafeBufferPointer { p in
            let r = harness_utf8_valid(p.baseAddress ?? UnsafePointer(bitPattern: 1)!, p.count)
            return r < 0 ? nil : r == 1
        }
    }

    func stdlibAccepts(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

    func testEveryLeadAndSecondByteAgreesAtTheEdgesOfABlock() throws {
        guard vectorAccepts([]) != nil else { throw XCTSkip("this processor has no vector check; the validator checks bytewise") }
        let hangul: [UInt8] = Array("낚시성 기사입니다".utf8)   // 25 bytes
        let ascii: [UInt8] = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        for lead in UInt8(0x80)...0xFF {
            for second in UInt8(0x00)...0xFF {
                for third: UInt8 in [0x41, 0x80, 0xBF, 0xC0] {
                    // The sequence starts 14 or 15 bytes into a block (it straddles two), or ends the
                    // bytes; before it Hangul or ASCII-only blocks.
                    for (before, after) in [(Array(hangul.prefix(14)), hangul), (Array(ascii.prefix(31)), [UInt8]()), (Array(ascii.prefix(15)), Array(ascii.prefix(9))),
                                            (hangul, [0x80])] {
                        let bytes = before + [lead, second, third] + after
                        XCTAssertEqual(vectorAccepts(bytes), stdlibAccepts(bytes), "\(bytes.map { String($0, radix: 16) })")
                    }
                }
            }
        }
    }

    func testRandomMixesOfEveryLengthAgree() throws {
        guard vectorAccepts([]) != nil else { throw XCTSkip("this processor has no vector check") }
        var rng = SplitMix(seed: 29)
        let pieces: [[UInt8]] = [Array("가".utf8), Array("힣".utf8), Array("a".utf8), Array(" ".utf8), Array("é".utf8), Array("😀".utf8),
                                 Array("\u{10FFFF}".utf8), Array("\u{FFFD}".utf8), [0xED, 0xA0, 0x80], [0xE0, 0x80, 0xAF], [0xC0, 0xAF], [0xF0, 0x8F, 0xBF, 0xBF],
                                 [0x80], [0xEA, 0xB0], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF]]
        for _ in 0..<30000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 40) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            if !bytes.isEmpty, rng.next() % 3 == 0 { bytes.removeLast(Int(rng.next() % UInt64(min(3, bytes.count)))) }
            XCTAssertEqual(vectorAccepts(bytes), stdlibAccepts(bytes), "\(bytes.map { String($0, radix: 16) })")
        }
    }
}

/// A small seeded generator, so that a failure can be repeated.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
