/// The page frame and number formats shared by every HTML report. Everything inside a page is
/// `Markup`: text is escaped when it is put in, never by the caller.
public enum HTML {
    /// A whole self-contained page: inline CSS, optional inline script, nothing fetched.
    public static func page(title: String, body: Markup, script: Markup = .empty) -> String {
        let document: Markup = """
        <!doctype html>
        <html lang="ko"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>\(Markup(trusted: css))</style></head>
        <body><main>
        \(body)
        </main>\(script.isEmpty ? Markup.empty : "<script>\(script)</script>")</body></html>

        """
        return document.rendered
    }

    public static func pct(_ x: Double) -> String { Format.percent(x) }
    public static func num(_ x: Double, _ d: Int = 3) -> String { Format.number(x, digits: d) }

    static let css: StaticString = """
    :root{--fg:#1d2330;--muted:#5b6472;--line:#d9dde3;--accent:#2454c5;--bad:#b3261e;--good:#1b7f3b}
    *{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans KR","Apple SD Gothic Neo",sans-serif;color:var(--fg);background:#fafbfc}
    main{max-width:1100px;margin:0 auto;padding:24px}
    h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
    h3{font-size:15px;margin:18px 0 6px}.muted{color:var(--muted)}
    .cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:150px}
    .card b{display:block;font-size:22px}
    table{border-collapse:collapse;background:#fff;margin:6px 0 12px;font-size:14px}th,td{border:1px solid var(--line);padding:4px 8px;text-align:right;vertical-align:top}
    th{background:#f1f3f6}td:first-child,th:first-child{text-align:left}table.items td,table.items th{text-align:left;max-width:520px}
    .heat td.cell{min-width:56px;text-align:center}.bad{color:var(--bad)}.answer{white-space:pre-wrap}.good{color:var(--good)}
    .scroll{overflow-x:auto}svg{background:#fff;border:1px solid var(--line);border-radius:6px}
    select{font:inherit;padding:2px 6px}code{background:#f1f3f6;padding:1px 4px;border-radius:3px}
    """
}

import Support
