/// Problems with XPaths and pages.
public enum HTMLError: Error, Equatable, CustomStringConvertible {
    /// An XPath expression libxml2 cannot compile.
    case badXPath(field: String, xpath: String)
    /// Bytes that are not an HTML page.
    case notHTML(page: String, reason: String)

    public var description: String {
        switch self {
        case let .badXPath(field, xpath): return "field '\(field)': the XPath \(xpath) does not compile"
        case let .notHTML(page, reason): return "\(page): not an HTML page (\(reason))"
        }
    }
}
