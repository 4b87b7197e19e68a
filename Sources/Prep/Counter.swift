/// Counts by key, remembering the order in which keys were first seen (for stable summaries).
struct Counter {
    private(set) var items: [(key: String, count: Int)] = []
    private var index: [String: Int] = [:]

    mutating func add(_ key: String, _ n: Int = 1) {
        if let i = index[key] { items[i].count += n } else { index[key] = items.count; items.append((key, n)) }
    }

    subscript(key: String) -> Int { index[key].map { items[$0].count } ?? 0 }
}
