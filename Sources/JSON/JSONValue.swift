/// A parsed JSON document that keeps object keys in their original order.
///
/// Numbers keep their source text, so `0` stays `"0"` and `1.50` stays `"1.50"` when a
/// record field is read from them: labels like `clickbaitClass: 0` map exactly.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The value under `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The scalar as text (`nil` for null, arrays and objects).
    public var scalarText: String? {
        switch self {
        case .null, .array, .object: return nil
        case let .bool(b): return b ? "true" : "false"
        case let .number(n): return n
        case let .string(s): return s
        }
    }

    /// The kind of value.
    public var kind: JSONKind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .number: return .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// A short name of the kind of value, for error messages.
    public var kindName: String { kind.name }
}

/// The six kinds of JSON value, as a `JSONValue` or a `JSONTape` node holds them.
public enum JSONKind: UInt8, Sendable {
    case null, bool, number, string, array, object

    /// A short name for error messages ("an array").
    public var name: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Whether the value holds other values (an array or an object).
    public var isContainer: Bool { self == .array || self == .object }
}
