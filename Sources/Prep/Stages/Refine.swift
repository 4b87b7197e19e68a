import HarnessSpec
import JSON
import Records

/// `refine`: declarative text cleaning of chosen fields.
///
///     - refine: {fields: [title, body], rules: [unescape_quotes, collapse_spaces, strip, nulls]}
///
/// For a field holding a JSON list of objects (a conversation), `items: KEY` applies the rules to
/// that key of each object; `drop_empty_items` removes objects left empty; `merge_same_speaker`
/// joins consecutive turns of one speaker unless a turn is referenced.
struct Refine: InPlaceStage {
    static let kind = "refine"
    let fields: [String]
    let rules: [TextRule]
    let items: String?
    let dropEmptyItems: Bool
    let merge: TurnMerge?

    init(args: SpecNode, spec: Spec) throws {
        try args.checkKeys(["fields", "rules", "items", "drop_empty_items", "merge_same_speaker"])
        fields = try args.required("fields", hint: "name the fields to clean, e.g. `fields: [title, body]`").fieldList(among: spec.fieldNames)
        rules = try (args.optional("rules")?.list() ?? []).map { try TextRule.parse($0, nulls: spec.nulls) }
        items = try args.optional("items")?.string()
        dropEmptyItems = try args.bool("drop_empty_items", default: false)
        merge = try args.optional("merge_same_speaker").map(TurnMerge.init)
        if items == nil, dropEmptyItems || merge != nil {
            throw args.error("`drop_empty_items` and `merge_same_speaker` need `items:` (the text key of each list item)")
        }
    }

    func columns(after input: [String]) -> [String] { input }

    /// How many before/after examples the details keep per rule.
    static let examplesPerRule = 3

    func apply(_ records: [Record]) throws -> StageResult {
        var rows = records
        var result = try applyInPlace(&rows)
        result.records = rows
        return result
    }

    /// What one chunk of rows changed: rows per field changed and nulled, rows per rule, and the
    /// chunk's first examples of each rule (row, example), in row order.
    /// What the rules did to a run of rows: changes and nulls per field, rows per rule, and the
    /// first examples of each rule. Tallies of consecutive runs add up (`merge`) to the tally of all.
    struct Tally {
        var changed: [Int]
        var nulled: [Int]
        var ruleRows: [Int]
        var examples: [[JSONValue]]

        init(fields: Int, rules: Int) {
            changed = [Int](repeating: 0, count: fields)
            nulled = changed
            ruleRows = [Int](repeating: 0, count: rules)
            examples = [[JSONValue]](repeating: [], count: rules)
        }

        /// Adds the tally of the rows that follow.
        mutating func merge(_ t: Tally) {
            for k in changed.indices { changed[k] += t.changed[k]; nulled[k] += t.nulled[k] }
            for i in ruleRows.indices {
                ruleRows[i] += t.ruleRows[i]
                examples[i] += t.examples[i].prefix(Refine.examplesPerRule - examples[i].count)
            }
        }
    }

    func applyInPlace(_ records: inout [Record]) throws -> StageResult {
        StageResult(records: [], details: details(try cleanAll(&records)))
    }

    /// Cleans the rows in place on every core.
    /// - parameter changed: when given (one flag per record), set for each record a rule changed.
    func cleanAll(_ records: inout [Record], changed: UnsafeMutableBufferPointer<Bool>? = nil) throws -> Tally {
        let n = records.count
        precondition(changed.map { $0.count == n } ?? true, "one flag per record")
        let workers = max(1, min(System.cores, n / 256))
        let size = (n + workers - 1) / workers
        let tallies = try records.withUnsafeMutableBufferPointer { rows in
            let rows = rows
            return try Parallel.map(0..<workers, minimumPerWorker: 1) { w in
                try clean(rows, min(n, w * size)..<min(n, (w + 1) * size), changed: changed)
            }
        }
        var total = Tally(fields: fields.count, rules: rules.count)
        for t in tallies { total.merge(t) }
        return total
    }

    /// The stage's details from the tally of all its rows.
    func details(_ t: Tally) -> [(String, JSONValue)] {
        var details: [(String, JSONValue)] = fields.indices.map { (fields[$0] + "_changed", .number(String(t.changed[$0]))) }
        details += fields.indices.map { (fields[$0] + "_nulled", .number(String(t.nulled[$0]))) }
        if items == nil {
            details.append(("rules", .array(rules.indices.map { i in
                .object([("rule", .string(rules[i].name)), ("rows_changed", .number(String(t.ruleRows[i]))), ("examples", .array(t.examples[i]))])
            })))
        }
        return details
    }

