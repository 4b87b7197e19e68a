import Records

/// Parses `record:` into field rules.
///
///     record:
///       id: sourceDataInfo.newsID                        # a path
///       title: {first: [labeledDataInfo.newTitle, sourceDataInfo.newsTitle]}
///       body: {join: "a[*].text", with: " ", or: b.text}
///       label: {from: labeledDataInfo.clickbaitClass, map: {0: clickbait, 1: normal}}
///       note: {path: x.y, optional: true}
///       conversation: {json: input.conversation}         # the JSON text of a subtree
///       category: $root.info.category                    # with `source.records`: from the whole document
///       key: $location                                   # where the record was read (x.zip!a.json#data[3])
struct RecordSection {
    static let ruleKeys = ["path", "first", "join", "with", "or", "from", "map", "default", "optional", "const", "json"]
    static let location = "$location"

    /// `source.records`, which `$root.` paths need.
    let records: RecordsPath?

    static func parse(_ node: SpecNode, html: Bool, records: RecordsPath? = nil) throws -> [FieldSpec] {
        let section = RecordSection(records: records)
        var fields: [FieldSpec] = []
        for (name, value) in try node.entries() {
            if html, value.isScalar, try value.string() == "html" { continue }
            // YAML tells `1:` from `"1":`, a record does not: each name is one column.
            guard !fields.contains(where: { $0.name == name }) else {
                throw value.error("the field '\(name)' is named twice in `record:`; give each field its own name")
            }
            let optional = value.isMapping ? try value.bool("optional", default: false) : false
            fields.append(FieldSpec(name: name, rule: try section.rule(value), optional: optional))
        }
        guard fields.contains(where: { $0.name == "id" }) || html else {
            throw node.error("the record needs an `id` field (a unique key per item, e.g. `id: sourceDataInfo.newsID`): splits and duplicates are judged by it")
        }
        return fields
    }

    func path(_ node: SpecNode) throws -> FieldPath {
        let p: FieldPath
        do { p = try FieldPath(try node.string()) } catch let e as RecordError { throw node.error(e.description) }
        if p.fromRoot, records == nil {
            throw node.error("'\(p)' reads the whole document around a record of `source.records`, but the source has no `records:`"
                             + " (each document is one record already): write '\(p.relative)', or add `records: \"data[*]\"` under `source:`")
        }
        return p
    }

    func rule(_ node: SpecNode) throws -> FieldRule {
        if node.isScalar {
            return try node.string() == Self.location ? .location : .path(try path(node))
        }
        try node.checkKeys(Self.ruleKeys)
        var base: FieldRule
        if let p = try node.optional("path") {
            base = .path(try path(p))
        } else if let f = try node.optional("first") {
            base = .first(try f.list().map(rule))
        } else if let j = try node.optional("join") {
            base = .join(try path(j), separator: try node.string("with", default: " "), or: try node.optional("or").map(rule))
        } else if let f = try node.optional("from") {
            base = try rule(f)
        } else if let c = try node.optional("const") {
            base = .constant(try c.string())
        } else if let j = try node.optional("json") {
            base = .json(try path(j))
        } else {
            throw node.error("a field needs one of `path`, `first`, `join`, `from`, `json` or `const`")
        }
        if let m = try node.optional("map") {
            var table: [String: String] = [:]
            for (k, v) in try m.entries() { table[k] = try v.string() }
            base = .map(base, table: table, fallback: try node.optional("default")?.string())
        }
        return base
    }
}
