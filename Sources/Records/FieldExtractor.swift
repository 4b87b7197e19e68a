import JSON
import Support
/// Applies field rules to JSON documents, producing flat records.
public struct FieldExtractor: Sendable {
    public let fields: [FieldSpec]
    /// Texts that count as null (`""`, `"null"`, ...).
    public let nulls: Set<String>
    private let nullWords: NullWords
    /// The fields' rules, made once into plans (see `FieldPlan`).
    private let slots: [FieldSlot]

    public init(fields: [FieldSpec], nulls: Set<String> = []) {
        self.fields = fields
        self.nulls = nulls
        nullWords = NullWords(nulls)
        slots = fields.map(FieldSlot.init)
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
        var out: [String?] = []
        out.reserveCapacity(slots.count)
        for i in slots.indices {
            do {
                let value = try evaluate(slots[i].plan, field: slots[i].name, in: scope)
                out.append(value.flatMap { nullWords.contains($0) ? nil : $0 })
            } catch RecordError.pathMatchedNothing where slots[i].optional {
                out.append(nil)
            }
        }
        return out
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

    private func evaluate<Source: FieldSource>(_ plan: FieldPlan, field: String, in scope: Source) throws -> String? {
        switch try attempt(plan, field: field, in: scope) {
        case let .value(v): return v
        case let .nothing(path): throw scope.nothing(at: path, field: field)
        }
    }

    private func attempt<Source: FieldSource>(_ plan: FieldPlan, field: String, in scope: Source) throws -> Outcome {
        switch plan.kind {
        case .constant:
            return .value(plan.text)
        case .page:
            return .value(nil)
        case .location:
            return .value(scope.location.isEmpty ? nil : scope.location)
        // `plan.path` is read where it is needed, not bound to a local: a local copy retained and
        // released the path's arrays and strings on every record.
        case .json:
            let found = scope.values(plan.path)
            guard !found.isEmpty else { return .nothing(plan.path) }
            return .value(scope.jsonText(found, asList: plan.path.isMultiValued))
        case .path:
            if plan.path.isMultiValued {
                let found = scope.values(plan.path)
                guard !found.isEmpty else { return .nothing(plan.path) }
                return .value(scope.joinedText(found, separator: " ") ?? "")
            }
            guard let first = scope.first(plan.path) else { return .nothing(plan.path) }
            if scope.isNull(first) { return .value(nil) }
            if let kind = scope.containerKind(first) { throw RecordError.notScalar(field: field, path: plan.path.description, kind: kind) }
            return .value(scope.scalarText(first))
        case .first:
            var firstMiss: FieldPath?
            for k in plan.children.indices {
                switch try attempt(plan.children[k], field: field, in: scope) {
                case let .value(v?) where !nullWords.contains(v): return .value(v)
                case .value: continue
                case let .nothing(p): firstMiss = firstMiss ?? p
                }
            }
            // Every alternative was absent or null: null, unless nothing at all matched.
            let anyPresent = plan.children.contains { c in c.kind == .path ? scope.first(c.path) != nil : true }
            if !anyPresent, let miss = firstMiss { return .nothing(miss) }
            return .value(nil)
        case .join:
            let found = scope.values(plan.path)
            guard let joined = scope.joinedText(found, separator: plan.text!) else {
                if let alternative = plan.children.first { return try attempt(alternative, field: field, in: scope) }
                return found.isEmpty ? .nothing(plan.path) : .value(nil)
            }
            return .value(joined)
        case .map:
            switch try attempt(plan.children[0], field: field, in: scope) {
            case let .nothing(p): return .nothing(p)
            case .value(nil): return .value(nil)
            case let .value(v?):
                if let mapped = plan.mapped(v) { return .value(mapped) }
                if let fallback = plan.text { return .value(fallback) }
                throw RecordError.unmappedValue(field: field, path: Self.describe(plan.children[0].rule), value: v, known: plan.table.keys.sorted())
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