    private func clean(_ rows: UnsafeMutableBufferPointer<Record>, _ range: Range<Int>, changed: UnsafeMutableBufferPointer<Bool>?) throws -> Tally {
        var t = Tally(fields: fields.count, rules: rules.count)
        var masks = [UInt64](repeating: 0, count: fields.count)
        for row in range {
            var any: UInt64 = 0
            for (k, f) in fields.enumerated() {
                masks[k] = 0
                guard let value = rows[row].fields[f] else { continue }
                let c: String?
                if items == nil { (c, masks[k]) = cleanTracked(value) } else { c = try cleanList(value, record: rows[row], field: f) }
                any |= masks[k]
                // No rule changed the bytes: the row keeps its value (writing it back copied the
                // row's values when another copy of the row shared them).
                if masks[k] == 0, items == nil, rules.count <= 64 { continue }
                if c != value { t.changed[k] += 1 }
                // Bytes, not text: a rule may give a canonically equal text in other bytes (NFC).
                if masks[k] != 0 || items != nil { changed?[row] = true }
                if c == nil { t.nulled[k] += 1 }
                // Examples are made from the text before the rules, while the row still holds it.
                if masks[k] != 0 {
                    for i in rules.indices where i < 64 && masks[k] & (1 << UInt64(i)) != 0 && t.examples[i].count < Self.examplesPerRule
                        && masks[..<k].allSatisfy({ $0 & (1 << UInt64(i)) == 0 }) {
                        t.examples[i].append(example(rows[row], field: f, rule: i))
                    }
                }
                rows[row].fields[f] = c
            }
            guard any != 0 else { continue }
            for i in rules.indices where i < 64 && any & (1 << UInt64(i)) != 0 { t.ruleRows[i] += 1 }
        }
        return t
    }

    func clean(_ text: String) -> String? { cleanTracked(text).text }

    /// The cleaned text, and which rules changed it (bit i for rule i; rules past the 64th are not tracked).
    func cleanTracked(_ text: String) -> (text: String?, changed: UInt64) {
        var current = text
        var mask: UInt64 = 0
        // The rules are read in place: `for rule in rules` copied each one (its words, its regex)
        // for every field of every row.
        return rules.withUnsafeBufferPointer { rules in
            for i in rules.indices {
                guard let next = rules[i].apply(current) else { return (nil, i < 64 ? mask | 1 << UInt64(i) : mask) }
                if i < 64, !FastText.sameBytes(next, current) { mask |= 1 << UInt64(i) }
                current = next
            }
            return (current, mask)
        }
    }

    /// One before/after example of rule `i` on a record's field.
    private func example(_ record: Record, field: String, rule i: Int) -> JSONValue {
        var before: String? = record.fields[field]
        for rule in rules[..<i] { before = before.flatMap(rule.apply) }
        let after = before.flatMap(rules[i].apply)
        func cut(_ s: String?) -> JSONValue { s.map { .string(String($0.prefix(160))) } ?? .null }
        return .object([("id", .string(record.fields["id"] ?? "")), ("field", .string(field)), ("before", cut(before)), ("after", cut(after))])
    }

    private func cleanList(_ text: String, record: Record, field: String) throws -> String? {
        guard case let .array(list)? = try? JSONParser.parse(text), let key = items else {
            throw PrepError.stage(name: "refine", detail: "field '\(field)' of record \(record.fields["id"] ?? "?") is not a JSON list; read it with `{json: PATH}` in `record:`")
        }
        var turns: [[(key: String, value: JSONValue)]] = []
        for item in list {
            guard case var .object(members) = item else { continue }
            if let i = members.firstIndex(where: { $0.key == key }), let t = members[i].value.scalarText {
                let cleaned = clean(t)
                if dropEmptyItems, cleaned?.isEmpty ?? true { continue }
                members[i].value = cleaned.map { .string($0) } ?? .null
            }
            turns.append(members)
        }
        if let merge { turns = merge.apply(turns, text: key, record: record) }
        return JSONWriter.serialize(.array(turns.map { .object($0) }))
    }
}

/// `merge_same_speaker: {speaker: speaker, id: utterance_id, keep: reference_id}`: consecutive turns of
/// one speaker become one (texts joined with a space), unless either turn's id is listed in the
/// record field `keep` (a JSON list or comma-separated ids).
struct TurnMerge {
    let speaker: String
    let id: String?
    let keepField: String?

    init(_ node: SpecNode) throws {
        try node.checkKeys(["speaker", "id", "keep"])
        speaker = try node.string("speaker", default: "speaker")
        id = try node.optional("id")?.string()
        keepField = try node.optional("keep")?.string()
    }

    func apply(_ turns: [[(key: String, value: JSONValue)]], text: String, record: Record) -> [[(key: String, value: JSONValue)]] {
        var keep = Set<String>()
        if let keepField, let raw = record.fields[keepField] {
            if case let .array(ids)? = try? JSONParser.parse(raw) { keep = Set(ids.compactMap(\.scalarText)) }
            else { keep = Set(raw.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
        }
        func value(_ t: [(key: String, value: JSONValue)], _ k: String) -> String? { t.first(where: { $0.key == k })?.value.scalarText }
        func protected(_ t: [(key: String, value: JSONValue)]) -> Bool { id.flatMap { value(t, $0) }.map(keep.contains) ?? false }
        var out: [[(key: String, value: JSONValue)]] = []
        for t in turns {
            if var last = out.last, value(last, speaker) == value(t, speaker), !protected(last), !protected(t),
               let i = last.firstIndex(where: { $0.key == text }) {
                let joined = [value(last, text), value(t, text)].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                last[i].value = .string(joined)
                out[out.count - 1] = last
            } else {
                out.append(t)
            }
        }
        return out
    }
}

import Support
