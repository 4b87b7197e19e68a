#if canImport(Glibc)
import Glibc
#endif

/// Text in a legacy charset, converted by iconv: AI Hub entry names and files from Korean Windows
/// (CP949, which covers EUC-KR), HTML pages that declare a charset, spreadsheets saved by Excel.
///
///     Charset.utf8([0xC7, 0xD1], from: "CP949")   // "한" as UTF-8 bytes
public enum Charset {
    /// The bytes converted to UTF-8; nil when iconv does not know the charset or the bytes are not
    /// valid in it.
    public static func utf8(_ bytes: [UInt8], from charset: String) -> [UInt8]? {
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        // A character of a legacy charset takes at most three times its bytes in UTF-8.
        var output = [CChar](repeating: 0, count: bytes.count * 3 + 4)
        var left = 0
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var inLeft = inBuf.count, outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                left = outLeft
                return r != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        output.removeLast(left)
        return output.map { UInt8(bitPattern: $0) }
    }

    /// The same as a `String`.
    public static func decode(_ bytes: [UInt8], from charset: String) -> String? {
        utf8(bytes, from: charset).map { String(decoding: $0, as: UTF8.self) }
    }
}
