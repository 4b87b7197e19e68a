import CXML2

/// A read-only Swift copy of a page's `<body>` made for finding the main text: comments,
/// scripts and other never-text elements left out, every element with its tag, class/id hint
/// and text statistics (visible characters, characters inside links), counted once.
final class PageNode {
    enum Item {
        case element(PageNode)
        case text(String)
        case lineBreak
    }

    let name: String
    /// Lowercased `class` and `id`, space-separated (what `ClassHints` reads).
    let hint: String
    var items: [Item] = []
    unowned(unsafe) let parent: PageNode?
    /// Visible characters (spaces collapsed) and those inside `<a>` elements.
    private(set) var textLength = 0
    private(set) var linkLength = 0
    /// Readability-style content score; `scored` once it has been initialised.
    var score = 0.0
    var scored = false

    init(name: String, hint: String, parent: PageNode?) {
        self.name = name
        self.hint = hint
        self.parent = parent
    }

    var children: [PageNode] { items.compactMap { if case let .element(n) = $0 { return n } else { return nil } } }

    /// Share of the text that sits inside links (0 for an empty element).
    var linkDensity: Double { textLength == 0 ? 0 : Double(linkLength) / Double(textLength) }

    /// Whether `node` is this one or below it.
    func contains(_ node: PageNode) -> Bool {
        var n: PageNode? = node
        while let c = n {
            if c === self { return true }
            n = c.parent
        }
        return false
    }

    /// Every element below this one, depth first, this one included.
    func forEach(_ body: (PageNode) -> Void) {
        body(self)
        for case let .element(c) in items { c.forEach(body) }
    }

    /// Counts `textLength`/`linkLength` bottom-up (called once, after the tree is built).
    func count() {
        textLength = 0
        linkLength = 0
        for item in items {
            switch item {
            case let .text(s): textLength += PageNode.visibleLength(s)
            case let .element(c):
                c.count()
                textLength += c.textLength
                linkLength += name == "a" ? 0 : (c.name == "a" ? c.textLength : c.linkLength)
            case .lineBreak: continue
            }
        }
        if name == "a" { linkLength = textLength }
    }

    /// Characters that are not whitespace.
    static func visibleLength(_ s: String) -> Int {
        var n = 0
        for u in s.unicodeScalars where !u.properties.isWhitespace { n += 1 }
        return n
    }

    /// The elements with this tag below this one.
    func count(of tag: String) -> Int {
        var n = 0
        forEach { if $0.name == tag { n += 1 } }
        return n - (name == tag ? 1 : 0)
    }
}

@available(*, unavailable)
extension PageNode: Sendable {}

/// Builds `PageNode` trees out of libxml2's parse.
enum PageTree {
    /// Elements that never hold article text.
    static let ignored: Set<String> = ["script", "style", "noscript", "template", "iframe", "svg", "button", "select", "input",
                                       "textarea", "object", "embed", "canvas", "video", "audio", "map", "link", "meta", "head", "title"]
    /// Elements that hold page furniture around the article, never its text.
    static let furniture: Set<String> = ["nav", "aside", "footer", "header", "figure", "figcaption", "menu", "dialog"]

    /// The `<body>` (or the root element) as a tree, with `furniture` and, when `pruneUnlikely`,
    /// unlikely-by-class elements (`ClassHints.unlikely`) left out.
    static func build(_ doc: xmlDocPtr, pruneUnlikely: Bool) -> PageNode? {
        guard let root = xmlDocGetRootElement(doc) else { return nil }
        let start = find("body", from: root) ?? root
        let top = PageNode(name: "body", hint: hint(of: start), parent: nil)
        add(childrenOf: start, to: top, pruneUnlikely: pruneUnlikely)
        top.count()
        return top
    }

    private static func find(_ tag: String, from node: xmlNodePtr) -> xmlNodePtr? {
        if node.pointee.type == XML_ELEMENT_NODE, name(of: node) == tag { return node }
        var child = node.pointee.children
        while let c = child {
            if let found = find(tag, from: c) { return found }
            child = c.pointee.next
        }
        return nil
    }

    private static func add(childrenOf node: xmlNodePtr, to parent: PageNode, pruneUnlikely: Bool) {
        var child = node.pointee.children
        while let c = child {
            defer { child = c.pointee.next }
            switch c.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content { parent.items.append(.text(String(cString: content))) }
            case XML_ELEMENT_NODE:
                let tag = name(of: c)
                if tag == "br" { parent.items.append(.lineBreak); continue }
                if ignored.contains(tag) || furniture.contains(tag) || isHidden(c) { continue }
                let h = hint(of: c)
                if pruneUnlikely, ClassHints.isUnlikely(tag: tag, hint: h) { continue }
                let element = PageNode(name: tag, hint: h, parent: parent)
                add(childrenOf: c, to: element, pruneUnlikely: pruneUnlikely)
                parent.items.append(.element(element))
            default:
                continue
            }
        }
    }

    static func name(of node: xmlNodePtr) -> String {
        String(cString: node.pointee.name).lowercased()
    }

    static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        guard let v = xmlGetProp(node, name) else { return nil }
        defer { cxml2_free(v) }
        return String(cString: v)
    }

    private static func hint(of node: xmlNodePtr) -> String {
        [attribute("class", of: node), attribute("id", of: node)].compactMap { $0 }.joined(separator: " ").lowercased()
    }

    /// `hidden`, `aria-hidden="true"`, `display:none` or `visibility:hidden`, and ARIA roles of page furniture.
    private static func isHidden(_ node: xmlNodePtr) -> Bool {
        if xmlHasProp(node, "hidden") != nil { return true }
        if attribute("aria-hidden", of: node)?.lowercased() == "true" { return true }
        if let role = attribute("role", of: node)?.lowercased(), ["navigation", "complementary", "contentinfo", "banner", "menu", "dialog"].contains(role) {
            return true
        }
        guard let style = attribute("style", of: node)?.lowercased().filter({ !$0.isWhitespace }) else { return false }
        return style.contains("display:none") || style.contains("visibility:hidden")
    }
}
