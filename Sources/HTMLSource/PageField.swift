/// A field of a saved page and how it is found.
///
///     PageParser(fields: [.auto(name: "title", .title), .auto(name: "body", .body),
///                         .xpaths(try XPathField(name: "date", xpaths: ["//time/@datetime"]))])
public enum PageField {
    /// By XPaths: the first expression with text wins.
    case xpaths(XPathField)
    /// Without XPaths, on any news page: the headline or the article's text.
    case auto(name: String, AutoField)

    public var name: String {
        switch self {
        case let .xpaths(f): return f.name
        case let .auto(name, _): return name
        }
    }
}

/// What `auto` finds: the headline (`ArticleTitle`) or the main text (`ArticleBody`).
public enum AutoField: String, CaseIterable, Sendable {
    case title, body
}
