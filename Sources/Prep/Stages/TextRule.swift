import Foundation
import HarnessSpec
import Records

/// One declarative text-cleaning rule of the `refine` stage.
///
/// Words: `strip`, `collapse_spaces`, `unescape_quotes`, `newlines_to_spaces`, `nulls` (the spec's
/// null words become null). Mappings: `{replace: REGEX, with: TEXT}` (`$1` refers to groups),
/// `{delete_chars: "~!@"}`, `{squeeze: "ㅋ!", max: 2}` (runs of a character cut to `max`),
/// `{null_unless: REGEX}` (the value becomes null unless the pattern occurs).
enum TextRule {
    case strip
    case collapseSpaces
    case unescapeQuotes
    case newlinesToSpaces
    case nulls(NullWords)
    case replace(NSRegularExpression, with: String)
    /// Deleted by Unicode scalar, not by Character: `ᆢ` after a syllable (`그래ᆢ`) joins its grapheme cluster.
    case deleteChars(Set<Unicode.Scalar>)
    case nullUnless(NSRegularExpression)
    case squeeze(Set<Unicode.Scalar>, max: Int)

    static let words = ["strip", "collapse_spaces", "unescape_quotes", "newlines_to_spaces", "nulls"]
    static let keys = ["replace", "with", "delete_chars", "null_unless", "squeeze", "max"]

    static func parse(_ node: SpecNode, nulls: Set<String>) throws -> TextRule {
        if node.isScalar {
            switch try node.choice(words) {
            case "strip": return .strip
            case "collapse_spaces": return .collapseSpaces
            case "unescape_quotes": return .unescapeQuotes
            case "newlines_to_spaces": return .newlinesToSpaces
            default: return .nulls(NullWords(nulls))
            }
        }
        try node.checkKeys(keys)
        if let r = try node.optional("replace") {
            return .replace(try regex(r), with: try node.string("with", default: ""))
        }
        if let d = try node.optional("delete_chars") { return .deleteChars(Set(try d.string().unicodeScalars)) }
        if let n = try node.optional("null_unless") { return .nullUnless(try regex(n)) }
        if let q = try node.optional("squeeze") {
            let max = try node.int("max", default: 1)
            if max < 1 { throw try node.required("max").error("must be at least 1") }
            return .squeeze(Set(try q.string().unicodeScalars), max: max)
        }
        throw node.error("a rule is one of \(words.joined(separator: ", ")) or a mapping with `replace`, `delete_chars`, `squeeze` or `null_unless`")
    }

    static func regex(_ node: SpecNode) throws -> NSRegularExpression {
        let pattern = try node.string()
        do { return try NSRegularExpression(pattern: pattern) } catch {
            throw node.error("'\(pattern)' is not a valid regular expression (ICU syntax)")
        }
    }

    /// How the rule reads in a spec and a report.
    var name: String {
        switch self {
        case .strip: return "strip"
        case .collapseSpaces: return "collapse_spaces"
        case .unescapeQuotes: return "unescape_quotes"
        case .newlinesToSpaces: return "newlines_to_spaces"
        case .nulls: return "nulls"
        case let .replace(re, with): return "replace \(re.pattern) with '\(with)'"
        case let .deleteChars(set): return "delete_chars " + String(String.UnicodeScalarView(set.sorted { $0.value < $1.value }))
        case let .nullUnless(re): return "null_unless \(re.pattern)"
        case let .squeeze(set, max): return "squeeze " + String(String.UnicodeScalarView(set.sorted { $0.value < $1.value })) + " to \(max)"
        }
    }

    /// Applies the rule; nil means the value became null.
    func apply(_ text: String) -> String? {
        switch self {
        case .strip: return FastText.strip(text)
        case .collapseSpaces: return FastText.collapseSpaces(text)
        case .unescapeQuotes: return FastText.unescapeQuotes(text)
        case .newlinesToSpaces: return FastText.newlinesToSpaces(text)
        case let .nulls(words): return words.contains(text) ? nil : text
        case let .replace(re, with):
            return re.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: with)
        case let .deleteChars(set):
            var out = String.UnicodeScalarView()
            for u in text.unicodeScalars where !set.contains(u) { out.append(u) }
            return String(out)
        case let .nullUnless(re):
            return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil ? nil : text
        case let .squeeze(set, max):
            var out = String.UnicodeScalarView()
            var run = 0
            var last: Unicode.Scalar?
            for c in text.unicodeScalars {
                run = (c == last) ? run + 1 : 1
                last = c
                if set.contains(c) && run > max { continue }
                out.append(c)
            }
            return String(out)
        }
    }

}
