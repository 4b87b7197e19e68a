import Foundation
import Support
import Yams

/// A position in a parsed spec: a YAML node with its file and key path, and readers that
/// throw `SpecError`s pointing at the exact line and column.
///
///     let n = try root.required("sample").int("per_class", default: 1000)
public struct SpecNode: @unchecked Sendable {
    public let node: Node
    public let file: String
    public let path: String

    public init(node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }

    /// A `SpecError` located at this node.
    public func error(_ message: String) -> SpecError {
        SpecError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, key: path, message: message)
    }

    private func child(_ key: String, _ node: Node) -> SpecNode {
        SpecNode(node: node, file: file, path: path.isEmpty ? key : path + "." + key)
    }

    public var isMapping: Bool { if case .mapping = node { return true } else { return false } }
    public var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    public var isScalar: Bool { if case .scalar = node { return true } else { return false } }

    /// The mapping's keys in order. - throws: when this is not a mapping.
    public func keys() throws -> [String] {
        guard case let .mapping(m) = node else { throw error("expected a mapping of keys, found \(kind)") }
        return m.keys.compactMap(\.string)
    }

    /// Throws on a key outside `allowed`, suggesting the closest allowed key.
    public func checkKeys(_ allowed: [String]) throws {
        guard case let .mapping(m) = node else { throw error("expected a mapping of keys, found \(kind)") }
        for (k, _) in m {
            guard let name = k.string else { continue }
            if !allowed.contains(name) {
                let at = SpecNode(node: k, file: file, path: path.isEmpty ? name : path + "." + name)
                var msg = "unknown key '\(name)'"
                if let s = Suggestions.closest(to: name, among: allowed) { msg += "; did you mean '\(s)'?" }
                msg += " (allowed here: \(allowed.joined(separator: ", ")))"
                throw at.error(msg)
            }
        }
    }

    /// The child at `key`, if present.
    public func optional(_ key: String) throws -> SpecNode? {
        guard case let .mapping(m) = node else { throw error("expected a mapping with '\(key)', found \(kind)") }
        for (k, v) in m where k.string == key { return child(key, v) }
        return nil
    }

    /// The child at `key`. - throws: when it is missing.
    public func required(_ key: String, hint: String = "") throws -> SpecNode {
        guard let c = try optional(key) else {
            throw error("missing required key '\(key)'" + (hint.isEmpty ? "" : "; \(hint)"))
        }
        return c
    }

    /// The items of a sequence; a single scalar counts as a one-item list.
    public func list() throws -> [SpecNode] {
        switch node {
        case let .sequence(s): return s.enumerated().map { SpecNode(node: $1, file: file, path: "\(path)[\($0)]") }
        case .scalar: return [self]
        default: throw error("expected a list, found \(kind)")
        }
    }

    /// The (key, value) pairs of a mapping, in order.
    public func entries() throws -> [(key: String, value: SpecNode)] {
        guard case let .mapping(m) = node else { throw error("expected a mapping, found \(kind)") }
        return m.map { (k, v) in (k.string ?? "", child(k.string ?? "", v)) }
    }

    public func string() throws -> String {
        guard case let .scalar(s) = node else { throw error("expected a text value, found \(kind)") }
        return s.string
    }

    public func strings() throws -> [String] { try list().map { try $0.string() } }

    public func int() throws -> Int {
        guard case let .scalar(s) = node, let v = Int(s.string) else { throw error("expected a whole number, found \(describe)") }
        return v
    }

    public func double() throws -> Double {
        guard case let .scalar(s) = node, let v = Double(s.string) else { throw error("expected a number, found \(describe)") }
        return v
    }

    public func bool() throws -> Bool {
        guard case let .scalar(s) = node else { throw error("expected true or false, found \(kind)") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found '\(s.string)'")
        }
    }

    public func string(_ key: String, default value: String) throws -> String { try optional(key)?.string() ?? value }
    public func int(_ key: String, default value: Int) throws -> Int { try optional(key)?.int() ?? value }
    public func double(_ key: String, default value: Double) throws -> Double { try optional(key)?.double() ?? value }
    public func bool(_ key: String, default value: Bool) throws -> Bool { try optional(key)?.bool() ?? value }

    /// One of a fixed set of words, with a suggestion when misspelt.
    public func choice(_ allowed: [String]) throws -> String {
        let v = try string()
        guard allowed.contains(v) else {
            var msg = "'\(v)' is not one of \(allowed.joined(separator: ", "))"
            if let s = Suggestions.closest(to: v, among: allowed) { msg += "; did you mean '\(s)'?" }
            throw error(msg)
        }
        return v
    }

    public var kind: String {
        switch node {
        case .scalar: return "a text value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private var describe: String {
        if case let .scalar(s) = node { return "'\(s.string)'" }
        return kind
    }

    /// A canonical text of this node (keys in order, scalars quoted): the basis of cache keys.
    public var canonical: String {
        switch node {
        case let .scalar(s): return JSONQuote.quote(s.string)
        case let .sequence(seq):
            return "[" + seq.enumerated().map { SpecNode(node: $1, file: file, path: "").canonical }.joined(separator: ",") + "]"
        case let .mapping(m):
            return "{" + m.map { JSONQuote.quote($0.key.string ?? "") + ":" + SpecNode(node: $0.value, file: file, path: "").canonical }.joined(separator: ",") + "}"
        case .alias: return "null"
        }
    }
}

enum JSONQuote {
    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
