import HarnessSpec
import JSON
import Records
import Store

/// A shaping stage declared in a spec's `stages:` list. Stages are pure: records in, records out.
protocol Stage {
    /// The word used in specs (`refine`, `drop`, ...).
    static var kind: String { get }
    /// Parses and validates the stage's arguments. - throws: `SpecError` located in the spec.
    init(args: SpecNode, spec: Spec) throws
    /// The columns of the output, given the input's.
    func columns(after input: [String]) -> [String]
    /// The splits of the output, given the splits that exist before the stage.
    /// - throws: `SpecError` when the stage names a split that does not exist at that point.
    func splits(after input: [String]) throws -> [String]
    /// What the stage reads from outside its own spec entry (another stage's arguments), so that
    /// a change there changes the stage's cache key.
    var readsBeyondItsEntry: String { get }
    /// The leakage audit the stage asks for on the final splits (a `dedup` stage's settings), if any.
    var audit: LeakAudit? { get }
    /// How the stage stratifies and seeds a sample, for outputs that sample again (`subsets`).
    var sampling: (stratifyBy: String?, seed: UInt64)? { get }
    /// The fine-tuning file the stage adds to the outputs (`<split>.<suffix>.jsonl`) and how a row
    /// becomes its line, if any (`instruct`).
    var export: (suffix: String, line: (Record) -> [UInt8])? { get }
    /// Runs the stage. - throws: `PrepError.stage` when the input cannot be processed.
    func apply(_ records: [Record]) throws -> StageResult
    /// Runs the stage with what a run offers beyond the records (the store's generation cache, the
    /// terminal). Stages that need none of it take the default, `apply(records)`.
    func apply(_ records: [Record], context: StageContext) throws -> StageResult
}

/// A row-wise stage that changes the rows where they are. The runner hands it the only reference to
/// its input, so no row is copied and a replaced value is freed at once (less time, less memory).
protocol InPlaceStage: Stage {
    /// Changes `records` in place; the result's `records` is left empty (the rows are `records`).
    func applyInPlace(_ records: inout [Record]) throws -> StageResult
}

/// What a run lends a stage beyond its records.
struct StageContext {
    /// The run store (generated texts are cached there), and the run's number; nil in stage tests.
    var store: RunStore?
    var runID: Int?
    /// Progress on the terminal: nil decides by whether stderr is a terminal.
    var progress: Bool?

    static var none: StageContext { StageContext(store: nil, runID: nil, progress: false) }
}

extension Stage {
    func splits(after input: [String]) throws -> [String] { input }

    func apply(_ records: [Record], context: StageContext) throws -> StageResult { try apply(records) }

    /// What the stage reads from outside its own spec entry, for its cache key (default: nothing).
    var readsBeyondItsEntry: String { "" }

    /// The leakage audit this stage asks for on the final splits (a `dedup` stage's settings).
    var audit: LeakAudit? { nil }

    var sampling: (stratifyBy: String?, seed: UInt64)? { nil }

    var export: (suffix: String, line: (Record) -> [UInt8])? { nil }
}

/// What a stage produced and why rows went missing.
struct StageResult {
    var records: [Record]
    /// Rows removed, by reason; kept + removed = input for filtering stages.
    var removed: [(reason: String, count: Int)] = []
    /// Every removed row with its reason (the removal ledger, `removed/NN-kind.jsonl`); its reasons
    /// add up to `removed`.
    var ledger: [Removal] = []
    /// Further files the stage writes beside the outputs, as JSON lines (`clusters/NN-dedup.jsonl`).
    var sideFiles: [(folder: String, lines: [String])] = []
    /// Stage-specific figures for the summary and the store (class counts, ...).
    var details: [(key: String, value: JSONValue)] = []
    var warnings: [String] = []
}

/// One row a stage removed, as the removal ledger keeps it.
struct Removal {
    let record: Record
    let reason: String
    /// The row this one copied, when it went as a duplicate: its id and split.
    var duplicateOf: (id: String, split: String)?
    /// The Jaccard similarity to that row, for a near-duplicate.
    var jaccard: Double?

    init(_ record: Record, reason: String, duplicateOf: (id: String, split: String)? = nil, jaccard: Double? = nil) {
        self.record = record
        self.reason = reason
        self.duplicateOf = duplicateOf
        self.jaccard = jaccard
    }
}

/// Results built up row by row: kept rows, and removed ones counted and kept in the ledger.
struct Removals {
    private(set) var counts = Counter()
    private(set) var ledger: [Removal] = []

    mutating func add(_ removal: Removal) {
        counts.add(removal.reason)
        ledger.append(removal)
    }

    var byReason: [(reason: String, count: Int)] { counts.items.map { ($0.key, $0.count) } }
}

/// The stages a spec can name.
enum StageRegistry {
    static let kinds: [any Stage.Type] = [Refine.self, Drop.self, Dedup.self, Sample.self, Instruct.self, Augment.self]

    static var names: [String] { kinds.map { $0.kind } }

    /// Builds the stage for a spec entry. - throws: `PrepError.unknownStage` or the stage's `SpecError`.
    static func make(_ entry: StageSpec, spec: Spec) throws -> any Stage {
        guard let type = kinds.first(where: { $0.kind == entry.kind }) else {
            let mark = entry.args.node.mark
            throw PrepError.unknownStage(file: spec.file, line: max(1, (mark?.line ?? 1)), column: mark?.column ?? 1, name: entry.kind,
                                         suggestion: Suggestions.closest(to: entry.kind, among: names), known: names)
        }
        return try type.init(args: entry.args, spec: spec)
    }
}

import Support
