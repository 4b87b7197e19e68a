import JSON
import Support
/// Applies field rules to JSON documents, producing flat records.
public struct FieldExtractor: Sendable {
    public let fields: [FieldSpec]
    /// Texts that count as null (`""`, `"null"`, ...).
    public let nulls: Set<String>
    private let nullWords: NullWords

    public init(fields: [FieldSpec], nulls: Set<String> = []) {
        self.fields = fields
        self.nulls = nulls
        nullWords = NullWords(nulls)
    }

    /// The record's field values, in declaration order, for a document that is one record.
    /// - throws: `RecordError` naming the field and path that failed.
    public func extract(from document: JSONValue) throws -> [String?] {
        try extract(from: RecordScope(item: document))
    }

    /// The record's field values, in declaration order: paths read the scope's element, `$root.`
    /// paths the whole document, `$location` the scope's location.
    /// - throws: `RecordError` naming the field and path that failed.
    public func extract(from scope: RecordScope) throws -> [String?] { try values(scope) }

    /// The same from a tape of the document's bytes (no value made that no field takes).
    public func extract(from scope: TapeScope) throws -> [String?] { try values(scope) }

    /// Other modules call the two overloads above, so that this is specialised to each source.
    private func values<Source: FieldSource>(_ scope: Source) throws -> [String?] {
        try fields.map { field in
            do {
                let value = try evaluate(field.rule, field: field.name, in: scope)
                return value.flatMap { nullWords.contains($0) ? nil : $0 }
            } catch RecordError.pathMatchedNothing where field.optional {
                return nil
            }
        }
    }

    /// The alternatives of `first:` and `or:` rules, as (field, path): an alternative that matches
    /// no document at all is most likely a typo, which `first:` would otherwise hide.
    public var alternatives: [(field: String, path: FieldPath)] {
        func collect(_ rule: FieldRule, _ field: String, nested: Bool) -> [(String, FieldPath)] {
            switch rule {
            case let .path(p): return nested ? [(field, p)] : []
            case let .first(rules): return rules.flatMap { collect($0, field, nested: true) }
            case let .join(p, _, alternative): return (nested ? [(field, p)] : []) + (alternative.map { collect($0, field, nested: true) } ?? [])
            case let .map(inner, _, _): return collect(inner, field, nested: nested)
            case let .json(p): return nested ? [(field, p)] : []
            case .constant, .page, .location: return []
            }
        }
        return fields.flatMap { f in collect(f.rule, f.name, nested: false).map { (field: $0.0, path: $0.1) } }
    }

    /// Which of `alternatives` reach something in this document, as a bit mask.
    public func matchedAlternatives(in document: JSONValue, _ alternatives: [(field: String, path: FieldPath)]) -> UInt64 {
        matchedAlternatives(in: RecordScope(item: document), alternatives)
    }

    /// Which of `alternatives` reach something in this record's scope, as a bit mask.
    public func matchedAlternatives(in scope: RecordScope, _ alternatives: [(field: String, path: FieldPath)]) -> UInt64 {
        matched(scope, alternatives)
    }

    public func matchedAlternatives(in scope: TapeScope, _ alternatives: [(field: String, path: FieldPath)]) -> UInt64 {
        matched(scope, alternatives)
    }

    private func matched<Source: FieldSource>(_ scope: Source, _ alternatives: [(field: String, path: FieldPath)]) -> UInt64 {
        var mask: UInt64 = 0
        for (i, a) in alternatives.prefix(64).enumerated() where !scope.values(a.path).isEmpty { mask |= 1 << UInt64(i) }
        return mask
    }

    private enum Outcome { case value(String?), nothing(FieldPath) }

    private func evaluate<Source: FieldSource>(_ rule: FieldRule, field: String, in scope: Source) throws -> String? {
        switch try attempt(rule, field: field, in: scope) {
        case let .value(v): return v
        case let .nothing(path): throw scope.nothing(at: path, field: field)
        }
    }

    private func attempt<Source: FieldSource>(_ rule: FieldRule, field: String, in scope: Source) throws -> Outcome {
        switch rule {
        case let .constant(text):
            return .value(text)
        case .page:
            return .value(nil)
        case .location:
            return .value(scope.location.isEmpty ? nil : scope.location)
        case let .json(path):
            let found = scope.values(path)
            guard !found.isEmpty else { return .nothing(path) }
            return .value(scope.jsonText(found, asList: path.isMultiValued))
        case let .path(path):
            let found = scope.values(path)
            guard let first = found.first else { return .nothing(path) }
            if path.isMultiValued {
                return .value(scope.joinedText(found, separator: " ") ?? "")
            }
            if scope.isNull(first) { return .value(nil) }
            if let kind = scope.containerKind(first) { throw RecordError.notScalar(field: field, path: path.description, kind: kind) }
            return .value(scope.scalarText(first))
        case let .first(rules):
            var firstMiss: FieldPath?
            for r in rules {
                switch try attempt(r, field: field, in: scope) {
                case let .value(v?) where !nullWords.contains(v): return .value(v)
                case .value: continue
                case let .nothing(p): firstMiss = firstMiss ?? p
                }
            }
            // Every alternative was absent or null: null, unless nothing at all matched.
            let anyPresent = rules.contains { r in if case .path(let p) = r { return !scope.values(p).isEmpty } else { return true } }
            if !anyPresent, let miss = firstMiss { return .nothing(miss) }
            return .value(nil)
        case let .join(path, separator, alternative):
            let found = scope.values(path)
            guard let joined = scope.joinedText(found, separator: separator) else {
                if let alternative { return try attempt(alternative, field: field, in: scope) }
                return found.isEmpty ? .nothing(path) : .value(nil)
            }
            return .value(joined)
        case let .map(inner, table, fallback):
            switch try attempt(inner, field: field, in: scope) {
            case let .nothing(p): return .nothing(p)
            case .value(nil): return .value(nil)
            case let .value(v?):
                // A small table is searched by comparing: hashing the value would normalise it first.
                if let mapped = table.count <= 8 ? table.first(where: { $0.key == v })?.value : table[v] { return .value(mapped) }
                if let fallback { return .value(fallback) }
                throw RecordError.unmappedValue(field: field, path: Self.describe(inner), value: v, known: table.keys.sorted())
            }
        }
    }

    private static func describe(_ rule: FieldRule) -> String {
        switch rule {
        case let .path(p): return p.description
        case let .join(p, _, _): return p.description
        case let .first(rs): return rs.map(describe).joined(separator: " | ")
        case let .map(r, _, _): return describe(r)
        case let .constant(c): return "'\(c)'"
        case let .json(p): return p.description
        case let .page(how): return how
        case .location: return "$location"
        }
    }
}
