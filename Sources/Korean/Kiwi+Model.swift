import Foundation

extension Kiwi {
    /// The environment variable that points at another model folder.
    public static let modelEnvironmentKey = "HARNESS_KIWI_MODEL"

    /// The folder of Kiwi's model that `make setup` installs: `$HARNESS_KIWI_MODEL`, else
    /// `.deps/kiwi/model` in the current folder, beside the executable (bin/prep, .build/debug/prep)
    /// or in this source tree. - throws: `KiwiError.modelNotInstalled` naming the folders tried.
    public static func installedModel(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let path = environment[modelEnvironmentKey], !path.isEmpty {
            guard isModel(path) else { throw KiwiError.modelNotInstalled(searched: [path]) }
            return path
        }
        let candidates = modelCandidates()
        guard let found = candidates.first(where: isModel) else { throw KiwiError.modelNotInstalled(searched: candidates) }
        return found
    }

    /// What a result computed with Kiwi depends on, for cache keys: Kiwi's version and the names and
    /// sizes of the model's files. - throws: `KiwiError.modelNotInstalled`.
    public static func identity(modelPath: String? = nil) throws -> String {
        let path = try modelPath ?? installedModel()
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { name -> String in
            let size = ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name))?[.size] as? Int) ?? 0
            return "\(name):\(size)"
        }
        return "kiwi \(version) model " + files.joined(separator: ",")
    }

    /// Whether Kiwi's model is installed where `installedModel()` looks.
    public static var isModelInstalled: Bool { (try? installedModel()) != nil }

    static func isModel(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/sj.morph") && FileManager.default.fileExists(atPath: folder + "/default.dict")
    }

    static func modelCandidates() -> [String] {
        let relative = ".deps/kiwi/model"
        var roots = [FileManager.default.currentDirectoryPath]
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var dir = exe.deletingLastPathComponent()
            for _ in 0..<4 { dir = dir.deletingLastPathComponent(); roots.append(dir.path) }
        }
        // Sources/Korean/Kiwi+Model.swift -> the package root.
        roots.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path)
        var seen = Set<String>()
        return roots.map { ($0 as NSString).appendingPathComponent(relative) }.filter { seen.insert($0).inserted }
    }
}
