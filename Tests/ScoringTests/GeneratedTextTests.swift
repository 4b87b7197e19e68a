@testable import Scoring
import XCTest

/// Token pieces are bytes and may end inside a UTF-8 character (SmolLM2 spends about two tokens per
/// Hangul syllable): the generated text holds whole characters only, and stops are found across pieces.
final class GeneratedTextTests: XCTestCase {
    /// `text`'s bytes cut at every given offset.
    func pieces(_ text: String, cuts: [Int]) -> [[UInt8]] {
        let b = Array(text.utf8)
        let bounds = [0] + cuts + [b.count]
        return zip(bounds, bounds.dropFirst()).map { Array(b[$0..<$1]) }
    }

    func testPiecesSplitInsideHangulDecodeToWholeCharacters() {
        // " 연기가 어색해": every syllable is 3 bytes; cut inside 연, 기, 색 and 해.
        let answer = " 연기가 어색해"
        var t = GeneratedText(stops: [])
        for p in pieces(answer, cuts: [2, 5, 6, 9, 13, 16, 18]) {
            XCTAssertTrue(t.append(p))
            XCTAssertFalse(t.text.contains("\u{FFFD}"), "no replacement character while a character is incomplete: \(t.text)")
            XCTAssertTrue(answer.hasPrefix(t.text))
        }
        XCTAssertEqual(t.text, answer)
    }

    func testAnIncompleteTrailingCharacterIsDropped() {
        var t = GeneratedText(stops: [])
        let b = Array(" 연기가 어색해".utf8)
        _ = t.append(Array(b[0..<(b.count - 1)]))   // 해 lacks its last byte, as when max_tokens ends there
        XCTAssertEqual(t.text, " 연기가 어색")
        var four = GeneratedText(stops: [])
        _ = four.append(Array("ok 😀".utf8).dropLast(2))   // a 4-byte emoji cut after 2 bytes
        XCTAssertEqual(four.text, "ok ")
    }

    func testStopsAreFoundAcrossPiecesAndCutBeforeTheirFirstCharacter() {
        var t = GeneratedText(stops: ["어색", "\n"])
        // Cut inside 어 and inside 색: the stop is whole only with the last piece.
        let parts = pieces(" 연기가 어색해요", cuts: [4, 12, 16])
        for p in parts.dropLast() { XCTAssertTrue(t.append(p)) }
        XCTAssertFalse(t.append(parts[3]), "어색 is complete once its last byte arrives")
        XCTAssertEqual(t.text, " 연기가 ")
        // Stops are matched on Unicode scalars: "\n" is found inside "\r\n" (one Character in Swift).
        var crlf = GeneratedText(stops: ["\n"])
        XCTAssertFalse(crlf.append(Array("정상 기사\r\n다음".utf8)))
        XCTAssertEqual(crlf.text, "정상 기사\r")
    }

    func testStopStringsCutAtTheEarliestOccurrence() {
        let text = Array("Paris. Then\nmore".utf8)
        XCTAssertEqual(GeneratedText.firstStop([Array("\n".utf8), Array(".".utf8)], in: text), 5)
        XCTAssertEqual(GeneratedText.firstStop([Array("Then".utf8)], in: text), 7)
        XCTAssertNil(GeneratedText.firstStop([Array("xyz".utf8)], in: text))
    }
}
