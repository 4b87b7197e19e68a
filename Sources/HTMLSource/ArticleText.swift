/// The lines of an article's elements (see `ContentScore`): block elements and `<br>` end lines
/// as in `PageText`, while elements inside the article that are furniture are left out
/// (readability's conditional cleaning): link lists (related articles, tags), image boxes with
/// their captions, blocks that class words mark as furniture, and the headline (`<h1>`). Lines
/// that are mostly link text or boilerplate (`BoilerplateLine`) are dropped.
enum ArticleText {
    struct Line {
        var text = ""
        var linkText = 0
        /// Whether the line before it ended at a lone `<br>` (no block edge, no blank line, no line
        /// left out in between): the same paragraph, wrapped (see `LineBreaks.paragraphs`).
        var continues = false
    }

    static func lines(of roots: [PageNode], weightClasses: Bool) -> [Line] {
        var lines: [Line] = []
        var current = Line()
        // Since the last line kept: the `<br>`s, and whether a block edge or a left-out line came between.
        var lineBreaks = 0, paragraphEnded = true
        func flush(atLineBreak: Bool = false) {
            let text = current.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !text.isEmpty {
                let length = PageNode.visibleLength(text)
                if Double(current.linkText) < Double(length) * 0.5 {
                    lines.append(Line(text: text, linkText: current.linkText, continues: !paragraphEnded && lineBreaks == 1))
                    (lineBreaks, paragraphEnded) = (0, false)
                } else {
                    paragraphEnded = true
                }
            }
            current = Line()
            if atLineBreak { lineBreaks += 1 } else { paragraphEnded = true }
        }
        func walk(_ node: PageNode, inLink: Bool) {
            for item in node.items {
                switch item {
                case let .text(s):
                    current.text += s
                    if inLink { current.linkText += PageNode.visibleLength(s) }
                case .lineBreak: flush(atLineBreak: true)
                case let .element(c):
                    if c.name == "h1" || isFurniture(c, weightClasses: weightClasses) { continue }
                    let block = PageText.blocks.contains(c.name) || !ContentScore.phrasing.contains(c.name)
                    if block { flush() }
                    walk(c, inLink: inLink || c.name == "a")
                    if block { flush() }
                }
            }
        }
        for root in roots {
            flush()
            walk(root, inLink: false)
            flush()
        }
        return distinct(dropping(lines) { BoilerplateLine.matches($0) })
    }

    /// Lines once each: a line printed three times or more (a gallery's caption, "Advertisement")
    /// is page furniture and goes entirely; a line printed twice keeps its first place.
    static func distinct(_ lines: [Line]) -> [Line] {
        var counts: [String: Int] = [:]
        for l in lines { counts[l.text, default: 0] += 1 }
        var seen = Set<String>()
        return dropping(lines) { counts[$0]! >= 3 || !seen.insert($0).inserted }
    }

    /// `lines` without those whose text `leaveOut` picks; the line after one left out starts a paragraph.
    static func dropping(_ lines: [Line], where leaveOut: (String) -> Bool) -> [Line] {
        var kept: [Line] = []
        var gap = false
        for var line in lines {
            if leaveOut(line.text) {
                gap = true
                continue
            }
            if gap { line.continues = false }
            gap = false
            kept.append(line)
        }
        return kept
    }

    /// Readability's conditional cleaning, for an element inside the article.
    static func isFurniture(_ node: PageNode, weightClasses: Bool) -> Bool {
        let images = node.count(of: "img") + (node.name == "img" ? 1 : 0)
        if images > 0, node.textLength < 80, ["div", "span", "p", "section", "table", "a", "em", "strong"].contains(node.name) {
            return true      // a photo and its caption
        }
        guard ["div", "section", "ul", "ol", "table", "form", "dl", "span"].contains(node.name) else { return false }
        let weight = weightClasses ? ClassHints.weight(node.hint) : 0
        if weight + (node.scored ? node.score : 0) < 0 { return true }
        let text = ContentScore.plainText(node)
        if text.unicodeScalars.filter({ $0 == "," || $0 == "，" || $0 == "、" }).count >= 10 { return false }
        let paragraphs = node.count(of: "p"), items = node.count(of: "li")
        let isList = node.name == "ul" || node.name == "ol"
        if images > 1, Double(paragraphs) / Double(images) < 0.5 { return true }
        if !isList, node.name != "span", items > paragraphs + 1, node.linkDensity > 0.2 { return true }
        if weight < 25, node.linkDensity > 0.2, node.textLength < 200 || node.linkDensity > 0.5 { return true }
        if weight >= 25, node.linkDensity > 0.5 { return true }
        return false
    }
}
