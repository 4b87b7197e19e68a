/// What can go wrong with Kiwi, the Korean morphological analyser; each message names the folder
/// and the fix.
public enum KiwiError: Error, Equatable, CustomStringConvertible {
    /// No folder holding Kiwi's model (sj.morph, default.dict, ...) was found where it was looked for.
    case modelNotInstalled(searched: [String])
    /// Kiwi could not load the model in `path`.
    case loadFailed(path: String, message: String)
    /// Kiwi failed on a text.
    case analysisFailed(message: String)

    public var description: String {
        switch self {
        case let .modelNotInstalled(searched):
            return "Kiwi's model (the Korean morphological analyser) is not installed: no model in "
                + searched.joined(separator: ", ")
                + "; run `make setup` (it builds Kiwi into .deps/kiwi), or set \(Kiwi.modelEnvironmentKey) to a folder holding kiwipiepy_model's files"
        case let .loadFailed(path, message):
            return "Kiwi could not load its model from \(path): \(message); rerun `make setup` (delete .deps/kiwi first) to reinstall it"
        case let .analysisFailed(message):
            return "Kiwi failed to analyse a text: \(message)"
        }
    }
}
