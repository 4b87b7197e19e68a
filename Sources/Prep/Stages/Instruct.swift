import HarnessSpec
import JSON
import Records
import Support

/// `instruct`: wraps records as instruction data (Alpaca or chat messages) from templates.
///
///     - instruct:
///         format: alpaca                      # or chat
///         instruction: "다음 기사가 낚시성인지 판단하세요."   # a list gives several variants
///         input: "제목: {title}\n본문: {body}"
///         output: "{label}"
///         verbalize: {label: {clickbait: 낚시성 기사, normal: 정상 기사}}
///         render_lists: {conversation: {item: "화자{speaker}: {utterance}", join: "\n"}}
///
/// Adds the fields `instruction`, `input`, `output` (and `variant` when there are several
/// instructions); the outputs include `<split>.alpaca.jsonl` or `<split>.chat.jsonl`.
struct Instruct: Stage {
    static let kind = "instruct"
    enum Format: String { case alpaca, chat }
    let format: Format
    let instructions: [Template]
    let input: Template
    let output: Template
    let system: String?
    let verbalize: [String: [String: String]]
    let seed: UInt64
    /// Fields holding a JSON list of objects, rendered item by item (`화자{speaker}: {utterance}`).
    let renderLists: [String: (item: Template, join: String)]

    init(args: SpecNode, spec: Spec) throws {
        try args.checkKeys(["format", "instruction", "input", "output", "verbalize", "system", "seed", "render_lists"])
        format = Format(rawValue: try args.optional("format")?.choice(["alpaca", "chat"]) ?? "alpaca")!
        let known = spec.fieldNames
        func template(_ node: SpecNode) throws -> Template { try node.template(among: known) }
        instructions = try args.required("instruction", hint: "the task in words, e.g. `instruction: 다음 기사가 낚시성 기사인지 판단하세요.`").list().map(template)
        input = try args.optional("input").map(template) ?? (try Template(""))
        output = try template(try args.required("output", hint: "what the model should answer, e.g. `output: \"{label}\"`"))
        system = try args.optional("system")?.string()
        var verbalize: [String: [String: String]] = [:]
        if let v = try args.optional("verbalize") {
            for (field, table) in try v.entries() {
                guard known.contains(field) else { throw table.error("no record field '\(field)' to verbalize") }
                var map: [String: String] = [:]
                for (k, word) in try table.entries() { map[k] = try word.string() }
                verbalize[field] = map
            }
        }
        self.verbalize = verbalize
        seed = UInt64(bitPattern: Int64(try args.int("seed", default: 1)))  // a negative seed is a bit pattern, as in sample
        var lists: [String: (item: Template, join: String)] = [:]
        if let l = try args.optional("render_lists") {
            for (field, how) in try l.entries() {
                guard known.contains(field) else { throw how.error("no record field '\(field)' to render") }
                try how.checkKeys(["item", "join"])
                let item: Template
                do { item = try Template(try how.required("item").string()) } catch let e as TemplateError { throw how.error(e.description) }
                lists[field] = (item, try how.string("join", default: "\n"))
            }
        }
        renderLists = lists
    }

    func columns(after input: [String]) -> [String] { input + added }

    func value(_ record: Record, _ field: String) -> String? {
        let raw = record.fields[field]
        if let raw, let (item, join) = renderLists[field], case let .array(items)? = try? JSONParser.parse(raw) {
            return items.map { element in item.render { element[$0]?.scalarText } }.joined(separator: join)
        }
        guard let raw, let table = verbalize[field] else { return raw }
        return table[raw] ?? raw
    }

    /// The fields this stage adds.
    var added: [String] { ["instruction", "input", "output"] + (instructions.count > 1 ? ["variant"] : []) }

    /// Renders the three fields of one record with instruction variant `v`. `layout`: the names of
    /// the rendered rows (`Fields.layout`), shared by every row that had `layout.from`.
    func render(_ record: Record, variant v: Int, layout: (from: [String], to: [String])? = nil) -> Record {
        let values = [instructions[v].render { value(record, $0) }, input.render { value(record, $0) }, output.render { value(record, $0) }]
            + (instructions.count > 1 ? [String(v + 1)] : [])
        var r = record
        if let layout {
            r.fields = record.fields.adding(values, as: layout)
        } else {
            for (name, value) in zip(added, values) { r.fields[name] = value }
        }
        return r
    }

    /// Renders a changed copy of a rendered record again, with the instruction variant it had.
    func rerender(_ record: Record) -> Record {
        render(record, variant: record.fields["variant"].flatMap(Int.init).map { $0 - 1 } ?? 0)
    }

    func apply(_ records: [Record]) throws -> StageResult {
        // The rows mostly share one layout of names: the rendered rows share one too.
        let layout = records.first.flatMap { Fields.layout(from: $0.fields.names, adding: added) }
        let out = try Parallel.map(records) { r -> Record in
            var rng = SeededRandom(seed: seed, key: r.fields["id"] ?? "")
            return render(r, variant: instructions.count > 1 ? rng.below(instructions.count) : 0, layout: layout)
        }
        return StageResult(records: out, details: [("format", .string(format.rawValue)), ("variants", .number(String(instructions.count)))])
    }

    /// `<split>.alpaca.jsonl` or `<split>.chat.jsonl`.
    var export: (suffix: String, line: (Record) -> [UInt8])? { (format.rawValue, exportBytes) }

    /// One line of the fine-tuning file for a record.
    func exportLine(_ r: Record) -> String { String(decoding: exportBytes(r), as: UTF8.self) }

    /// The same line as UTF-8 bytes, without its newline (the writer's path: no `String` is built).
    func exportBytes(_ r: Record) -> [UInt8] {
        let instruction = r.fields["instruction"] ?? "", input = r.fields["input"] ?? "", output = r.fields["output"] ?? ""
        var out: [UInt8] = []
        out.reserveCapacity(instruction.utf8.count + input.utf8.count + output.utf8.count + 96)
        func add(_ text: StaticString) { JSONWriter.appendLiteral(text, to: &out) }
        switch format {
        case .alpaca:
            add("{\"instruction\":")
            JSONWriter.appendString(instruction, to: &out)
            add(",\"input\":")
            JSONWriter.appendString(input, to: &out)
            add(",\"output\":")
            JSONWriter.appendString(output, to: &out)
            add("}")
        case .chat:
            add("{\"messages\":[")
            if let system {
                add("{\"role\":\"system\",\"content\":")
                JSONWriter.appendString(system, to: &out)
                add("},")
            }
            add("{\"role\":\"user\",\"content\":")
            JSONWriter.appendString(input.isEmpty ? instruction : instruction + "\n\n" + input, to: &out)
            add("},{\"role\":\"assistant\",\"content\":")
            JSONWriter.appendString(output, to: &out)
            add("}]}")
        }
        return out
    }
}
