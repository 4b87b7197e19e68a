/// An RFC 4180 reader: quoted fields (with commas, doubled quotes, CR and LF inside), CRLF or LF
/// line ends, a leading UTF-8 BOM skipped, any single-byte delimiter (`,` or tab).
///
///     var reader = CSVReader(bytes)
///     while let row = try reader.next() { ... }   // [String], one per field
public struct CSVReader {
    private let bytes: [UInt8]
    private var i: Int
    public let delimiter: UInt8
    /// The 1-based line where the row `next()` returned last began.
    public private(set) var line = 0
    private var nextLine = 1

    /// A quote that is not closed, or text after a closing quote.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public init(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) {
        self.bytes = bytes
        self.delimiter = delimiter
        i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next row's fields, or nil at the end. A blank line is a row of one empty field.
    public mutating func next() throws -> [String]? {
        guard i < bytes.count else { return nil }
        line = nextLine
        var fields: [String] = []
        var field: [UInt8] = []
        while true {
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                // A quoted field: up to the closing quote; "" is one quote.
                i += 1
                while true {
                    guard i < bytes.count else { throw Failure(line: line, message: "a quoted field is not closed") }
                    let b = bytes[i]
                    if b == UInt8(ascii: "\"") {
                        if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 2; continue }
                        i += 1
                        break
                    }
                    if b == 0x0A { nextLine += 1 }
                    field.append(b)
                    i += 1
                }
                if i < bytes.count, bytes[i] != delimiter, bytes[i] != 0x0A, bytes[i] != 0x0D {
                    throw Failure(line: line, message: "text after the closing quote of a field")
                }
            } else {
                while i < bytes.count, bytes[i] != delimiter, bytes[i] != 0x0A, bytes[i] != 0x0D {
                    field.append(bytes[i])
                    i += 1
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            guard i < bytes.count else { return fields }
            if bytes[i] == delimiter { i += 1; continue }
            // CRLF, LF or a lone CR ends the row.
            if bytes[i] == 0x0D { i += 1 }
            if i < bytes.count, bytes[i] == 0x0A { i += 1 }
            nextLine += 1
            return fields
        }
    }
}
