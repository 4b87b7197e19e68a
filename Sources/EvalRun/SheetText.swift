import Support

/// The text of a sheet saved by a spreadsheet program, as UTF-8 bytes: UTF-8 with or without a
/// byte-order mark (Excel's "CSV UTF-8"), else CP949 (Excel's plain "CSV" on Korean Windows, which
/// also covers EUC-KR), converted by iconv. Valid UTF-8 is taken as UTF-8: CP949 Hangul is almost
/// never valid UTF-8, while the reverse guess would garble a UTF-8 sheet.
enum SheetText {
    /// - throws: `GradingError.sheet` for UTF-16 (Excel's "Unicode Text") and for bytes that are
    ///   neither UTF-8 nor CP949.
    static func utf8(_ data: [UInt8], file: String) throws -> (bytes: [UInt8], charset: String) {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            let rest = Array(data.dropFirst(3))
            guard isUTF8(rest) else { throw GradingError.sheet(file: file, detail: "it starts with a UTF-8 byte-order mark but is not valid UTF-8") }
            return (rest, "UTF-8")
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            throw GradingError.sheet(file: file, detail: "it is UTF-16 (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 (Comma delimited)\" instead")
        }
        if isUTF8(data) { return (data, "UTF-8") }
        if let converted = Charset.utf8(data, from: "CP949") { return (converted, "CP949") }
        throw GradingError.sheet(file: file, detail: "the text is neither UTF-8 nor CP949 (EUC-KR); save it as \"CSV UTF-8 (Comma delimited)\"")
    }

    static func isUTF8(_ data: [UInt8]) -> Bool {
        data.allSatisfy { $0 < 0x80 } || data.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) } != nil
    }
}
