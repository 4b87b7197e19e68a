#if canImport(Glibc)
import Glibc
#endif
import CByteScan
import JSON

extension RecordCoding {
    /// Serialises records of one column layout straight to UTF-8 bytes: the JSON keys are escaped
    /// once, field text is copied in runs, and no intermediate `String` is built. `jsonLine` and
    /// `csvRow` give the same bytes as text.
    ///
    ///     let encoder = RecordCoding.Encoder(columns: ["id", "title"])
    ///     var line: [UInt8] = []
    ///     encoder.appendJSON(record, to: &line)   // {"id":"1","title":"…","_split":"train"}
    public struct Encoder: Sendable {
        public let columns: [String]
        /// `"key":` for each column, then for each metadata column, one after another: key `k` is
        /// `keyBytes[keyStarts[k]..<keyStarts[k + 1]]` (one buffer, nothing to retain per key).
        private let keyBytes: [UInt8]
        private let keyStarts: [Int]

        public init(columns: [String]) {
            self.columns = columns
            var bytes: [UInt8] = [], starts = [0]
            for key in columns + Record.metaColumns {
                JSONWriter.appendString(key, to: &bytes)
                bytes.append(0x3A)
                starts.append(bytes.count)
            }
            keyBytes = bytes
            keyStarts = starts
        }

        /// The record's fields in column order (nil where absent): what `appendJSON(values:of:)` and
        /// `appendCSV(values:of:)` take, so that a record written both ways is looked up once.
        public func values(_ record: Record) -> [String?] {
            // Records made with these very columns (the same names) already hold their values in order.
            if record.fields.names == columns { return record.fields.slots }
            return columns.map { record.fields[$0] }
        }

        /// Appends the record as one JSON object (no newline): the columns in order, null where a
        /// field is absent, then the metadata columns that have a value.
        public func appendJSON(_ record: Record, to out: inout [UInt8]) {
            appendJSON(values: values(record), of: record, to: &out)
        }

        /// `appendJSON` with the fields already in column order (`values(record)`).
        public func appendJSON(values: [String?], of record: Record, to out: inout [UInt8]) {
            out.append(0x7B)
            // Values are read in place (`vs[k]?.withUTF8Bytes`): binding each one to a local, and
            // each metadata value, retained and released its string for every row written.
            keyBytes.withUnsafeBufferPointer { keys in
                keyStarts.withUnsafeBufferPointer { starts in
                    values.withUnsafeBufferPointer { vs in
                        var first = true
                        func key(_ k: Int) {
                            if !first { out.append(0x2C) }
                            first = false
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: keys[starts[k]..<starts[k + 1]]))
                        }
                        for k in vs.indices {
                            key(k)
                            if vs[k]?.withUTF8Bytes({ JSONWriter.appendString(bytes: $0, to: &out) }) == nil {
                                JSONWriter.appendLiteral("null", to: &out)
                            }
                        }
                        let c = vs.count
                        func meta(_ m: Int, _ text: UnsafeBufferPointer<UInt8>) {
                            key(c + m)
                            JSONWriter.appendString(bytes: text, to: &out)
                        }
                        // As `Record.meta(at:)`: the split and origin when set, the archive and entry when not empty.
                        _ = record.split?.withUTF8Bytes { meta(0, $0) }
                        if !record.archive.isEmpty { record.archive.withUTF8Bytes { meta(1, $0) } }
                        if !record.entry.isEmpty { record.entry.withUTF8Bytes { meta(2, $0) } }
                        _ = record.origin?.withUTF8Bytes { meta(3, $0) }
                    }
                }
            }
            out.append(0x7D)
        }

        /// Appends the record as one CSV row ending in CRLF (RFC 4180); null is an empty field.
        public func appendCSV(_ record: Record, to out: inout [UInt8]) {
            appendCSV(values: values(record), of: record, to: &out)
        }

        /// `appendCSV` with the fields already in column order (`values(record)`).
        public func appendCSV(values: [String?], of record: Record, to out: inout [UInt8]) {
            for k in values.indices {
                if k > 0 { out.append(0x2C) }
                if let v = values[k] { RecordCoding.appendCSVField(v, to: &out) }
            }
            for m in 0..<Record.metaCount {
                if m > 0 || !columns.isEmpty { out.append(0x2C) }
                if let v = record.meta(at: m) { RecordCoding.appendCSVField(v, to: &out) }
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
    }

    /// Appends a CSV field, quoted when it holds a comma, quote, CR or LF, inner quotes doubled.
    static func appendCSVField(_ text: String, to out: inout [UInt8]) {
        text.withUTF8Bytes { bytes in
            // Sixteen bytes at a time up to the first comma, quote, CR or LF.
            guard let base = bytes.baseAddress, harness_scan_csv_special(base, bytes.count) < bytes.count else {
                out.append(contentsOf: bytes)
                return
            }
            // Quoted (most bodies hold a comma): the runs between inner quotes are copied whole, each
            // inner quote doubled.
            out.append(0x22)
            var start = 0
            while let q = memchr(bytes.baseAddress! + start, 0x22, bytes.count - start) {
                let at = bytes.baseAddress!.distance(to: q.assumingMemoryBound(to: UInt8.self))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...at]))
                out.append(0x22)
                start = at + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            out.append(0x22)
        }
    }
}
