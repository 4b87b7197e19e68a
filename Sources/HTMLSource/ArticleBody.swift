import CXML2

/// An article's text without XPaths (`body: auto`): the page as a `PageTree`, its best
/// container by `ContentScore`, its lines by `ArticleText`. Like readability, a first try
/// leaves out elements whose class/id mark them as furniture; when that leaves less than
/// `enough` characters (a page that names its article `comment-body`), it tries again without
/// pruning, then without class weights, and keeps the longest text.
enum ArticleBody {
    static let enough = 200

    /// The article's lines (`breaks`: one per paragraph and `<br>`, or per paragraph), or nil
    /// when the page has none. Lines that repeat one of `titles` (the headline printed above the
    /// text) are left out.
    static func text(in doc: xmlDocPtr, titles: Set<String> = [], breaks: LineBreaks = .everyBreak) -> String? {
        var best: [ArticleText.Line] = []
        for (prune, weigh) in [(true, true), (false, true), (false, false)] {
            guard let tree = PageTree.build(doc, pruneUnlikely: prune),
                  let roots = ContentScore.article(in: tree, weightClasses: weigh) else { continue }
            let lines = ArticleText.dropping(ArticleText.lines(of: roots, weightClasses: weigh)) { titles.contains($0) }
            let length = lines.reduce(0) { $0 + PageNode.visibleLength($1.text) }
            if length >= enough { return joined(lines, breaks) }
            if length > best.reduce(0, { $0 + PageNode.visibleLength($1.text) }) { best = lines }
        }
        return best.isEmpty ? nil : joined(best, breaks)
    }

    /// The lines as text: one per line, or with a wrapped paragraph's lines joined by a space.
    static func joined(_ lines: [ArticleText.Line], _ breaks: LineBreaks) -> String {
        var text = ""
        for (i, line) in lines.enumerated() {
            if i > 0 { text += breaks == .paragraphs && line.continues ? " " : "\n" }
            text += line.text
        }
        return text
    }
}
