import CXML2

/// An article's text without XPaths (`body: auto`): the page as a `PageTree`, its best
/// container by `ContentScore`, its lines by `ArticleText`. Like readability, a first try
/// leaves out elements whose class/id mark them as furniture; when that leaves less than
/// `enough` characters (a page that names its article `comment-body`), it tries again without
/// pruning, then without class weights, and keeps the longest text.
enum ArticleBody {
    static let enough = 200

    /// The article's paragraphs, one per line, or nil when the page has none. Lines that repeat
    /// one of `titles` (the headline printed above the text) are left out.
    static func text(in doc: xmlDocPtr, titles: Set<String> = []) -> String? {
        var best: [String] = []
        for (prune, weigh) in [(true, true), (false, true), (false, false)] {
            guard let tree = PageTree.build(doc, pruneUnlikely: prune),
                  let roots = ContentScore.article(in: tree, weightClasses: weigh) else { continue }
            let lines = ArticleText.lines(of: roots, weightClasses: weigh).filter { !titles.contains($0) }
            let length = lines.reduce(0) { $0 + PageNode.visibleLength($1) }
            if length >= enough { return lines.joined(separator: "\n") }
            if length > best.reduce(0, { $0 + PageNode.visibleLength($1) }) { best = lines }
        }
        return best.isEmpty ? nil : best.joined(separator: "\n")
    }
}
