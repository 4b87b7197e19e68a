import CXML2

/// A field read from a page by XPath: the first expression that yields non-empty text wins.
/// Elements give their visible text (see `PageText`); attributes and strings give their value.
public final class XPathField {
    public let name: String
    public let xpaths: [String]
    private let compiled: [xmlXPathCompExprPtr]

    /// - throws: `HTMLError.badXPath` for an expression libxml2 cannot compile.
    public init(name: String, xpaths: [String]) throws {
        self.name = name
        self.xpaths = xpaths
        var compiled: [xmlXPathCompExprPtr] = []
        PageParser.quietLibxml()
        for x in xpaths {
            guard let c = xmlXPathCompile(x) else {
                compiled.forEach { xmlXPathFreeCompExpr($0) }
                throw HTMLError.badXPath(field: name, xpath: x)
            }
            compiled.append(c)
        }
        self.compiled = compiled
    }

    deinit { compiled.forEach { xmlXPathFreeCompExpr($0) } }

    /// The field's text in a parsed page, its lines broken as `breaks` says, or nil when no
    /// expression matches anything non-empty.
    func value(in context: xmlXPathContextPtr, breaks: LineBreaks = .everyBreak) -> String? {
        for expr in compiled {
            guard let result = xmlXPathCompiledEval(expr, context) else { continue }
            defer { xmlXPathFreeObject(result) }
            var text = ""
            switch result.pointee.type {
            case XPATH_NODESET:
                guard let set = result.pointee.nodesetval, set.pointee.nodeNr > 0 else { continue }
                var parts: [String] = []
                for i in 0..<Int(set.pointee.nodeNr) {
                    if let node = set.pointee.nodeTab[i] { parts.append(PageText.text(of: node, breaks: breaks)) }
                }
                text = parts.filter { !$0.isEmpty }.joined(separator: PageText.separator(breaks))
            default:
                if let s = xmlXPathCastToString(result) {
                    text = String(cString: s)
                    cxml2_free(s)
                }
            }
            text = PageText.tidy(text, breaks: breaks)
            if !text.isEmpty { return text }
        }
        return nil
    }
}

@available(*, unavailable)
extension XPathField: Sendable {}
