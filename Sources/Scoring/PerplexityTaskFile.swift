import Support

/// One multiple-choice task as llama-perplexity stores it: the item and the index of its correct choice.
public struct PerplexityTask: Sendable, Equatable {
    public let item: ChoiceItem
    /// Index of the (first) choice labelled correct, or nil when none is.
    public let gold: Int?

    public init(item: ChoiceItem, gold: Int?) {
        self.item = item
        self.gold = gold
    }
}

/// llama-perplexity's `--multiple-choice` binary task file (tools/perplexity/perplexity.cpp,
/// `multiple_choice_score` and `multiple_choice_task::deserialize`), little-endian:
///
///     u32 n_task
///     u32 task_pos[n_task]        byte offset of each task from the start of the file
///     n_task times:
///         string question         (u32 length, then UTF-8 bytes; strings have no terminator)
///         mc1: u32 n (<= 100), n strings (answers), n i32 labels (1 = correct)
///         mc2: the same layout (llama-perplexity reads it but does not score it); written empty
///
/// llama-perplexity tokenizes `question + " " + answer`, whereas a `ChoiceItem` scores
/// `prompt + choice`. So a task is written with `question = prompt` and `answer = choice` minus
/// its leading space (or, when the prompt ends with a space and the choice does not start with
/// one, with that space moved out of the question); on reading, choices get `" " + answer`.
public enum PerplexityTaskFile {
    /// llama-perplexity rejects tasks with more answers than this.
    public static let maxAnswers = 100

    /// Writes `tasks` to `path` atomically.
    public static func write(_ tasks: [PerplexityTask], to path: String) throws {
        let file = try AtomicFile(path: path)
        try file.write(bytes: try encode(tasks))
        try file.commit()
    }

    /// Reads a task file; items get ids `"1"`, `"2"`, ... in file order.
    public static func read(_ path: String) throws -> [PerplexityTask] {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path) } catch {
            throw ScoringError.taskFileInvalid(path: path, reason: "cannot read it (\(error))")
        }
        return try decode(bytes, path: path)
    }

    /// The file's bytes.
    /// - Throws: `ScoringError.taskNotRepresentable` when llama-perplexity could not read the item
    ///   back as the same `prompt + choice` texts.
    public static func encode(_ tasks: [PerplexityTask]) throws -> [UInt8] {
        var body: [UInt8] = []
        var offsets: [UInt32] = []
        let headerSize = 4 + 4 * tasks.count
        for task in tasks {
            let (question, answers) = try split(task.item)
            offsets.append(UInt32(headerSize + body.count))
            appendString(question, to: &body)
            appendU32(UInt32(answers.count), to: &body)
            for answer in answers { appendString(answer, to: &body) }
            for i in answers.indices { appendU32(UInt32(bitPattern: i == task.gold ? 1 : 0), to: &body) }
            appendU32(0, to: &body) // mc2: no answers
        }
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + body.count)
        appendU32(UInt32(tasks.count), to: &out)
        for offset in offsets { appendU32(offset, to: &out) }
        return out + body
    }

    /// Parses the bytes of a task file (`path` is only used in messages).
    public static func decode(_ bytes: [UInt8], path: String = "<bytes>") throws -> [PerplexityTask] {
        var reader = Reader(bytes: bytes, path: path)
        let count = Int(try reader.u32("the task count"))
        guard count > 0 else { throw ScoringError.taskFileInvalid(path: path, reason: "it holds no tasks") }
        guard count <= (bytes.count - 4) / 4 else {
            throw ScoringError.taskFileInvalid(path: path, reason: "it claims \(count) tasks but is only \(bytes.count) bytes long")
        }
        for i in 0..<count { _ = try reader.u32("the offset of task \(i + 1)") }
        var tasks: [PerplexityTask] = []
        tasks.reserveCapacity(count)
        for i in 1...count {
            let question = try reader.string("the question of task \(i)")
            let (answers, labels) = try reader.answers(task: i)
            _ = try reader.answers(task: i) // mc2
            guard !question.isEmpty, !answers.isEmpty, answers.allSatisfy({ !$0.isEmpty }) else {
                throw ScoringError.taskFileInvalid(path: path, reason: "task \(i) has an empty question or answer (llama-perplexity rejects it)")
            }
            let item = ChoiceItem(id: String(i), prompt: question, choices: answers.map { " " + $0 })
            tasks.append(PerplexityTask(item: item, gold: labels.firstIndex(of: 1)))
        }
        return tasks
    }

    /// `(question, answers)` such that `question + " " + answer == prompt + choice` for every choice.
    static func split(_ item: ChoiceItem) throws -> (String, [String]) {
        guard !item.choices.isEmpty, item.choices.count <= maxAnswers else {
            throw ScoringError.taskNotRepresentable(id: item.id, reason: "llama-perplexity needs 1 to \(maxAnswers) choices, not \(item.choices.count)")
        }
        if item.choices.allSatisfy({ $0.hasPrefix(" ") && $0.count > 1 }), !item.prompt.isEmpty {
            return (item.prompt, item.choices.map { String($0.dropFirst()) })
        }
        if item.prompt.hasSuffix(" "), item.prompt.count > 1, item.choices.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(" ") }) {
            return (String(item.prompt.dropLast()), item.choices)
        }
        throw ScoringError.taskNotRepresentable(
            id: item.id, reason: "llama-perplexity joins question and answer with one space, so every choice must start with a space (or the prompt end with one), and neither side may be empty")
    }

    private static func appendU32(_ value: UInt32, to out: inout [UInt8]) {
        out += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }

    private static func appendString(_ text: String, to out: inout [UInt8]) {
        appendU32(UInt32(text.utf8.count), to: &out)
        out += text.utf8
    }

    private struct Reader {
        let bytes: [UInt8]
        let path: String
        var offset = 0

        mutating func u32(_ what: String) throws -> UInt32 {
            guard offset + 4 <= bytes.count else {
                throw ScoringError.taskFileInvalid(path: path, reason: "it ends at byte \(bytes.count) while reading \(what)")
            }
            let v = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            offset += 4
            return v
        }

        mutating func string(_ what: String) throws -> String {
            let length = Int(try u32("the length of \(what)"))
            guard offset + length <= bytes.count else {
                throw ScoringError.taskFileInvalid(path: path, reason: "\(what) is \(length) bytes long but the file ends \(bytes.count - offset) bytes later")
            }
            defer { offset += length }
            return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
        }

        mutating func answers(task: Int) throws -> ([String], [Int32]) {
            let n = Int(try u32("the answer count of task \(task)"))
            guard n <= PerplexityTaskFile.maxAnswers else {
                throw ScoringError.taskFileInvalid(path: path, reason: "task \(task) has \(n) answers; llama-perplexity allows at most \(PerplexityTaskFile.maxAnswers)")
            }
            let answers = try (0..<n).map { try string("answer \($0 + 1) of task \(task)") }
            let labels = try (0..<n).map { Int32(bitPattern: try u32("label \($0 + 1) of task \(task)")) }
            return (answers, labels)
        }
    }
}
