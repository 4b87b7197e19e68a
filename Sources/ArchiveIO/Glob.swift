/// Shell-style path patterns: `*` and `?` within one path component, `**` across components,
/// `[abc]` classes and `{a,b}` alternatives. A pattern without `/` matches the last component
/// only (`*_L.json` matches `dir/x_L.json`), as in `.gitignore`.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let description: String
    private let alternatives: [[Character]]
    private let anchored: Bool
    /// For a pattern that is only `*` and a literal (`*_L.json`, the usual entry pattern): the literal,
    /// matched as a suffix of the last component without building a character array per path.
    private let suffixes: [String]?

    public init(_ pattern: String) {
        description = pattern
        anchored = pattern.contains("/")
        alternatives = Glob.expandBraces(pattern).map { Array($0.hasPrefix("/") ? String($0.dropFirst()) : $0) }
        let literals = alternatives.map { a -> String? in
            guard a.first == "*", a.count > 1, !a.dropFirst().contains(where: { "*?[]{}/".contains($0) }) else { return nil }
            return String(a.dropFirst())
        }
        suffixes = anchored || literals.contains(nil) ? nil : literals.compactMap { $0 }
    }

    /// Whether `path` (components separated by `/`) matches.
    public func matches(_ path: String) -> Bool {
        let subject = anchored ? path : path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[path.index(after: $0)...]) } ?? path
        // Characters compare by canonical equivalence, so an NFD name (zips made on macOS) still matches.
        if let suffixes { return suffixes.contains { subject.hasSuffix($0) } }
        let chars = Array(subject)
        return alternatives.contains { Glob.match($0[...], chars[...]) }
    }

    private static func expandBraces(_ p: String) -> [String] {
        guard let open = p.firstIndex(of: "{"), let close = p[open...].firstIndex(of: "}") else { return [p] }
        let head = p[..<open], tail = p[p.index(after: close)...]
        return p[p.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false)
            .flatMap { expandBraces(String(head) + $0 + tail) }
    }

    private static func match(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        var p = p, s = s
        while let c = p.first {
            switch c {
            case "*":
                if p.dropFirst().first == "*" {
                    // `**/` matches zero or more whole components; a bare `**` matches anything.
                    var rest = p.dropFirst(2)
                    if rest.first == "/" { rest = rest.dropFirst() }
                    if rest.isEmpty { return true }
                    var tail = s
                    while true {
                        if match(rest, tail) { return true }
                        guard let slash = tail.firstIndex(of: "/") else { return false }
                        tail = tail[tail.index(after: slash)...]
                    }
                }
                let rest = p.dropFirst()
                var tail = s
                while true {
                    if match(rest, tail) { return true }
                    guard let first = tail.first, first != "/" else { return false }
                    tail = tail.dropFirst()
                }
            case "?":
                guard let first = s.first, first != "/" else { return false }
                p = p.dropFirst(); s = s.dropFirst()
            case "[":
                guard let close = p.dropFirst().firstIndex(of: "]"), let first = s.first else { return false }
                var set = p[p.index(after: p.startIndex)..<close]
                let negate = set.first == "!" || set.first == "^"
                if negate { set = set.dropFirst() }
                var hit = false
                var i = set.startIndex
                while i < set.endIndex {
                    let a = set[i]
                    let next = set.index(after: i)
                    if next < set.endIndex, set[next] == "-", set.index(after: next) < set.endIndex {
                        let b = set[set.index(after: next)]
                        if a <= first && first <= b { hit = true }
                        i = set.index(after: set.index(after: next))
                    } else {
                        if a == first { hit = true }
                        i = next
                    }
                }
                guard hit != negate else { return false }
                p = p[p.index(after: close)...]; s = s.dropFirst()
            default:
                guard s.first == c else { return false }
                p = p.dropFirst(); s = s.dropFirst()
            }
        }
        return s.isEmpty
    }
}
