import ArchiveIO
import Support
import HarnessSpec
import JSON
import Records

/// Reads the documents of one `format: jsonl | csv | tsv` entry (an archive entry or a plain file),
/// one at a time, as JSON values the `record:` rules then read:
/// - `jsonl`: each non-blank line is one JSON document;
/// - `csv` / `tsv`: the first row is the header; each later row becomes `{column: "text"}`, every value
///   a string and an empty field null. Rows are read by `CSVReader` (RFC 4180 quoting), or split at the
///   delimiter line by line with `source.quoting: none`.
///
/// The bytes are first decoded from `source.charset` (CP949 and EUC-KR through iconv, as entry names
/// are); text that is not valid in the charset is an error naming the line.
///
///     let text = try TabularEntry.utf8(entry.data, source: spec.source).get()
///     TabularEntry.forEach(text, source: spec.source) { item in ...; return true }
enum TabularEntry {
    /// A line (or row) that gives no record.
    struct Bad: Error, Equatable {
        /// The 1-based line where it begins.
        let line: Int
        /// Short enough to count rows by (`wrong number of fields`).
        let reason: String
        /// What is wrong, for the error message.
        let detail: String
        /// What `on_bad_entry: skip` passes over: the row, the JSON line, or (text not valid in its
        /// charset) the whole file.
        var skips = "rows"

        /// The error `prep run` stops with, located at `<entry>:<line>`.
        func error(entry location: String) -> PrepError {
            .field(location: "\(location):\(line)", detail: detail + ". Set `source.on_bad_entry: skip` to count and skip such \(skips) instead")
        }
    }

    /// One document of an entry, or a line that gives none.
    enum Item: Equatable {
        /// A JSON line, or a table row as an object; `line` is where it begins (1-based).
        case document(line: Int, JSONValue)
        case bad(Bad)
    }

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    // MARK: - Decoding

