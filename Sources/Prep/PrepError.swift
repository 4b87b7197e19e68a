import JSON
import Support

/// Errors from `prep` that are not archive, spec or record errors.
public enum PrepError: Error, Equatable, CustomStringConvertible, ExitStatusProviding {
    /// An entry whose bytes are not valid JSON.
    case malformedJSON(location: String, detail: String)
    /// A field rule failed on one entry.
    case field(location: String, detail: String)
    /// A stage name that is not known.
    case unknownStage(file: String, line: Int, column: Int, name: String, suggestion: String?, known: [String])
    /// A stage could not run on its input.
    case stage(name: String, detail: String)
    /// No records came out of the sources.
    case noRecords(detail: String)
    /// The output folder holds the files of another spec file with other preparation sections.
    case folderTaken(dir: String, run: String, ownerSpec: String, spec: String)
    /// `prep audit` cannot compare what it was given.
    case audit(String)
    /// Ctrl-C stopped a stage; what it finished is kept (e.g. generated paraphrases in the store).
    case interrupted(stage: String, kept: String)

    /// 130 after Ctrl-C, as a shell reports it; 2 (bad input) for everything else.
    public var exitStatus: Int32 {
        if case .interrupted = self { return 130 }
        return 2
    }

    public var description: String {
        switch self {
        case let .malformedJSON(location, detail):
            return "\(location): malformed JSON: \(detail). Set `source.on_bad_entry: skip` to count and skip such entries instead"
        case let .field(location, detail): return "\(location): \(detail)"
        case let .unknownStage(file, line, column, name, suggestion, known):
            return "\(file):\(line):\(column): stages: unknown stage '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " (known stages: \(known.joined(separator: ", ")))"
        case let .stage(name, detail): return "stage \(name): \(detail)"
        case let .audit(detail): return "audit: \(detail)"
        case let .interrupted(stage, kept): return "interrupted during \(stage); \(kept). Run the same command again to go on from there"
        case let .noRecords(detail): return "no records were read: \(detail)"
        case let .folderTaken(dir, run, ownerSpec, spec):
            return "\(dir)/ holds the outputs of \(run), prepared from \(ownerSpec); \(spec) would replace them with other data. "
                + "Give \(spec) its own `name:` or `outputs: {dir: ...}`, or delete \(dir)/ if \(ownerSpec)'s outputs are no longer needed"
        }
    }
}
