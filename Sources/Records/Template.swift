/// A text template with `{field}` placeholders (`{{` and `}}` for literal braces).
///
///     let t = try Template("제목: {title}\n본문: {body}")
///     t.render { $0 == "title" ? "충격!" : "..." }
public struct Template: Equatable, Sendable {
    enum Part: Equatable, Sendable { case text(String), field(String) }
    let parts: [Part]
    public let source: String

    /// - throws: `TemplateError` for an unclosed or empty placeholder.
    public init(_ source: String) throws {
        self.source = source
        var parts: [Part] = []
        var text = ""
        var chars = Array(source)[...]
        while let c = chars.popFirst() {
            if c == "{" {
                if chars.first == "{" { chars.removeFirst(); text.append("{"); continue }
                guard let close = chars.firstIndex(of: "}") else { throw TemplateError(template: source, message: "'{' without a closing '}'") }
                let name = String(chars[..<close]).trimmingCharacters(in: " ")
                guard !name.isEmpty else { throw TemplateError(template: source, message: "empty placeholder '{}'") }
                if !text.isEmpty { parts.append(.text(text)); text = "" }
                parts.append(.field(name))
                chars = chars[chars.index(after: close)...]
            } else if c == "}" {
                if chars.first == "}" { chars.removeFirst() }
                text.append("}")
            } else {
                text.append(c)
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    /// The placeholder names, in order of first use.
    public var fields: [String] {
        var seen: [String] = []
        for case let .field(f) in parts where !seen.contains(f) { seen.append(f) }
        return seen
    }

    /// Fills the placeholders; a nil value renders as "".
    public func render(_ value: (String) -> String?) -> String {
        var out = ""
        for p in parts {
            switch p {
            case let .text(t): out += t
            case let .field(f): out += value(f) ?? ""
            }
        }
        return out
    }
}

/// A template that does not parse.
public struct TemplateError: Error, Equatable, CustomStringConvertible {
    public let template: String
    public let message: String
    public var description: String { "template \"\(template)\": \(message)" }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
