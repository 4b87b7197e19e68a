import Foundation

/// How a `kind: html` source finds one field (`source.fields`): XPaths tried in order, or `auto`.
///
///     fields:
///       title: auto                                    # og:title, h1, <title>, site name removed
///       body: auto                                     # the article's text, readability-style
///       date: ["//meta[@property='article:published_time']/@content"]
public enum PageFieldSource: Equatable, Sendable {
    /// XPaths: the first with text wins.
    case xpaths([String])
    /// Found without XPaths on any news page.
    case auto(Auto)

    /// What `auto` can find; the field's name says which.
    public enum Auto: String, CaseIterable, Equatable, Sendable {
        case title, body
    }

    /// A short text for messages and cache keys.
    public var description: String {
        switch self {
        case let .xpaths(x): return x.joined(separator: " | ")
        case let .auto(a): return "auto (\(a.rawValue))"
        }
    }

    /// `title: auto`, `body: auto`, or one XPath or a list of them.
    /// - throws: `SpecError` for `auto` on another field, or `auto` inside a list of XPaths.
    static func parse(field: String, _ node: SpecNode) throws -> PageFieldSource {
        if node.isScalar, try node.string() == "auto" {
            guard let a = Auto(rawValue: field) else {
                throw node.error("`auto` finds a page's \(Auto.allCases.map(\.rawValue).joined(separator: " or ")) only; give field '\(field)' XPaths, "
                                 + "e.g. `\(field): \"//meta[@name='\(field)']/@content\"`")
            }
            return .auto(a)
        }
        let items = try node.list()
        guard !items.isEmpty else { throw node.error("give field '\(field)' at least one XPath, or `auto` for title and body") }
        var xpaths: [String] = []
        for item in items {
            let x = try item.string()
            if x == "auto" { throw item.error("`auto` stands alone (`\(field): auto`), not in a list of XPaths") }
            if x.trimmingCharacters(in: .whitespaces).isEmpty { throw item.error("an empty XPath; give an expression such as //h1") }
            xpaths.append(x)
        }
        return .xpaths(xpaths)
    }
}
