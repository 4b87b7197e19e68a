import Support
import CXML2
import Foundation

/// Parses saved news pages with libxml2's HTML parser and extracts fields by XPath, or finds
/// the title and article text on its own (`PageField.auto`).
///
///     let parser = try PageParser(fields: [XPathField(name: "title", xpaths: ["//meta[@property='og:title']/@content"])])
///     let values = try parser.extract(bytes, page: "saved/article.html")   // ["title": "..."]
public final class PageParser {
    public let fields: [PageField]
    public let fallbackCharset: String
    /// Where each field's text breaks lines; fields not named here: `.everyBreak`.
    public let lineBreaks: [String: LineBreaks]
    /// Changes whenever `auto` fields may find other text on the same page: part of the cache key
    /// of ingests that use them.
    public static let autoVersion = "auto-1"
    /// Changes whenever `LineBreaks.paragraphs` may join or break a page's lines otherwise: part of
    /// the cache key of ingests that read paragraphs (`source.sentences`).
    public static let paragraphsVersion = "paragraphs-1"

    public init(fields: [PageField], fallbackCharset: String = "UTF-8", lineBreaks: [String: LineBreaks] = [:]) {
        self.fields = fields
        self.fallbackCharset = fallbackCharset
        self.lineBreaks = lineBreaks
    }

    /// Fields found by XPaths only.
    public convenience init(fields: [XPathField], fallbackCharset: String = "UTF-8") {
        self.init(fields: fields.map { PageField.xpaths($0) }, fallbackCharset: fallbackCharset)
    }

    /// Field values of one page (absent = not found).
    /// - throws: `HTMLError.notHTML` for binary or tag-less input.
    public func extract(_ bytes: [UInt8], page: String) throws -> [String: String] {
        let text = try Self.decode(bytes, page: page, fallback: fallbackCharset)
        var utf8 = Array(text.utf8)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let doc = utf8.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                htmlReadMemory($0, Int32(buf.count), page, "UTF-8", options)
            }
        }
        guard let doc else { throw HTMLError.notHTML(page: page, reason: "libxml2 could not parse it") }
        defer { xmlFreeDoc(doc) }
        guard let context = xmlXPathNewContext(doc) else { throw HTMLError.notHTML(page: page, reason: "no XPath context") }
        defer { xmlXPathFreeContext(context) }
        var values: [String: String] = [:]
        for f in fields {
            let value: String?
            let breaks = lineBreaks[f.name] ?? .everyBreak
            switch f {
            case let .xpaths(x): value = x.value(in: context, breaks: breaks)
            case .auto(_, .title): value = ArticleTitle.text(in: context)
            case .auto(_, .body): value = ArticleBody.text(in: doc, titles: ArticleTitle.candidates(in: context), breaks: breaks)
            }
            if let value, !value.isEmpty { values[f.name] = value }
        }
        return values
    }

    /// Decodes page bytes by their declared charset (`<meta charset>` or `http-equiv` Content-Type),
    /// else UTF-8 when valid, else the fallback. EUC-KR is read as CP949, its superset.
    static func decode(_ bytes: [UInt8], page: String, fallback: String) throws -> String {
        let head = Array(bytes.prefix(4096))
        if head.contains(0) { throw HTMLError.notHTML(page: page, reason: "binary data") }
        let declared = charset(in: String(decoding: head, as: UTF8.self))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        for cs in [declared, "UTF-8", fallback].compactMap({ $0 }) {
            let name = ["euc-kr", "euckr", "ks_c_5601-1987", "ksc5601", "x-windows-949", "windows-949", "uhc"].contains(cs.lowercased()) ? "CP949" : cs.uppercased()
            if name == "UTF-8" || name == "UTF8" {
                if let s = String(validating: bytes, as: UTF8.self) { return s }
                continue
            }
            if let s = Charset.decode(bytes, from: name) { return s }
        }
        throw HTMLError.notHTML(page: page, reason: "its bytes are valid in neither its declared charset (\(declared ?? "none")) nor UTF-8 nor \(fallback)")
    }

    nonisolated(unsafe) private static let charsetPattern = try! NSRegularExpression(
        pattern: #"<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)"#, options: [.caseInsensitive])

    static func charset(in head: String) -> String? {
        let ns = head as NSString
        guard let m = charsetPattern.firstMatch(in: head, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return ns.substring(with: m.range(at: 1))
    }

    /// Silences libxml2's default error printing (errors are reported per page by the caller).
    static func quietLibxml() {
        cxml2_quiet()
    }
}

@available(*, unavailable)
extension PageParser: Sendable {}
