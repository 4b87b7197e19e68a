import Foundation

/// Removes a site name that pages append to their titles ("… | Yonhap", "… - 연합뉴스",
/// "… : 네이버 뉴스", "…-新华网"), and nothing else: a trailing part after a separator goes only
/// when it is the page's own site name (`og:site_name`, the host of its address), looks like a
/// domain (`CNN.com`), or is short and ends like a publisher's name (뉴스, 일보, News, Times, 网 …);
/// after `|`, `::`, `»` any short part goes, since headlines rarely use those. A title that
/// merely contains " - " ("삼성전자 - LG전자 합병설 부인") is kept whole.
public enum SiteSuffix {
    /// Separators after which any short part is a site name.
    static let strong = [" | ", " ｜ ", "｜", " :: ", " » ", " « ", " || "]
    /// Separators that also occur inside headlines: the part must look like a publisher.
    static let weak = [" - ", " -- ", " – ", " — ", " : ", " · ", " / ", " ― "]
    /// How publishers' names end (compared lowercased, without spaces).
    static let publisherEndings = ["뉴스", "일보", "신문", "방송", "경제", "타임스", "타임즈", "저널", "미디어", "닷컴", "데일리", "투데이", "포스트",
                                   "헤럴드", "news", "times", "post", "journal", "daily", "herald", "tribune", "press", "tv", "radio",
                                   "magazine", "agency", "online", "网", "網", "新闻", "新聞", "日报", "日報", "报", "報", "ニュース"]

    /// `title` without its trailing site name(s). `sites`: the page's own names for itself.
    public static func strip(_ title: String, sites: [String] = []) -> String {
        var t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let names = sites.map(normalize).filter { $0.count >= 2 }
        for _ in 0..<4 {
            guard let (prefix, suffix, isStrong) = lastPart(of: t) else { break }
            let s = normalize(suffix)
            guard !s.isEmpty, prefix.count >= 2 else { break }
            let words = suffix.split(separator: " ").count
            let short = words <= 5 && suffix.count <= 40
            let isSite = names.contains { $0 == s || ($0.count >= 3 && (s.contains($0) || $0.contains(s))) }
            let isDomain = s.range(of: #"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,6}$"#, options: .regularExpression) != nil
            let isPublisher = publisherEndings.contains { s.hasSuffix($0) } && words <= 4 && suffix.count <= 25
            guard short, isSite || isDomain || isPublisher || (isStrong && suffix.count < prefix.count) else { break }
            t = prefix
        }
        return t
    }

    /// The text before and after the last separator, and whether that separator is a strong one.
    /// A bare `-` (no spaces) counts when the part after it is short and CJK ("…-新华网").
    static func lastPart(of t: String) -> (String, String, Bool)? {
        var best: (Range<String.Index>, Bool)?
        for (sep, isStrong) in strong.map({ ($0, true) }) + weak.map({ ($0, false) }) {
            if let r = t.range(of: sep, options: .backwards), best == nil || r.lowerBound > best!.0.lowerBound { best = (r, isStrong) }
        }
        if let r = t.range(of: "-", options: .backwards), best == nil || r.lowerBound > best!.0.lowerBound {
            let after = t[r.upperBound...]
            if !after.isEmpty, after.count <= 8, after.unicodeScalars.allSatisfy({ $0.value >= 0x3000 }) { best = (r, false) }
        }
        guard let (r, isStrong) = best else { return nil }
        let prefix = t[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
        let suffix = t[r.upperBound...].trimmingCharacters(in: .whitespaces)
        return (prefix, suffix, isStrong)
    }

    static func normalize(_ s: String) -> String {
        s.lowercased().filter { !$0.isWhitespace }
    }
}
