/// A field's rule made once into a tree of objects that `FieldExtractor` reads for every record.
///
/// Reading a `FieldRule` (an indirect enum) copied each case's payload out of its box, its path's
/// arrays and strings included: a few retains and releases per rule per record, which summed to a
/// tenth of the extraction. A plan's properties are constants of a class, read in place.
final class FieldPlan: Sendable {
    enum Kind: Sendable { case constant, page, location, json, path, first, join, map }

    /// The rule as written (messages name its paths from it).
    let rule: FieldRule
    let kind: Kind
    /// `.path`, `.join`, `.json`: the path (a placeholder for the other kinds: an optional path was
    /// copied out, arrays and strings retained, on every read).
    let path: FieldPath
    /// `.constant`: the text; `.join`: the separator; `.map`: the fallback (nil: none).
    let text: String?
    /// `.first`: the alternatives; `.join`: the `or:` rule (zero or one); `.map`: the inner rule.
    let children: [FieldPlan]
    /// `.map`: the table, and the same as pairs when it is small (compared, not hashed).
    let table: [String: String]
    let pairs: [(key: String, value: String)]?

    init(_ rule: FieldRule) {
        self.rule = rule
        var path = Self.noPath, text: String?, children: [FieldPlan] = [], table: [String: String] = [:]
        switch rule {
        case let .constant(t): kind = .constant; text = t
        case .page: kind = .page
        case .location: kind = .location
        case let .json(p): kind = .json; path = p
        case let .path(p): kind = .path; path = p
        case let .first(rules): kind = .first; children = rules.map(FieldPlan.init)
        case let .join(p, separator, alternative):
            kind = .join; path = p; text = separator; children = alternative.map { [FieldPlan($0)] } ?? []
        case let .map(inner, t, fallback): kind = .map; children = [FieldPlan(inner)]; table = t; text = fallback
        }
        self.path = path
        self.text = text
        self.children = children
        self.table = table
        // A small table is searched by comparing: hashing the value would normalise it first.
        pairs = table.count <= 8 ? table.map { ($0.key, $0.value) } : nil
    }

    private static let noPath = try! FieldPath("-")

    /// The mapped value of `value` (`.map`), nil when the table does not list it.
    func mapped(_ value: String) -> String? {
        if let pairs { return pairs.first(where: { $0.key == value })?.value }
        return table[value]
    }
}

/// A named field's plan.
struct FieldSlot: Sendable {
    let name: String
    let optional: Bool
    let plan: FieldPlan

    init(_ spec: FieldSpec) {
        name = spec.name
        optional = spec.optional
        plan = FieldPlan(spec.rule)
    }
}
