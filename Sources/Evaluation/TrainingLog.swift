import Records
import Support

/// Points of a training log: Hugging Face Trainer's `trainer_state.json` (`log_history`), JSONL
/// with the same keys, or CSV with a `step` column.
public struct TrainingLog: Equatable, Sendable {
    public struct Point: Equatable, Sendable {
        public let step: Double
        public let epoch: Double?
        public let key: String
        public let value: Double
    }

    public let points: [Point]

    /// The keys that are axes, not series: every point carries them.
    public static let axes: Set<String> = ["step", "epoch"]

    /// Every key with points, in the order the log first names them (`loss`, `grad_norm`,
    /// `learning_rate`, `eval_loss`, `eval_macro_f1`, `eval_rouge-1`, `train_runtime`, ...).
    public var keys: [String] {
        var seen: Set<String> = []
        return points.map(\.key).filter { seen.insert($0).inserted }
    }

    /// Reads a log file, detecting its format. - throws: `EvaluationError.badLog`.
    public static func read(path: String) throws -> TrainingLog {
        let bytes: [UInt8]
        guard FileSystem.exists(path) else { throw EvaluationError.badLog(file: path, detail: "no such file") }
        do { bytes = try FileSystem.read(path) } catch let IOError.failed(_, reason) { throw EvaluationError.badLog(file: path, detail: reason) }
        return try parse(bytes, file: path)
    }

    /// Reads a log from its bytes, detecting its format; `file` names it in errors.
    /// - throws: `EvaluationError.badLog`.
    public static func parse(_ bytes: [UInt8], file path: String) throws -> TrainingLog {
        let text = String(decoding: bytes, as: UTF8.self)
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        if trimmed.hasPrefix("{"), let doc = try? JSONParser.parse(withoutNonFinite(bytes)) {
            if case let .array(entries)? = doc["log_history"] { return try fromEntries(entries, file: path) }
            return try fromEntries([doc], file: path)
        }
        if trimmed.hasPrefix("{") { return try fromJSONLines(text, file: path) }
        return try fromCSV(text, file: path)
    }

    /// Every numeric key of an entry becomes a point at the entry's `step` (all of Trainer's
    /// `log_history`: losses, learning rate, gradient norm, every `eval_*` metric a
    /// `compute_metrics` returns, runtimes and throughput, the final summary). Strings, booleans,
    /// nulls, nested values and non-finite numbers are left out, and so are entries without a step;
    /// a key repeated in one entry counts once (its first value, as `JSONValue`'s subscript reads).
    static func fromEntries(_ entries: [JSONValue], file: String) throws -> TrainingLog {
        var points: [Point] = []
        for e in entries {
            guard case let .object(fields) = e, let step = e["step"]?.scalarText.flatMap(Double.init), step.isFinite else { continue }
            let epoch = e["epoch"]?.scalarText.flatMap(Double.init)
            var seen: Set<String> = []
            for (key, value) in fields where !axes.contains(key) && seen.insert(key).inserted {
                guard case let .number(text) = value, let v = Double(text), v.isFinite else { continue }
                points.append(Point(step: step, epoch: epoch, key: key, value: v))
            }
        }
        guard !points.isEmpty else {
            throw EvaluationError.badLog(file: file, detail: "no entries with a step and a numeric value")
        }
        return TrainingLog(points: points)
    }

    static func fromJSONLines(_ text: String, file: String) throws -> TrainingLog {
        var entries: [JSONValue] = []
        for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.allSatisfy(\.isWhitespace) {
            do { entries.append(try JSONParser.parse(withoutNonFinite(Array(line.utf8)))) } catch let e as JSONParser.Failure {
                throw EvaluationError.badLog(file: file, detail: "line \(i + 1): \(e.message)")
            }
        }
        return try fromEntries(entries, file: file)
    }

    /// A CSV log (RFC 4180: quoted fields may hold commas, quotes and line breaks) with a `step`
    /// column; numeric columns become series, other columns are left out.
    static func fromCSV(_ text: String, file: String) throws -> TrainingLog {
        var reader = CSVReader(Array(text.utf8))
        var rows: [[String]] = []
        do {
            while let row = try reader.next() { rows.append(row.map { $0.trimmingCharacters(in: .whitespaces) }) }
        } catch let e as CSVReader.Failure {
            throw EvaluationError.badLog(file: file, detail: e.description)
        }
        guard let header = rows.first, let stepIndex = header.firstIndex(of: "step") else {
            throw EvaluationError.badLog(file: file, detail: "not a trainer_state.json, JSONL or a CSV with a 'step' column")
        }
        var entries: [JSONValue] = []
        for (i, row) in rows.dropFirst().enumerated() where row != [""] {
            guard row.count == header.count else {
                throw EvaluationError.badLog(file: file, detail: "row \(i + 2) has \(row.count) fields, the header \(header.count)")
            }
            entries.append(.object(header.enumerated().compactMap { k, name in
                k == stepIndex || row[k].isEmpty || Double(row[k]) == nil ? nil : (name, .number(row[k]))
            } + [("step", .number(row[stepIndex]))]))
        }
        return try fromEntries(entries, file: file)
    }

    /// Python's `json` writes a NaN or infinite float as a bare `NaN`, `Infinity` or `-Infinity`
    /// (Trainer logs `"grad_norm": NaN` after an fp16 overflow), which JSON does not allow: they
    /// become `null` (outside strings), so the entry's other keys are kept.
    static func withoutNonFinite(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0, inString = false
        let null = Array("null".utf8)
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\"), i + 1 < bytes.count { out += [b, bytes[i + 1]]; i += 2; continue }
                if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "N") || b == UInt8(ascii: "I") || b == UInt8(ascii: "-") {
                var matched = false
                for word in ["NaN", "Infinity", "-Infinity"] where bytes[i...].starts(with: word.utf8) {
                    out += null; i += word.utf8.count; matched = true; break
                }
                if matched { continue }
            }
            out.append(b); i += 1
        }
        return out
    }

    /// The points of one key, by step.
    public func series(_ key: String) -> [(step: Double, value: Double)] {
        points.filter { $0.key == key }.map { ($0.step, $0.value) }.sorted { $0.0 < $1.0 }
    }
}

import Foundation
import JSON
