import CXML2
import Foundation

/// An article's title without XPaths (`title: auto`): `og:title` (or `twitter:title`), else the
/// page's `<h1>`, else `<title>`, each without a trailing site name (`SiteSuffix`). Two
/// exceptions to that order: an `og:title` cut short with "…" gives way to the `<h1>` or
/// `<title>` it begins; an `<h1>` that equals `<title>` or `og:title` (up to case, spaces and
/// the kind of quotes) is the headline twice confirmed and wins as the page prints it.
enum ArticleTitle {
    static func text(in context: xmlXPathContextPtr) -> String? {
        let sites = strings("//meta[@property='og:site_name']/@content | //meta[@name='application-name']/@content", context)
            + hosts(strings("//meta[@property='og:url']/@content | //link[@rel='canonical']/@href", context))
        let og = (strings("//meta[@property='og:title']/@content", context).first
            ?? strings("//meta[@name='twitter:title']/@content | //meta[@property='twitter:title']/@content", context).first)
            .map { SiteSuffix.strip($0, sites: sites) }
        let title = strings("//title", context).first.map { SiteSuffix.strip($0, sites: sites) }
        let headlines = strings("//h1", context).filter { $0.count < 400 }
        if let og, let cut = ["…", "...", "…"].first(where: { og.hasSuffix($0) }).map({ String(og.dropLast($0.count)) }) {
            let start = fold(cut)
            if let full = (headlines + [title].compactMap { $0 }).first(where: { fold($0).hasPrefix(start) && $0.count > cut.count }) { return full }
        }
        for h in headlines where fold(h) == title.map(fold) || fold(h) == og.map(fold) { return h }
        if let og, !og.isEmpty { return og }
        if let h = headlines.max(by: { $0.count < $1.count }) { return h }
        return title.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A title for comparing: lowercased, without spaces, one kind of quote.
    static func fold(_ s: String) -> String {
        String(s.lowercased().compactMap { c -> Character? in
            if c.isWhitespace { return nil }
            if "‘’‚‛′`´".contains(c) { return "'" }
            if "“”„‟″".contains(c) { return "\"" }
            return c
        })
    }

    /// Every form of the title the page gives (og:title, `<title>`, `<h1>`, with and without the
    /// site name): lines of the article text that repeat one are the headline, not text.
    static func candidates(in context: xmlXPathContextPtr) -> Set<String> {
        let raw = strings("//meta[@property='og:title']/@content | //meta[@name='twitter:title']/@content | //title | //h1", context)
        return Set(raw + raw.map { SiteSuffix.strip($0) })
    }

    /// The non-empty texts an XPath selects, each on one line with spaces collapsed.
    static func strings(_ xpath: String, _ context: xmlXPathContextPtr) -> [String] {
        guard let result = xmlXPathEvalExpression(xpath, context) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { i in
            guard let node = set.pointee.nodeTab[i] else { return nil }
            let line = PageText.text(of: node).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return line.isEmpty ? nil : line
        }
    }

    /// Site names from addresses: `https://www.cnn.com/...` gives `cnn`.
    static func hosts(_ urls: [String]) -> [String] {
        urls.compactMap { URL(string: $0)?.host }.compactMap { host in
            let labels = host.lowercased().split(separator: ".").filter { !["www", "m", "news", "en", "com", "co", "kr", "net", "org"].contains($0) }
            return labels.first.map(String.init)
        }
    }
}
