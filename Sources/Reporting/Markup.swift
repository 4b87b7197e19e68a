/// A piece of HTML (or XML) that is safe to splice into a page: every text in it was escaped, and
/// every tag in it was written in this module's source.
///
/// Markup is made only from
/// - a string literal (the literal is source text, so it is trusted: `"<td class=\"bad\">"`),
/// - an interpolation, where a `String` is escaped and a `Markup` is spliced as it is,
/// - `Markup(text:)` (escaped), `Markup.element` and `Markup.table`, or
/// - `Markup(trusted:)` for the page's static inline CSS and script.
///
/// ```swift
/// let label = "<script>alert(1)</script>"
/// let cell: Markup = "<td class=\"bad\">\(label)</td>"
/// cell.rendered   // <td class="bad">&lt;script&gt;alert(1)&lt;/script&gt;</td>
/// ```
///
/// No API here takes a run-time `String` as markup, so escaping cannot be forgotten.
public struct Markup: Sendable, Equatable, CustomStringConvertible {
    /// The markup as text, ready to write into a file.
    public private(set) var rendered: String

    /// Only this file joins text that is already markup.
    private init(unchecked: String) { rendered = unchecked }

    /// Text shown as it is: `&`, `<`, `>`, `"` and `'` are escaped.
    public init(text: String) { rendered = Self.escape(text) }

    /// Markup written in the source (inline CSS, a script, SVG paths): never escaped, so it must be
    /// a compile-time constant.
    public init(trusted source: StaticString) { rendered = source.description }

    public static let empty = Markup(unchecked: "")

    public var isEmpty: Bool { rendered.isEmpty }
    public var description: String { rendered }

    public static func + (a: Markup, b: Markup) -> Markup { Markup(unchecked: a.rendered + b.rendered) }
    public static func += (a: inout Markup, b: Markup) { a.rendered += b.rendered }

    /// Escapes text for element content and attribute values (double- or single-quoted).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension Markup: ExpressibleByStringInterpolation {
    /// A literal is source text: trusted markup.
    public init(stringLiteral source: StaticString) { rendered = source.description }

    public init(stringInterpolation: StringInterpolation) { rendered = stringInterpolation.out }

    /// Literal parts are kept, `String`s escaped, `Markup` spliced, numbers written as Swift writes them.
    public struct StringInterpolation: StringInterpolationProtocol {
        var out = ""

        public init(literalCapacity: Int, interpolationCount: Int) { out.reserveCapacity(literalCapacity + 16 * interpolationCount) }

        public mutating func appendLiteral(_ literal: StaticString) { out += literal.description }
        public mutating func appendInterpolation(_ text: String) { out += Markup.escape(text) }
        public mutating func appendInterpolation(_ markup: Markup) { out += markup.rendered }
        public mutating func appendInterpolation(_ n: Int) { out += String(n) }
        public mutating func appendInterpolation(_ x: Double) { out += Markup.escape(x.description) }
    }
}

extension Sequence where Element == Markup {
    /// The pieces one after another, `separator` between them.
    public func joined(separator: Markup = .empty) -> Markup {
        var out = Markup.empty
        for (i, m) in enumerated() {
            if i > 0 { out += separator }
            out += m
        }
        return out
    }
}
