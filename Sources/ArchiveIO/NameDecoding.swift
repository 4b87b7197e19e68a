import Foundation
import Support

/// Decodes entry names: UTF-8 when valid, else CP949 (AI Hub zips made on Korean Windows without
/// the UTF-8 flag), then NFC-normalised so that macOS's NFD names compare equal.
public enum NameDecoding {
    public static func decode(_ raw: [UInt8]) -> String {
        if raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        let text = String(validating: raw, as: UTF8.self) ?? Charset.decode(raw, from: "CP949") ?? String(decoding: raw, as: UTF8.self)
        return text.precomposedStringWithCanonicalMapping
    }

    public static func nfc(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }
}
