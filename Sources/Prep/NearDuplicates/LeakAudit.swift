import JSON
import Records
import Support

/// Pairs of rows in different splits (or between a run and an outside set) that are exact or near
/// copies of each other: what `prep audit` lists and the data report summarises.
///
///     let audit = try LeakAudit(fields: ["body"], threshold: 0.8).run(rows)
///     audit.pairs.isEmpty   // no held-out row has a copy in another split
public struct LeakAudit: Sendable {
    public let fields: [String]
    public let threshold: Double
    public let ngram: Int
    public let seed: UInt64

    public init(fields: [String], threshold: Double = 0.8, ngram: Int = 5, seed: UInt64 = 1) {
        self.fields = fields
        self.threshold = threshold
        self.ngram = ngram
        self.seed = seed
    }

    /// One row as the audit sees it: where it is and what it says.
    public struct Row: Sendable {
        public let id: String
        /// The split, or the outside file's name.
        public let group: String
        public let text: String
        public init(id: String, group: String, text: String) {
            self.id = id
            self.group = group
            self.text = text
        }
    }

    public struct Pair: Sendable, Equatable {
        public let a: String, aGroup: String
        public let b: String, bGroup: String
        public let jaccard: Double
        /// Equal after normalisation (case, spacing, Unicode form).
        public let exact: Bool
        /// The start of the first row's text, for a reader.
        public let snippet: String

        public var json: JSONValue {
            .object([("a", .string(a)), ("a_split", .string(aGroup)), ("b", .string(b)), ("b_split", .string(bGroup)),
                     ("jaccard", .number(Format.number(jaccard, digits: 4))), ("exact", .bool(exact)), ("text", .string(snippet))])
        }
    }

    public struct Result: Sendable {
        public var pairs: [Pair] = []
        public var rows = 0

        /// The result as stored with a run: settings, counts per split pair and the first pairs.
        public func summary(_ audit: LeakAudit, examples: Int = 20) -> JSONValue {
            .object(audit.settings + [
                ("rows", .number(String(rows))), ("pairs", .number(String(pairs.count))),
                ("by_splits", .array(counts.map { .object([("splits", .string($0.groups)), ("exact", .number(String($0.exact))), ("near", .number(String($0.near)))]) })),
                ("examples", .array(pairs.prefix(examples).map { $0.json })),
            ])
        }

        /// Pairs per group pair ("test~train"), with how many are exact.
        public var counts: [(groups: String, exact: Int, near: Int)] {
            var order: [String] = []
            var c: [String: (Int, Int)] = [:]
            for p in pairs {
                let key = [p.aGroup, p.bGroup].sorted().joined(separator: " ~ ")
                if c[key] == nil { order.append(key); c[key] = (0, 0) }
                if p.exact { c[key]!.0 += 1 } else { c[key]!.1 += 1 }
            }
            return order.sorted().map { ($0, c[$0]!.0, c[$0]!.1) }
        }
    }

    /// The settings as JSON (stored with a run, so `prep audit` can repeat them).
    public var settings: [(key: String, value: JSONValue)] {
        [("fields", .array(fields.map { .string($0) })), ("threshold", .number(Format.number(threshold, digits: 3))),
         ("ngram", .number(String(ngram))), ("seed", .number(String(Int64(bitPattern: seed))))]
    }

    /// The settings stored by `settings`, if `value` holds them.
    public init?(settings value: JSONValue?) {
        guard case let .array(f)? = value?["fields"], let t = value?["threshold"]?.scalarText.flatMap(Double.init) else { return nil }
        self.init(fields: f.compactMap(\.scalarText), threshold: t, ngram: value?["ngram"]?.scalarText.flatMap(Int.init) ?? 5,
                  seed: UInt64(bitPattern: value?["seed"]?.scalarText.flatMap(Int64.init) ?? 1))
    }

    /// The text the audit compares for a record: its fields joined.
    public func text(of record: Record) -> String {
        Shingles.text(of: fields.map { record.fields[$0] })
    }

    /// Every pair of rows whose groups differ and whose Jaccard is at least the threshold; with
    /// `outsideGroup`, only pairs between that group and the others.
    public func run(_ rows: [Row], outsideGroup: String? = nil) throws -> Result {
        let finder = NearDuplicates(threshold: threshold, ngram: ngram, seed: seed)
        let crosses: (Int, Int) -> Bool = { a, b in
            guard rows[a].group != rows[b].group else { return false }
            guard let outsideGroup else { return true }
            return rows[a].group == outsideGroup || rows[b].group == outsideGroup
        }
        let found = try finder.find(rows.map(\.text), pairFilter: crosses)
        var result = Result(rows: rows.count)
        for p in found.pairs {
            let (x, y) = (rows[p.a], rows[p.b])
            // Outside rows first ("benchmark row X is in train"), else splits in name order.
            let swap = outsideGroup.map { y.group == $0 } ?? (y.group < x.group)
            let (first, second) = swap ? (y, x) : (x, y)
            let exact = FastText.duplicateKey(x.text) == FastText.duplicateKey(y.text)
            let snippet = String(first.text.split(separator: "\u{1F}").joined(separator: " · ").prefix(80))
            result.pairs.append(Pair(a: first.id, aGroup: first.group, b: second.id, bGroup: second.group, jaccard: p.jaccard, exact: exact, snippet: snippet))
        }
        result.pairs.sort { ($0.aGroup, $0.bGroup, -$0.jaccard, $0.a, $0.b) < ($1.aGroup, $1.bGroup, -$1.jaccard, $1.a, $1.b) }
        return result
    }
}
