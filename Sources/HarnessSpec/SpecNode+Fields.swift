import Records
import Support

extension SpecNode {
    /// A field name that must be one of `fields`; a typo gets "did you mean".
    public func field(among fields: [String], what: String = "record field") throws -> String {
        let name = try string()
        guard fields.contains(name) else { throw unknownField(name, among: fields, what: what) }
        return name
    }

    /// The error for a name that is not among `fields`, located at this node.
    public func unknownField(_ name: String, among fields: [String], what: String = "record field") -> SpecError {
        error("no \(what) '\(name)'" + (Suggestions.closest(to: name, among: fields).map { "; did you mean '\($0)'?" } ?? "")
              + " (fields: \(fields.joined(separator: ", ")))")
    }

    /// The name of a split this node makes (`split_by_path`, `default_split`, `sample.splits`): any
    /// name but `records`, whose files (`records.jsonl`) hold every record as read.
    public func newSplit(_ name: String? = nil) throws -> String {
        let name = try name ?? string()
        if name == "records" {
            throw error("a split cannot be named 'records': the output folder's records.jsonl holds every record as read; give the split another name")
        }
        return name
    }

    /// A split name that must be one of `splits` (the splits that exist at this point of the spec);
    /// a typo gets "did you mean".
    public func split(among splits: [String]) throws -> String {
        let name = try string()
        guard splits.contains(name) else {
            throw error("no split '\(name)' at this point of the spec"
                        + (Suggestions.closest(to: name, among: splits).map { "; did you mean '\($0)'?" } ?? "")
                        + " (splits: \(splits.joined(separator: ", ")))")
        }
        return name
    }

    /// A list of field names (a single name counts as a list), each one of `fields`.
    public func fieldList(among fields: [String], what: String = "record field") throws -> [String] {
        try list().map { try $0.field(among: fields, what: what) }
    }

    /// A `{field}` template whose placeholders are all among `fields`.
    public func template(among fields: [String]) throws -> Template {
        let t: Template
        do { t = try Template(try string()) } catch let e as TemplateError { throw error(e.description) }
        for f in t.fields where !fields.contains(f) {
            throw error("placeholder {\(f)} is not a record field" + (Suggestions.closest(to: f, among: fields).map { "; did you mean {\($0)}?" } ?? "")
                        + " (fields: \(fields.joined(separator: ", ")))")
        }
        return t
    }
}
