import CXML2

/// Visible text of an element: scripts, styles and comments dropped, `<br>` and block elements
/// turned into line breaks (sentence breaks), entities already decoded by libxml2.
enum PageText {
    static let skipped: Set<String> = ["script", "style", "noscript", "template", "iframe", "svg", "button", "nav", "form"]
    static let blocks: Set<String> = ["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
                                      "article", "blockquote", "figure", "figcaption", "header", "footer", "dd", "dt", "pre"]
    /// What `.paragraphs` text marks a `<br>` and a block element's edge with until `tidy`:
    /// Unicode's line and paragraph separators, which is what they mean.
    static let lineMark: Character = "\u{2028}", paragraphMark: Character = "\u{2029}"

    /// The raw text of `node`; `tidy(_:breaks:)` with the same `breaks` makes its lines.
    static func text(of node: xmlNodePtr, breaks: LineBreaks = .everyBreak) -> String {
        switch node.pointee.type {
        case XML_ATTRIBUTE_NODE, XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            guard let c = xmlNodeGetContent(node) else { return "" }
            defer { cxml2_free(c) }
            return String(cString: c)
        default:
            var out = ""
            switch breaks {
            case .everyBreak: walk(node, into: &out, lineBreak: "\n", blockEdge: "\n")
            case .paragraphs: walk(node, into: &out, lineBreak: String(lineMark), blockEdge: String(paragraphMark))
            }
            return out
        }
    }

    /// What separates the texts of several nodes (an XPath matching more than one).
    static func separator(_ breaks: LineBreaks) -> String {
        breaks == .everyBreak ? "\n" : String(paragraphMark)
    }

    private static func walk(_ node: xmlNodePtr, into out: inout String, lineBreak: String, blockEdge: String) {
        var child = node.pointee.children
        while let c = child {
            defer { child = c.pointee.next }
            switch c.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content { out += String(cString: content) }
            case XML_ELEMENT_NODE:
                let name = String(cString: c.pointee.name).lowercased()
                if skipped.contains(name) { continue }
                if name == "br" { out += lineBreak; continue }
                let block = blocks.contains(name)
                if block { out += blockEdge }
                walk(c, into: &out, lineBreak: lineBreak, blockEdge: blockEdge)
                if block { out += blockEdge }
            default:
                continue
            }
        }
    }

    /// The lines of raw text from `text(of:breaks:)`: spaces collapsed within lines, empty lines
    /// dropped, trimmed.
    static func tidy(_ text: String, breaks: LineBreaks = .everyBreak) -> String {
        switch breaks {
        case .everyBreak:
            return text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
                .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }).joined(separator: " ") }
                .filter { !$0.isEmpty }
                .joined(separator: "\n")
        case .paragraphs:
            return paragraphs(text).joined(separator: "\n")
        }
    }

    /// The paragraphs of `.paragraphs` raw text: a block's edge or an empty line between two
    /// `<br>`s ends one; the lines between single `<br>`s are joined with a space.
    static func paragraphs(_ text: String) -> [String] {
        var out: [String] = []
        for block in text.split(separator: paragraphMark) {
            var lines: [String] = []
            for line in block.split(separator: lineMark, omittingEmptySubsequences: false) {
                let words = line.split(whereSeparator: \.isWhitespace)
                if words.isEmpty {
                    if !lines.isEmpty { out.append(lines.joined(separator: " ")) }
                    lines = []
                } else {
                    lines.append(words.joined(separator: " "))
                }
            }
            if !lines.isEmpty { out.append(lines.joined(separator: " ")) }
        }
        return out
    }
}
