import Foundation
import HarnessSpec
import Records

/// `drop`: removes rows missing a required field, rows with too many null fields, and duplicates.
///
///     - drop: {required: [title, body, label], max_null_fraction: 0.3, duplicates: [title, body]}
///
/// Every removed row is counted under its first failing reason; kept + removed = input.
struct Drop: Stage {
    static let kind = "drop"
    let required: [String]
    let maxNullFraction: Double?
    let nullFields: [String]
    let duplicateKeys: [String]

    init(args: SpecNode, spec: Spec) throws {
        try args.checkKeys(["required", "max_null_fraction", "null_fields", "duplicates"])
        required = try Self.fields(args.optional("required"), spec: spec)
        maxNullFraction = try args.optional("max_null_fraction")?.double()
        if let f = maxNullFraction, !(0...1).contains(f) {
            throw try args.required("max_null_fraction").error("must be a fraction between 0 and 1, e.g. 0.3")
        }
        nullFields = try Self.fields(args.optional("null_fields"), spec: spec).nonEmpty ?? spec.fieldNames.filter { $0 != "id" }
        duplicateKeys = try Self.fields(args.optional("duplicates"), spec: spec)
        if required.isEmpty && maxNullFraction == nil && duplicateKeys.isEmpty {
            throw args.error("say what to drop: `required`, `max_null_fraction` and/or `duplicates`")
        }
    }

    static func fields(_ node: SpecNode?, spec: Spec) throws -> [String] {
        try node?.fieldList(among: spec.fieldNames + ["instruction", "input", "output"]) ?? []
    }

    func columns(after input: [String]) -> [String] { input }

    /// The normalised text duplicates are judged by: NFC, case-folded, whitespace collapsed.
    static func normalise(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    func apply(_ records: [Record]) throws -> StageResult {
        var removed = Counter()
        var seen = Set<String>()
        var kept: [Record] = []
        for r in records {
            if let missing = required.first(where: { (r.fields[$0] ?? "").isEmpty }) {
                removed.add("missing \(missing)"); continue
            }
            if let max = maxNullFraction, !nullFields.isEmpty {
                let nulls = nullFields.filter { (r.fields[$0] ?? "").isEmpty }.count
                if Double(nulls) / Double(nullFields.count) > max {
                    removed.add("null fraction over \(Format.number(max, digits: 2))"); continue
                }
            }
            if !duplicateKeys.isEmpty {
                let key = duplicateKeys.map { Self.normalise(r.fields[$0] ?? "") }.joined(separator: "\u{1F}")
                if !seen.insert(key).inserted { removed.add("duplicate \(duplicateKeys.joined(separator: "+"))"); continue }
            }
            kept.append(r)
        }
        return StageResult(records: kept, removed: removed.items.map { ($0.key, $0.count) })
    }
}

extension Array {
    var nonEmpty: Self? { isEmpty ? nil : self }
}

import Support
