import Foundation
import Store

/// A run store in a fresh temporary folder, removed by `cleanup()`.
struct TempStore {
    let dir: String
    var path: String { dir + "/harness.sqlite" }

    init() throws {
        dir = NSTemporaryDirectory() + "storetests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func open() throws -> RunStore { try RunStore(path: path) }

    func cleanup() { try? FileManager.default.removeItem(atPath: dir) }
}

extension SpecIdentity {
    static func demo(_ name: String = "demo") -> SpecIdentity {
        SpecIdentity(name: name, path: "specs/\(name).yaml", digest: "d-\(name)", version: 1)
    }
}
