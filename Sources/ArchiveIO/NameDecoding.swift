import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Decodes entry names: UTF-8 when valid, else CP949 (AI Hub zips made on Korean Windows without
/// the UTF-8 flag), then NFC-normalised so that macOS's NFD names compare equal.
public enum NameDecoding {
    public static func decode(_ raw: [UInt8]) -> String {
        if raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        let text = String(validating: raw, as: UTF8.self) ?? convert(raw, from: "CP949") ?? String(decoding: raw, as: UTF8.self)
        return text.precomposedStringWithCanonicalMapping
    }

    public static func nfc(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// Converts bytes from a charset (as iconv names it: CP949, EUC-KR, ...) to a String; nil when invalid.
    public static func convert(_ bytes: [UInt8], from charset: String) -> String? {
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 3 + 4)
        var remaining = 0
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var inLeft = inBuf.count, outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                remaining = outLeft
                return r != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        output.removeLast(remaining)
        return String(decoding: output.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
