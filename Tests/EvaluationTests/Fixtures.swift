import Evaluation
import Foundation
import JSON

/// The committed metric fixtures (fixtures/metrics): prediction cases and the reference values
/// scikit-learn 1.9.1 and scipy computed for them once (fixtures/metrics/make_reference.py).
enum MetricFixtures {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/metrics").path

    static func predictions(_ name: String) throws -> [Prediction] {
        let text = try String(contentsOfFile: "\(dir)/cases/\(name).jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let v = try JSONParser.parse(String(line))
            return Prediction(id: v["id"]!.scalarText!, gold: v["gold"]!.scalarText, predicted: v["predicted"]!.scalarText!,
                              fields: ["type": v["type"]!.scalarText!])
        }
    }

    static func reference() throws -> JSONValue {
        try JSONParser.parse(try String(contentsOfFile: "\(dir)/reference.json", encoding: .utf8))
    }
}

extension JSONValue {
    var double: Double { Double(scalarText ?? "nan") ?? .nan }
}
