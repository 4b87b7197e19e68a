/// What an element's `class` and `id` say about it: words that mark article text (article,
/// content, body, 본문 ...) and words that mark page furniture (nav, footer, share, related,
/// comment, ad ...). The same idea as readability's class weights; the word lists are our own,
/// with the names Korean news sites use (sns, reporter, copyright, relate_news, ...).
enum ClassHints {
    /// Words of article containers.
    static let positive = ["article", "body", "content", "entry", "main", "post", "text", "story", "news_view", "newsview",
                           "view_cont", "article_txt", "articletxt", "read", "detail", "본문"]
    /// Words of furniture around articles.
    static let negative = ["comment", "reply", "footer", "sidebar", "share", "sns", "social", "related", "relate", "recommend",
                           "popular", "most", "banner", "sponsor", "promo", "widget", "nav", "menu", "gnb", "lnb",
                           "breadcrumb", "pagination", "pager", "tag", "tags", "keyword", "caption", "credit", "byline", "reporter",
                           "writer", "author", "copyright", "subscribe", "newsletter", "login", "modal", "popup", "cookie", "toolbar",
                           "util", "print", "font", "btn", "button", "masthead", "header", "more", "outbrain", "taboola", "navbar",
                           "navigation", "photo_desc", "img_desc", "desc_img", "thumb", "adsense", "ad", "ads", "advert", "side", "rank"]
    /// Words that keep an element even when it also has a negative word (`article-footer` stays
    /// a candidate only by score, but `content` next to `sidebar` is not pruned).
    static let maybe = ["article", "body", "column", "content", "main", "story", "본문"]
    /// Tags never pruned by their class.
    static let keptTags: Set<String> = ["body", "html", "article", "main"]

    /// Readability's class weight: +25 per positive and -25 per negative of `class`/`id`.
    static func weight(_ hint: String) -> Double {
        guard !hint.isEmpty else { return 0 }
        var w = 0.0
        if negative.contains(where: { has($0, in: hint) }) { w -= 25 }
        if positive.contains(where: { has($0, in: hint) }) { w += 25 }
        return w
    }

    /// Whether an element is furniture by its class/id alone (pruned before scoring).
    static func isUnlikely(tag: String, hint: String) -> Bool {
        guard !hint.isEmpty, !keptTags.contains(tag) else { return false }
        return negative.contains(where: { has($0, in: hint) }) && !maybe.contains(where: { has($0, in: hint) })
    }

    /// Words that count only at the start of a class/id word (`header`, not `subheader`, the
    /// subheadings inside articles).
    static let wordStart: Set<String> = ["header"]

    /// Whether `word` occurs in `hint` (class/id words split at spaces, `-` and `_`): words of
    /// five letters or more anywhere, four-letter words at the start of a word (`menu` in
    /// `menubar`), shorter ones as whole words (`ad`, but not `address` or `head`).
    static func has(_ word: String, in hint: String) -> Bool {
        guard hint.contains(word) else { return false }
        if word.count >= 5, !wordStart.contains(word) { return true }
        let words = hint.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" })
        return word.count >= 4 ? words.contains { $0.hasPrefix(word) } : words.contains { $0 == word }
    }
}
