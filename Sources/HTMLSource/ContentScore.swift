import Foundation

/// Finds the element that holds an article's text, readability-style: every paragraph (a `<p>`,
/// `<td>` or `<pre>`, or a run of text between `<br>`s and blocks, as portals write bodies) of
/// 25 visible characters or more scores 1 + its commas + one point per 100 characters (at most
/// 3), added in full to its container, half to the container's parent and a third of a level's
/// depth further up (1/6, 1/9, 1/12). Containers start from their tag (div +5, lists -3,
/// headings -5) and class/id words (`ClassHints.weight`); the final score is multiplied by the
/// share of text outside links. The best container (or the ancestor it shares with two other
/// near-best ones, when a site cuts its article into chunks), its parent when that scores
/// higher, and siblings that score close to it or read like paragraphs make the article.
enum ContentScore {
    static let phrasing: Set<String> = ["a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i",
                                        "img", "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small", "span", "strike",
                                        "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"]
    static let paragraphs: Set<String> = ["p", "pre", "td"]
    static let minimumParagraph = 25

    /// The elements whose text is the article, in page order, or nil when no paragraph scores.
    static func article(in body: PageNode, weightClasses: Bool) -> [PageNode]? {
        var candidates: [PageNode] = []
        score(body, weightClasses: weightClasses, candidates: &candidates)
        for c in candidates { c.score *= 1 - c.linkDensity }
        let ranked = candidates.sorted { $0.score > $1.score }
        guard var top = ranked.first, top.score > 0 else { return nil }
        top = commonAncestor(of: top, alternatives: ranked.dropFirst().prefix(4).filter {
            $0.score >= top.score * 0.75 && !$0.contains(top) && !top.contains($0)
        }) ?? climb(from: top)
        guard let parent = top.parent else { return [top] }
        let threshold = max(10, top.score * 0.2)
        return parent.children.filter { sibling in
            if sibling === top { return true }
            var bonus = 0.0
            if !top.hint.isEmpty, sibling.hint == top.hint { bonus = top.score * 0.2 }
            if sibling.scored, sibling.score + bonus >= threshold { return true }
            guard sibling.name == "p" else { return false }
            if sibling.textLength > 80 { return sibling.linkDensity < 0.25 }
            return sibling.textLength > 0 && sibling.linkDensity == 0 && endsLikeASentence(plainText(sibling))
        }
    }

    /// The nearest ancestor of `top` that also holds at least two of the near-best `alternatives`
    /// (an article in chunks between ads), if any.
    private static func commonAncestor(of top: PageNode, alternatives: [PageNode]) -> PageNode? {
        guard alternatives.count >= 2 else { return nil }
        var parent = top.parent
        while let p = parent, p.parent != nil {
            if alternatives.filter({ p.contains($0) }).count >= 2 { return p }
            parent = p.parent
        }
        return nil
    }

    /// Readability's two moves up: to a parent that scores higher than the candidate (while
    /// scores stay above a third of it), then out of wrappers with one child element.
    private static func climb(from start: PageNode) -> PageNode {
        var top = start
        var last = top.score
        var parent = top.parent
        while let p = parent, p.parent != nil {
            if p.scored {
                if p.score < start.score / 3 { break }
                if p.score > last { top = p; break }
                last = p.score
            }
            parent = p.parent
        }
        while let p = top.parent, p.parent != nil, p.children.count == 1 { top = p }
        return top
    }

    /// Scores the paragraphs under `node` into their containers, collecting the containers.
    private static func score(_ node: PageNode, weightClasses: Bool, candidates: inout [PageNode]) {
        if paragraphs.contains(node.name) {
            if let parent = node.parent { credit(plainText(node), from: parent, weightClasses: weightClasses, candidates: &candidates) }
            return
        }
        var run = ""
        func flush() {
            credit(run, from: node, weightClasses: weightClasses, candidates: &candidates)
            run = ""
        }
        for item in node.items {
            switch item {
            case let .text(s): run += s
            case .lineBreak: flush()
            case let .element(c):
                if phrasing.contains(c.name) { run += plainText(c); continue }
                flush()
                score(c, weightClasses: weightClasses, candidates: &candidates)
            }
        }
        flush()
    }

    private static func credit(_ text: String, from container: PageNode, weightClasses: Bool, candidates: inout [PageNode]) {
        let length = weightedLength(text)
        guard length >= minimumParagraph else { return }
        let commas = text.unicodeScalars.filter { $0 == "," || $0 == "，" || $0 == "、" || $0 == "،" }.count
        let points = 1 + Double(commas) + Double(min(length / 100, 3))
        var node: PageNode? = container
        for (level, share) in [1.0, 0.5, 1.0 / 6, 1.0 / 9, 1.0 / 12].enumerated() {
            guard let n = node else { break }
            if level > 0, n.parent == nil { break }
            if !n.scored {
                n.scored = true
                n.score = base(n.name) + (weightClasses ? ClassHints.weight(n.hint) : 0)
                candidates.append(n)
            }
            n.score += points * share
            node = n.parent
        }
    }

    /// Visible characters, Hangul, kana and CJK ideographs counted twice: a Korean sentence
    /// says in 15 syllables what an English one says in 40 letters.
    static func weightedLength(_ text: String) -> Int {
        var n = 0
        for u in text.unicodeScalars where !u.properties.isWhitespace {
            switch u.value {
            case 0x1100...0x11FF, 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF: n += 2
            default: n += 1
            }
        }
        return n
    }

    static func base(_ tag: String) -> Double {
        switch tag {
        case "div", "article", "section", "main": return 5
        case "pre", "td", "blockquote": return 3
        case "address", "ol", "ul", "dl", "dd", "dt", "li", "form": return -3
        case "h1", "h2", "h3", "h4", "h5", "h6", "th": return -5
        default: return 0
        }
    }

    /// All text under a node, as it stands in the page.
    static func plainText(_ node: PageNode) -> String {
        var out = ""
        for item in node.items {
            switch item {
            case let .text(s): out += s
            case .lineBreak: out += "\n"
            case let .element(c): out += plainText(c)
            }
        }
        return out
    }

    static func endsLikeASentence(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.hasSuffix(".") || t.hasSuffix("다") || t.hasSuffix("。") || t.hasSuffix("!") || t.hasSuffix("?") || t.hasSuffix("\"") || t.hasSuffix("”")
    }
}
