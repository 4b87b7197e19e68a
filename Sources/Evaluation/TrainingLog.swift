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

    /// Keys kept from logs: the curves a report draws, plus a few useful extras.
    public static let keys = ["loss", "eval_loss", "learning_rate", "grad_norm", "eval_accuracy", "train_loss"]

    /// Reads a log file, detecting its format. - throws: `EvaluationError.badLog`.
    public static func read(path: String) throws -> TrainingLog {
        let bytes: [UInt8]
        guard FileSystem.exists(path) else { throw EvaluationError.badLog(file: path, detail: "no such file") }
        do { bytes = try FileSystem.read(path) } catch let IOError.failed(_, reason) { throw EvaluationError.badLog(file: path, detail: reason) }
        let text = String(decoding: bytes, as: UTF8.self)
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        if trimmed.hasPrefix("{"), let doc = try? JSONParser.parse(bytes) {
            if case let .array(entries)? = doc["log_history"] { return try fromEntries(entries, file: path) }
            return try fromEntries([doc], file: path)
        }
        if trimmed.hasPrefix("{") { return try fromJSONLines(text, file: path) }
        return try fromCSV(text, file: path)
    }

    static func fromEntries(_ entries: [JSONValue], file: String) throws -> TrainingLog {
        var points: [Point] = []
        for e in entries {
            guard let step = e["step"]?.scalarText.flatMap(Double.init) else { continue }
            let epoch = e["epoch"]?.scalarText.flatMap(Double.init)
            for key in keys {
                if let v = e[key]?.scalarText.flatMap(Double.init), v.isFinite {
                    points.append(Point(step: step, epoch: epoch, key: key, value: v))
                }
            }
        }
        guard !points.isEmpty else {
            throw EvaluationError.badLog(file: file, detail: "no entries with a step and one of \(keys.joined(separator: ", "))")
        }
        return TrainingLog(points: points)
    }

    static func fromJSONLines(_ text: String, file: String) throws -> TrainingLog {
        var entries: [JSONValue] = []
        for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.allSatisfy(\.isWhitespace) {
            do { entries.append(try JSONParser.parse(Array(line.utf8))) } catch let e as JSONParser.Failure {
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

    /// The points of one key, by step.
    public func series(_ key: String) -> [(step: Double, value: Double)] {
        points.filter { $0.key == key }.map { ($0.step, $0.value) }.sorted { $0.0 < $1.0 }
    }
}

import Foundation
