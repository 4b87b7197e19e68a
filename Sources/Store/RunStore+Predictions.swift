import JSON

/// A prediction row as stored: scores and fields are JSON objects.
public struct StoredPrediction: Equatable, Sendable {
    public let itemID: String
    public let gold: String?
    public let predicted: String?
    public let scores: JSONValue
    public let fields: JSONValue

    public init(itemID: String, gold: String?, predicted: String?, scores: JSONValue, fields: JSONValue) {
        self.itemID = itemID; self.gold = gold; self.predicted = predicted; self.scores = scores; self.fields = fields
    }
}

extension RunStore {
    /// Saves predictions in one transaction (replacing rows with the same item id).
    public func savePredictions(run: Int, _ rows: [StoredPrediction]) throws {
        try db.transaction {
            let insert = try db.repeated("INSERT OR REPLACE INTO predictions (run_id, item_id, gold, predicted, scores, fields) VALUES (?, ?, ?, ?, ?, ?)")
            for r in rows {
                try insert.run([.int(Int64(run)), .text(r.itemID), r.gold.map { .text($0) } ?? .null, r.predicted.map { .text($0) } ?? .null,
                                .text(JSONWriter.serialize(r.scores)), .text(JSONWriter.serialize(r.fields))])
            }
        }
    }

    /// The predictions of a run, by item id.
    public func predictions(run: Int) throws -> [StoredPrediction] {
        var out: [StoredPrediction] = []
        try db.each("SELECT item_id, gold, predicted, scores, fields FROM predictions WHERE run_id = ? ORDER BY item_id", [.int(Int64(run))]) { row in
            out.append(StoredPrediction(itemID: row["item_id"].text ?? "", gold: row["gold"].text, predicted: row["predicted"].text,
                                        scores: (try? JSONParser.parse(row["scores"].text ?? "{}")) ?? .object([]),
                                        fields: (try? JSONParser.parse(row["fields"].text ?? "{}")) ?? .object([])))
        }
        return out
    }

    /// A run's labels only (id, gold, predicted), by item id: what a regression check compares,
    /// without decoding each row's scores and fields.
    public func predictedLabels(run: Int) throws -> [(itemID: String, gold: String?, predicted: String?)] {
        var out: [(String, String?, String?)] = []
        try db.each("SELECT item_id, gold, predicted FROM predictions WHERE run_id = ? ORDER BY item_id", [.int(Int64(run))]) { row in
            out.append((row["item_id"].text ?? "", row["gold"].text, row["predicted"].text))
        }
        return out
    }

    /// Item ids already scored in a run (for resuming).
    public func predictedIDs(run: Int) throws -> Set<String> {
        var ids = Set<String>()
        try db.each("SELECT item_id FROM predictions WHERE run_id = ?", [.int(Int64(run))]) { ids.insert($0["item_id"].text ?? "") }
        return ids
    }

    /// Replaces the log points of a source (a file name) of a run.
    public func saveLogPoints(run: Int, source: String, _ points: [(step: Double, epoch: Double?, key: String, value: Double)]) throws {
        try db.transaction {
            try db.execute("DELETE FROM log_points WHERE run_id = ? AND source = ?", [.int(Int64(run)), .text(source)])
            let insert = try db.repeated("INSERT INTO log_points (run_id, source, step, epoch, key, value) VALUES (?, ?, ?, ?, ?, ?)")
            for p in points {
                try insert.run([.int(Int64(run)), .text(source), .double(p.step), p.epoch.map { .double($0) } ?? .null, .text(p.key), .double(p.value)])
            }
        }
    }

    /// The log points of a run.
    public func logPoints(run: Int) throws -> [(source: String, step: Double, epoch: Double?, key: String, value: Double)] {
        try db.query("SELECT source, step, epoch, key, value FROM log_points WHERE run_id = ? ORDER BY source, key, step", [.int(Int64(run))]).map {
            ($0["source"].text ?? "", $0["step"].double ?? 0, $0["epoch"].double, $0["key"].text ?? "", $0["value"].double ?? 0)
        }
    }
}
