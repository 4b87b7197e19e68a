#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Records

/// Parses `source:`.
enum SourceSection {
    static let keys = ["kind", "format", "quoting", "root", "archives", "files", "entries", "records", "split_by_path", "default_split",
                       "limits", "fields", "charset", "required", "label_by_path", "on_bad_entry", "sentences"]

    static func parse(_ node: SpecNode) throws -> SourceSpec {
        try node.checkKeys(keys)
        let kind = SourceSpec.Kind(rawValue: try node.optional("kind")?.choice(["json", "html"]) ?? "json")!
        let (format, quoted) = try tableOptions(node, kind: kind)
        // `files:` is an alias of `archives:` (for plain files); both at once would silently drop one.
        if try node.optional("archives") != nil, let alias = try node.optional("files") {
            throw alias.error("`files` is another name for `archives`; give one of them (their patterns can go in one list)")
        }
        let archives = try (node.optional("archives") ?? node.optional("files"))?.strings() ?? ["**/*.zip"]
        guard !archives.isEmpty else { throw try node.required("archives").error("give at least one pattern") }
        var splits: [(String, String)] = []
        if let s = try node.optional("split_by_path") {
            for (k, v) in try s.entries() { splits.append((k, try v.newSplit())) }
        }
        var maxMB = 256, maxRatio = 200
        if let limits = try node.optional("limits") {
            try limits.checkKeys(["max_entry_mb", "max_ratio"])
            maxMB = try limits.int("max_entry_mb", default: maxMB)
            maxRatio = try limits.int("max_ratio", default: maxRatio)
            if maxMB <= 0 { throw try limits.required("max_entry_mb").error("must be a positive number of megabytes") }
            if maxRatio <= 1 { throw try limits.required("max_ratio").error("must be greater than 1") }
        }
        var pageFields: [(String, PageFieldSource)] = []
        var labels: [(String, String)] = []
        var required: [String] = []
        if kind == .html {
            let f = try node.required("fields", hint: "an html source needs XPaths, e.g. `fields: {title: \"//meta[@property='og:title']/@content\"}`, or `fields: {title: auto, body: auto}`")
            for (k, v) in try f.entries() { pageFields.append((k, try PageFieldSource.parse(field: k, v))) }
            if let r = try node.optional("required") {
                required = try r.strings()
                for (i, name) in required.enumerated() where !pageFields.contains(where: { $0.0 == name }) {
                    throw try r.list()[i].error("'\(name)' is not one of the fields (\(pageFields.map(\.0).joined(separator: ", ")))")
                }
            }
            if let l = try node.optional("label_by_path") { for (k, v) in try l.entries() { labels.append((k, try v.string())) } }
            if let r = try node.optional("records") { throw r.error("`records` picks records out of JSON documents; an html page is one record") }
        } else {
            for key in ["fields", "required", "label_by_path"] {
                if let f = try node.optional(key) { throw f.error("`\(key)` belongs to `kind: html` sources; JSON fields go under `record:`") }
            }
        }
        var source = SourceSpec(kind: kind, root: try node.string("root", default: "data"), archives: archives,
                                entries: try node.optional("entries")?.strings() ?? ["*"], records: try records(node.optional("records")),
                                splitByPath: splits,
                                defaultSplit: try node.optional("default_split")?.newSplit() ?? "train",
                                maxEntryMB: maxMB, maxRatio: maxRatio, pageFields: pageFields, required: required, labelByPath: labels,
                                fallbackCharset: try node.string("charset", default: "UTF-8"),
                                skipBadEntries: try node.optional("on_bad_entry")?.choice(["fail", "skip"]) == "skip")
        source.format = format
        source.quoted = quoted
        source.sentences = try sentences(node, kind: kind, fields: pageFields.map(\.0))
        if let c = try node.optional("charset"), !source.isUTF8, !Self.iconvKnows(source.charset) {
            throw c.error("'\(source.charset)' is not a charset this system's iconv knows (Korean files are usually CP949 or EUC-KR)")
        }
        return source
    }

    /// `format:` and `quoting:`, checked against the kind and `records:`.
    static func tableOptions(_ node: SpecNode, kind: SourceSpec.Kind) throws -> (SourceSpec.Format, Bool) {
        let formatNode = try node.optional("format")
        let format = try SourceSpec.Format(rawValue: formatNode?.choice(SourceSpec.Format.allCases.map(\.rawValue)) ?? "json")!
        if kind == .html, let formatNode {
            throw formatNode.error("`format` says how JSON sources hold records (json, jsonl, csv, tsv); a `kind: html` source reads pages")
        }
        if format.delimiter != nil, let r = try node.optional("records") {
            throw r.error("`records` picks records out of JSON documents; with `format: \(format.rawValue)` every row is one record")
        }
        var quoted = true
        if let q = try node.optional("quoting") {
            guard format.delimiter != nil else {
                throw q.error("`quoting` applies to `format: csv` and `format: tsv`")
            }
            quoted = try q.choice(["rfc4180", "none"]) == "rfc4180"
        }
        return (format, quoted)
    }

    /// `sentences: lines | kiwi` of a `kind: html` source: nil for `lines` (the page's own lines).
    /// - throws: `SpecError` on a JSON source, or for `kiwi` when no field is `SourceSpec.sentenceField`.
    static func sentences(_ node: SpecNode, kind: SourceSpec.Kind, fields: [String]) throws -> SentenceSplitting? {
        guard let s = try node.optional("sentences") else { return nil }
        guard kind == .html else {
            throw s.error("`sentences` re-cuts the text of `kind: html` pages; JSON text is cut into sentences by augment's `sentences` "
                          + "or `outputs.corpus.split_sentences`")
        }
        guard let method = SentenceSplitting(rawValue: try s.choice(["lines", SentenceSplitting.kiwi.rawValue])) else { return nil }
        let field = SourceSpec.sentenceField
        guard fields.contains(field) else {
            throw s.error("`sentences: \(method.rawValue)` re-cuts the `\(field)` field, and this source has none (fields: \(fields.joined(separator: ", "))); "
                          + "name the article's text `\(field)`")
        }
        return method
    }

    /// Whether iconv converts from `charset` (CP949, EUC-KR, ...).
    static func iconvKnows(_ charset: String) -> Bool {
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return false }
        iconv_close(cd)
        return true
    }

    /// `records: data[*]`, located at its line when it is not a usable path.
    static func records(_ node: SpecNode?) throws -> RecordsPath? {
        guard let node else { return nil }
        do { return try RecordsPath(try node.string()) } catch let e as RecordError { throw node.error(e.description) }
    }
}