    /// The entry's text as UTF-8 bytes: checked when the charset is UTF-8, else converted by iconv
    /// (`EUC-KR` is read as CP949, its superset, which is what Korean Windows writes under that name).
    static func utf8(_ data: [UInt8], source: SourceSpec) -> Result<[UInt8], Bad> {
        if source.isUTF8 {
            if data.allSatisfy({ $0 < 0x80 }) || data.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) != nil {
                return .success(data)
            }
            return .failure(firstInvalidUTF8(data))
        }
        if data.starts(with: bom) {
            return .failure(Bad(line: 1, reason: "charset mismatch",
                                detail: "the file starts with a UTF-8 byte-order mark but `source.charset` is \(source.charset); remove `charset:` to read it as UTF-8", skips: "files"))
        }
        let charset = iconvName(source.charset)
        if let text = Charset.utf8(data, from: charset) { return .success(text) }
        // Find the line that does not convert: no byte of a CP949/EUC-KR character is a line feed.
        var line = 1
        for piece in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if Charset.utf8(Array(piece), from: charset) == nil {
                return .failure(Bad(line: line, reason: "invalid \(source.charset)",
                                    detail: "the text is not valid \(source.charset)" + (charset == "CP949" ? "; if the file is UTF-8, remove `charset:`" : ""), skips: "files"))
            }
            line += 1
        }
        return .failure(Bad(line: line - 1, reason: "invalid \(source.charset)", detail: "the text is not valid \(source.charset) (it ends inside a character)", skips: "files"))
    }

    /// The name iconv is given for a charset.
    static func iconvName(_ charset: String) -> String {
        let key = charset.uppercased().filter { $0 != "-" && $0 != "_" }
        return key == "EUCKR" ? "CP949" : charset
    }

    /// Where the first byte that is not UTF-8 is, as a line and column.
    private static func firstInvalidUTF8(_ data: [UInt8]) -> Bad {
        var line = 1, column = 1, offset = 0
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        while true {
            switch parser.parseScalar(from: &bytes) {
            case let .valid(scalar):
                if scalar.count == 1, scalar.first == 0x0A { line += 1; column = 1 } else { column += 1 }
                offset += scalar.count
            case .error:
                let byte = String(data[offset], radix: 16, uppercase: true)
                return Bad(line: line, reason: "invalid UTF-8",
                           detail: "byte 0x\(byte) at column \(column) is not UTF-8; a file saved by Korean Windows or Excel is usually CP949: set `source.charset: CP949`", skips: "files")
            case .emptyInput:
                return Bad(line: line, reason: "invalid UTF-8", detail: "the text is not valid UTF-8", skips: "files")
            }
        }
    }

    // MARK: - Documents

    /// Calls `body` with every document of the decoded entry, in order, until it returns false.
    static func forEach(_ text: [UInt8], source: SourceSpec, _ body: (Item) -> Bool) {
        switch source.format {
        case .json: return
        case .jsonl: jsonLines(text, body)
        case .csv, .tsv:
            let delimiter = source.format.delimiter ?? UInt8(ascii: ",")
            if source.quoted {
                var reader = CSVReader(text, delimiter: delimiter)
                rows(next: {
                    guard let fields = try reader.next() else { return nil }
                    return (reader.line, fields)
                }, quoted: true, body)
            } else {
                var reader = PlainRows(text, delimiter: delimiter)
                rows(next: { reader.next() }, quoted: false, body)
            }
        }
    }

    /// `jsonl`: one document per non-blank line (LF or CRLF).
    private static func jsonLines(_ text: [UInt8], _ body: (Item) -> Bool) {
        var start = text.starts(with: bom) ? 3 : 0
        var line = 1
        while start < text.count {
            let newline = text[start...].firstIndex(of: 0x0A) ?? text.count
            var end = newline
            if end > start, text[end - 1] == 0x0D { end -= 1 }
            let slice = text[start..<end]
            if slice.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                let item: Item
                do {
                    item = .document(line: line, try JSONParser.parse(slice))
                } catch let f as JSONParser.Failure {
                    item = .bad(Bad(line: line, reason: "malformed JSON", detail: "malformed JSON: \(f.message) at column \(f.column)", skips: "lines"))
                } catch {
                    item = .bad(Bad(line: line, reason: "malformed JSON", detail: "malformed JSON: \(error)", skips: "lines"))
                }
                guard body(item) else { return }
            }
            start = newline + 1
            line += 1
        }
    }

    /// `csv` / `tsv`: the header, then one object per row. Blank rows are passed over, as Python's
    /// `csv.DictReader` does.
    private static func rows(next: () throws -> (line: Int, fields: [String])?, quoted: Bool, _ body: (Item) -> Bool) {
        var header: (line: Int, names: [String])?
        // After a reader failure inside a row, the reader's next row is that row's rest: passed over.
        var resync = false
        while true {
            let row: (line: Int, fields: [String])
            do {
                guard let r = try next() else { return }
                row = r
            } catch let f as CSVReader.Failure {
                if resync { continue }
                let unclosed = f.message.contains("not closed")
                let bad = Bad(line: f.line, reason: unclosed ? "unclosed quote" : "text after a closing quote",
                              detail: f.message + (unclosed ? " (it runs to the end of the file)" : "")
                                  + "; a field that starts with a quote must end with one before the next delimiter."
                                  + " If quotes in this file are ordinary characters, set `source.quoting: none`")
                guard body(.bad(bad)) else { return }
                resync = true
                continue
            } catch {
                _ = body(.bad(Bad(line: 0, reason: "unreadable row", detail: "\(error)")))
                return
            }
            if resync { resync = false; continue }
            if row.fields == [""] { continue }
            guard let columns = header else {
                var seen: [String: Int] = [:]
                for (i, name) in row.fields.enumerated() where !name.isEmpty {
                    if let first = seen.updateValue(i + 1, forKey: name) {
                        _ = body(.bad(Bad(line: row.line, reason: "duplicate column",
                                          detail: "the header names the column '\(name)' twice (fields \(first) and \(i + 1))", skips: "files")))
                        return
                    }
                }
                header = (row.line, row.fields)
                continue
            }
            guard row.fields.count == columns.names.count else {
                let cause = row.fields.count > columns.names.count
                    ? (quoted ? "; a field holding the delimiter must be quoted" : "; a field holds the delimiter")
                    : (quoted ? "; a line break inside a field must be quoted" : "; a field holds a line break")
                let bad = Bad(line: row.line, reason: "wrong number of fields",
                              detail: "the row has \(row.fields.count) field\(row.fields.count == 1 ? "" : "s"), the header (line \(columns.line)) has "
                                  + "\(columns.names.count): \(columns.names.joined(separator: ", "))" + cause)
                guard body(.bad(bad)) else { return }
                continue
            }
            var members: [(key: String, value: JSONValue)] = []
            members.reserveCapacity(columns.names.count)
            for (name, value) in zip(columns.names, row.fields) where !name.isEmpty {
                members.append((name, value.isEmpty ? .null : .string(value)))
            }
            guard body(.document(line: row.line, .object(members))) else { return }
        }
    }

    /// Rows of a table without quoting (`source.quoting: none`, Python's `csv.QUOTE_NONE`): one row per
    /// line (LF or CRLF), fields split at every delimiter, quotes kept as they are.
    struct PlainRows {
        private let bytes: [UInt8]
        private let delimiter: UInt8
        private var i: Int
        private var line = 0

        init(_ bytes: [UInt8], delimiter: UInt8) {
            self.bytes = bytes
            self.delimiter = delimiter
            i = bytes.starts(with: TabularEntry.bom) ? 3 : 0
        }

        mutating func next() -> (line: Int, fields: [String])? {
            guard i < bytes.count else { return nil }
            line += 1
            let newline = bytes[i...].firstIndex(of: 0x0A) ?? bytes.count
            var end = newline
            if end > i, bytes[end - 1] == 0x0D { end -= 1 }
            let fields = bytes[i..<end].split(separator: delimiter, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            i = newline + 1
            return (line, fields)
        }
    }
}
