import JSON
import Support

/// A path into a JSON document: `a.b`, `a[*].b` (every element), `a[0].b` (one element).
/// `$root.a.b` reads from the whole document around a record of `source.records`, not from the record's element.
///
///     let path = try FieldPath("sourceDataInfo.sentenceInfo[*].sentenceContent")
///     path.values(in: document)   // every sentence, in order
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    /// The prefix of paths read from the whole document (`$root.info.category`).
    public static let rootAnchor = "$root"
    public enum Step: Hashable, Sendable {
        case key(String)
        case everyElement
        case element(Int)
    }

    public let steps: [Step]
    public let description: String
    /// Whether the path starts with `$root`: it is read from the whole document, not the record's element.
    public let fromRoot: Bool
    /// The path without its `$root.` prefix.
    public let relative: String

    /// - throws: `RecordError.badPath` when the text is not a valid path.
    public init(_ text: String) throws {
        let (body, fromRoot) = try Self.anchor(text)
        var steps: [Step] = []
        var key = ""
        var chars = Array(body)[...]
        func flushKey() { if !key.isEmpty { steps.append(.key(key)); key = "" } }
        while let c = chars.popFirst() {
            switch c {
            case ".":
                guard !key.isEmpty || steps.last.map({ if case .key = $0 { return false } else { return true } }) == true else {
                    throw RecordError.badPath(text, reason: "empty key before '.'")
                }
                flushKey()
            case "[":
                flushKey()
                guard let close = chars.firstIndex(of: "]") else { throw RecordError.badPath(text, reason: "'[' without ']'") }
                let inner = String(chars[chars.startIndex..<close])
                chars = chars[chars.index(after: close)...]
                if inner == "*" { steps.append(.everyElement) }
                else if let n = Int(inner), n >= 0 { steps.append(.element(n)) }
                else { throw RecordError.badPath(text, reason: "'[\(inner)]' is neither [*] nor an index") }
            case "]": throw RecordError.badPath(text, reason: "']' without '['")
            default: key.append(c)
            }
        }
        flushKey()
        guard !steps.isEmpty else { throw RecordError.badPath(text, reason: "the path is empty") }
        if !fromRoot, case let .key(first) = steps[0], first.hasPrefix("$"),
           let anchor = Suggestions.closest(to: first, among: [Self.rootAnchor, "$location"]) {
            let rest = body.drop { $0 != "." && $0 != "[" }
            let meant = anchor == Self.rootAnchor ? anchor + rest : anchor
            throw RecordError.badPath(text, reason: "'\(first)' is not a known anchor; did you mean '\(meant)'?")
        }
        self.steps = steps
        self.description = text
        self.fromRoot = fromRoot
        self.relative = body
        isMultiValued = steps.contains(.everyElement)
    }

    /// Splits `$root.a.b` into `a.b` and true; any other text is returned as it is.
    private static func anchor(_ text: String) throws -> (String, Bool) {
        if text == "$location" {
            throw RecordError.badPath(text, reason: "'$location' is a field rule of its own, not a path: write `id: $location` or `id: {first: [some.id, $location]}`")
        }
        guard text.hasPrefix(rootAnchor) else { return (text, false) }
        let rest = text.dropFirst(rootAnchor.count)
        if rest.isEmpty || rest == "." {
            throw RecordError.badPath(text, reason: "'$root' needs a path after it, e.g. '$root.info.category'")
        }
        switch rest.first {
        case ".": return (String(rest.dropFirst()), true)
        case "[": return (String(rest), true)
        default: return (text, false)   // a key that merely starts with "$root", such as "$rootCause"
        }
    }

    /// Whether the path can give more than one value (asked for every field of every record).
    public let isMultiValued: Bool

    /// Every value the path reaches from `root`; empty when it reaches nothing. For a `$root.` path the
    /// caller passes the whole document (`RecordScope` does).
    public func values(in root: JSONValue) -> [JSONValue] {
        var current: [JSONValue] = [root]
        for step in steps {
            var next: [JSONValue] = []
            for v in current {
                switch (step, v) {
                case let (.key(k), .object):
                    if let child = v[k] { next.append(child) }
                case let (.everyElement, .array(items)):
                    next.append(contentsOf: items)
                case let (.element(i), .array(items)) where i < items.count:
                    next.append(items[i])
                default: break
                }
            }
            current = next
            if current.isEmpty { break }
        }
        return current
    }

    /// The deepest prefix of this path that still reaches something, and the keys available there:
    /// used to say "did you mean" when a path matches nothing.
    public func nearestKeys(in root: JSONValue) -> (prefix: String, keys: [String]) {
        var current: [JSONValue] = [root]
        var prefix = ""
        for step in steps {
            var next: [JSONValue] = []
            for v in current {
                switch (step, v) {
                case let (.key(k), .object): if let child = v[k] { next.append(child) }
                case let (.everyElement, .array(items)): next.append(contentsOf: items)
                case let (.element(i), .array(items)) where i < items.count: next.append(items[i])
                default: break
                }
            }
            if next.isEmpty {
                var keys: [String] = []
                for v in current { if case let .object(m) = v { for (k, _) in m where !keys.contains(k) { keys.append(k) } } }
                return (prefix, keys)
            }
            switch step {
            case let .key(k): prefix += prefix.isEmpty ? k : "." + k
            case .everyElement: prefix += "[*]"
            case let .element(i): prefix += "[\(i)]"
            }
            current = next
        }
        return (prefix, [])
    }
}
