extension Markup {
    /// One element: the name and attribute names are source constants, attribute values are
    /// escaped, the content is markup. An attribute with a nil value is left out.
    ///
    /// ```swift
    /// Markup.element("td", ["class": "bad", "title": note], "\(label)")
    /// ```
    public static func element(_ name: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:],
                               _ content: Markup = .empty) -> Markup {
        var open = Markup(trusted: "<") + Markup(trusted: name)
        for (key, value) in attributes {
            guard let value else { continue }
            open += " " + Markup(trusted: key) + "=\"\(value)\""
        }
        return "\(open)>\(content)</\(Markup(trusted: name))>"
    }

    /// A table: a header row and rows of cells. `classes` empty: the attribute is still written
    /// (`class=""`), as the reports always did.
    public static func table(header: [Markup], rows: [[Markup]], classes: String = "") -> Markup {
        let head = header.map { cell -> Markup in "<th>\(cell)</th>" }.joined()
        let body = rows.map { row -> Markup in
            "<tr>\(row.map { cell -> Markup in "<td>\(cell)</td>" }.joined())</tr>"
        }.joined()
        return "<table class=\"\(classes)\"><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }

    /// Cells showing plain text, escaped.
    public static func cells(_ texts: [String]) -> [Markup] { texts.map(Markup.init(text:)) }
}
