/// The text of a greedy generation, built from token pieces.
///
/// A piece is raw bytes and may end inside a UTF-8 character (SmolLM2 spends about two tokens per
/// Hangul syllable), so the bytes of an incomplete character wait until the rest arrives; `text` holds
/// whole characters only, and a character still incomplete when generation ends is dropped rather
/// than turned into U+FFFD. Stop strings are matched on Unicode scalars (byte-exact UTF-8), so `"\n"`
/// is found inside `"\r\n"`, which Swift's Character-based search would treat as one character.
///
///     var t = GeneratedText(stops: ["\n"])
///     _ = t.append([0x20, 0xEC, 0x97])   // " " and 2 of 연's 3 bytes
///     t.text                             // " "
///     _ = t.append([0xB0])               // t.text == " 연"
struct GeneratedText {
    private let stops: [[UInt8]]
    private let longestStop: Int
    /// Whole characters so far.
    private var complete: [UInt8] = []
    /// The start of a character whose remaining bytes have not arrived yet.
    private var pending: [UInt8] = []

    init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.utf8) }
        longestStop = self.stops.map(\.count).max() ?? 0
    }

    /// The whole characters generated so far, before any stop string.
    var text: String { String(decoding: complete, as: UTF8.self) }

    /// Adds a token's piece. Returns false once a stop string is complete: the text then ends before it.
    mutating func append(_ piece: [UInt8]) -> Bool {
        pending += piece
        let whole = Self.completePrefix(pending)
        guard whole > 0 else { return true }
        let searchFrom = max(0, complete.count - longestStop + 1)
        complete += pending[..<whole]
        pending.removeFirst(whole)
        if let cut = Self.firstStop(stops, in: complete, from: searchFrom) {
            complete.removeSubrange(cut...)
            pending = []
            return false
        }
        return true
    }

    /// The length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence.
    /// Malformed bytes count as complete (decoding turns them into U+FFFD, as they deserve).
    static func completePrefix(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var lead = n - 1
        while lead >= 0, n - lead <= 3, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= 0, bytes[lead] & 0xC0 != 0x80 else { return n }
        let b = bytes[lead]
        let length = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF8 ? 4 : 1
        return n - lead < length ? lead : n
    }

    /// Byte offset of the earliest occurrence of any stop sequence in `bytes`, looking from `from` on.
    static func firstStop(_ stops: [[UInt8]], in bytes: [UInt8], from: Int = 0) -> Int? {
        var earliest: Int?
        for stop in stops where stop.count <= bytes.count {
            var i = from
            while i + stop.count <= bytes.count, i < (earliest ?? Int.max) {
                if bytes[i] == stop[0], bytes[i..<i + stop.count].elementsEqual(stop) {
                    earliest = i
                    break
                }
                i += 1
            }
        }
        return earliest
    }
}
