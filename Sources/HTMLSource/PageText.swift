import CXML2

/// Visible text of an element: scripts, styles and comments dropped, `<br>` and block elements
/// turned into line breaks (sentence breaks), entities already decoded by libxml2.
enum PageText {
    static let skipped: Set<String> = ["script", "style", "noscript", "template", "iframe", "svg", "button", "nav", "form"]
    static let blocks: Set<String> = ["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
                                      "article", "blockquote", "figure", "figcaption", "header", "footer", "dd", "dt", "pre"]

    static func text(of node: xmlNodePtr) -> String {
        switch node.pointee.type {
        case XML_ATTRIBUTE_NODE, XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            guard let c = xmlNodeGetContent(node) else { return "" }
            defer { cxml2_free(c) }
            return String(cString: c)
        default:
            var out = ""
            walk(node, into: &out)
            return out
        }
    }

    private static func walk(_ node: xmlNodePtr, into out: inout String) {
        var child = node.pointee.children
        while let c = child {
            defer { child = c.pointee.next }
            switch c.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content { out += String(cString: content) }
            case XML_ELEMENT_NODE:
                let name = String(cString: c.pointee.name).lowercased()
                if skipped.contains(name) { continue }
                if name == "br" { out += "\n"; continue }
                let block = blocks.contains(name)
                if block { out += "\n" }
                walk(c, into: &out)
                if block { out += "\n" }
            default:
                continue
            }
        }
    }

    /// Collapses spaces within lines, drops empty lines, trims.
    static func tidy(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }).joined(separator: " ") }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }
}
