/// Where the text of a page field breaks lines.
///
///     PageParser(fields: [.auto(name: "body", .body)], lineBreaks: ["body": .paragraphs])
public enum LineBreaks: Sendable {
    /// At every block element (`<p>`, `<div>`, ...), every `<br>` and every newline in the page's
    /// own text: a line per break the page shows, and per line of its source.
    case everyBreak
    /// A line per paragraph: block elements and blank lines (`<br><br>`) end one; a `<br>` alone
    /// inside a paragraph (a line wrapped in the middle of a sentence) and newlines in the page's
    /// text are spaces. Meant for cutting into sentences afterwards.
    case paragraphs
}
