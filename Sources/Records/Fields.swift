/// A record's named text fields, with the lookups of a `[String: String]` (a nil value is an absent
/// field) but stored by position: the names in one array that every record of a stage shares (a
/// record copies it only when it gains a field of its own), the values beside them.
///
/// Against a dictionary per row this saves about half a kilobyte per record (its hash table) and a
/// hash of the name on every lookup: a few names are compared instead, which for short ASCII names
/// is a compare of two words.
public struct Fields: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// Every name with a slot, present or not; shared between records made from the same columns.
    @inlinable public var names: [String] { _names }
    /// The value of each name, nil where the field is absent.
    @inlinable public var slots: [String?] { _slots }
    @usableFromInline var _names: [String]
    @usableFromInline var _slots: [String?]

    @inlinable public init() {
        _names = []
        _slots = []
    }

    /// Fields named `names` (each once) with `values` in the same order; nil values are absent fields.
    @inlinable public init(names: [String], values: [String?]) {
        precondition(names.count == values.count, "one value per name")
        _names = names
        _slots = values
    }

    /// The dictionary's fields, in the order of their names.
    public init(_ dictionary: [String: String]) {
        _names = dictionary.keys.sorted()
        _slots = _names.map { dictionary[$0] }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init()
        for (name, value) in elements { self[name] = value }
    }

    @inlinable func slot(_ name: String) -> Int? {
        // The names looked up are mostly the very strings the columns hold (a spec's names, small
        // strings equal in every bit): a pass by identity first, and by value only when it fails
        // (comparing the name with each column's text first was a tenth of the lookups' callers).
        let same = _names.withUnsafeBufferPointer { names in names.firstIndex { $0._isIdentical(to: name) } }
        return same ?? _names.firstIndex(of: name)
    }

    @inlinable public subscript(name: String) -> String? {
        get {
            guard let i = slot(name) else { return nil }
            return _slots[i]
        }
        set {
            if let i = slot(name) {
                _slots[i] = newValue
            } else if let newValue {
                _names.append(name)
                _slots.append(newValue)
            }
        }
    }

    @inlinable public subscript(name: String, default fallback: @autoclosure () -> String) -> String {
        self[name] ?? fallback()
    }

    /// How many fields are present.
    public var count: Int { _slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
    public var isEmpty: Bool { !_slots.contains { $0 != nil } }
    /// The names of the present fields.
    public var keys: [String] { zip(_names, _slots).compactMap { $1 == nil ? nil : $0 } }
    /// The present fields as a dictionary.
    public var dictionary: [String: String] {
        var d = [String: String](minimumCapacity: _names.count)
        for (name, value) in self { d[name] = value }
        return d
    }

    /// Names after `from` gains the fields `added`: what `adding(_:as:)` takes, made once per stage
    /// so that every record it extends shares the new names. Nil when `from` already has one of them.
    public static func layout(from names: [String], adding added: [String]) -> (from: [String], to: [String])? {
        added.contains(where: names.contains) ? nil : (names, names + added)
    }

    /// These fields with `values` set for the names `layout.to` adds to `layout.from`. Records with
    /// the names `layout.from` come out sharing `layout.to`; others gain the fields one by one.
    public func adding(_ values: [String?], as layout: (from: [String], to: [String])) -> Fields {
        precondition(values.count == layout.to.count - layout.from.count, "one value per added name")
        if _names == layout.from { return Fields(names: layout.to, values: _slots + values) }
        var out = self
        for (name, value) in zip(layout.to[layout.from.count...], values) { out[name] = value }
        return out
    }

    /// The present fields that `isIncluded` keeps, as `Dictionary.filter` gives a dictionary.
    public func filter(_ isIncluded: ((key: String, value: String)) throws -> Bool) rethrows -> Fields {
        var kept = Fields()
        for field in self where try isIncluded(field) { kept[field.key] = field.value }
        return kept
    }

    /// Removes the field; returns its value, nil if it was absent.
    @discardableResult public mutating func removeValue(forKey name: String) -> String? {
        guard let i = slot(name), let old = _slots[i] else { return nil }
        _slots[i] = nil
        return old
    }

    public struct Iterator: IteratorProtocol {
        let fields: Fields
        var i = 0
        public mutating func next() -> (key: String, value: String)? {
            while i < fields._names.count {
                defer { i += 1 }
                if let value = fields._slots[i] { return (fields._names[i], value) }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(fields: self) }

    /// Equal when the same fields are present with the same values, whatever their order.
    public static func == (a: Fields, b: Fields) -> Bool {
        if a._names == b._names { return a._slots == b._slots }
        guard a.count == b.count else { return false }
        return a.allSatisfy { b[$0.key] == $0.value }
    }

    public var description: String { dictionary.description }
}
