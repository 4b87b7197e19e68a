import Foundation
import HarnessSpec
import JSON
@testable import Prep
import Records

/// Builds stages the way `prep` does, from spec YAML, and records to feed them.
enum StageHarness {
    /// The record fields of the small specs used by the stage tests.
    static let fields = """
      id: id
      title: title
      body: body
      label: label
      type: type
      subtitle: {path: subtitle, optional: true}
      keep: {path: keep, optional: true}
    """

    static func spec(stages: String, record: String = fields, nulls: String = "[\"\", \"null\", \"NULL\", \"None\"]") throws -> Spec {
        try SpecLoader.parse("name: t\nsource: {root: data}\nrecord:\n\(record)\nnulls: \(nulls)\nstages:\n\(stages)\n", file: "t.yaml")
    }

    /// The stage at `index` of a spec whose `stages:` list is `stages` (YAML list items).
    static func stage(_ stages: String, at index: Int = 0, record: String = fields) throws -> any Stage {
        let s = try spec(stages: stages, record: record)
        return try StageRegistry.make(s.stages[index], spec: s)
    }

    /// The stage at `index`, as the concrete type `T`. - throws: the spec or stage error, unchanged.
    static func stage<T>(_ stages: String, at index: Int = 0, record: String = fields, as type: T.Type) throws -> T {
        let s = try stage(stages, at: index, record: record)
        guard let t = s as? T else { throw NSError(domain: "PrepTests", code: 2, userInfo: [NSLocalizedDescriptionKey: "not a \(T.self): \(s)"]) }
        return t
    }

    static func record(_ id: String?, split: String? = "train", _ fields: [String: String] = [:]) -> Record {
        var f = fields
        if let id { f["id"] = id }
        return Record(fields: Fields(f), split: split, archive: "a.zip", entry: "\(id ?? "x").json")
    }

    static func removed(_ r: StageResult, _ reason: String) -> Int {
        r.removed.first(where: { $0.reason == reason })?.count ?? 0
    }

    static func totalRemoved(_ r: StageResult) -> Int { r.removed.reduce(0) { $0 + $1.count } }

    static func detail(_ r: StageResult, _ key: String) -> JSONValue? { r.details.first(where: { $0.key == key })?.value }
}

/// Paths in the repository.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static func path(_ relative: String) -> String { root + "/" + relative }

    static func text(_ relative: String) throws -> String { try String(contentsOfFile: path(relative), encoding: .utf8) }

    static func tempDir(_ label: String) throws -> String {
        let dir = NSTemporaryDirectory() + "preptests-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

extension String {
    /// This text with `target` replaced once. - throws: when `target` does not occur (the spec file changed).
    func replacingOnce(_ target: String, with replacement: String) throws -> String {
        guard let r = range(of: target) else {
            throw NSError(domain: "PrepTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "text to replace not found: \(target)"])
        }
        return replacingCharacters(in: r, with: replacement)
    }
}
