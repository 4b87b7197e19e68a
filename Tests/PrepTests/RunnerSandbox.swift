import Foundation
import HarnessSpec
@testable import Prep
import JSON
import Store

/// Small clickbait data made by the fixture generator (60 docs, seed 1), shared by the runner tests.
enum GeneratedData {
    static let clickbait60: String = {
        do {
            let dir = try Repo.tempDir("gen60")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", Repo.path("fixtures/generate.py"), "clickbait", "--out", dir, "--docs", "60", "--seed", "1"]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            atexit { try? FileManager.default.removeItem(atPath: GeneratedData.clickbait60) }
            return p.terminationStatus == 0 ? dir : "generator-failed"
        } catch {
            return "generator-failed: \(error)"
        }
    }()
}

/// A temp folder with a run store and an output folder, running `specs/clickbait.yaml` (edited to
/// read `data` and write into the sandbox) in process.
final class RunnerSandbox {
    let dir: String
    let store: RunStore
    var out: String { dir + "/out" }

    init(_ label: String) throws {
        dir = try Repo.tempDir(label)
        store = try RunStore(path: dir + "/h.sqlite")
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// The clickbait spec reading `data`, writing to `out`, with `edit` applied to its text.
    func clickbait(data: String = GeneratedData.clickbait60, edit: (String) throws -> String = { $0 }) throws -> Spec {
        let text = try Repo.text("specs/clickbait.yaml")
            .replacingOnce("root: fixtures/aihub/clickbait", with: "root: \"\(data)\"")
            .replacingOnce("outputs: {formats:", with: "outputs: {dir: \"\(out)\", formats:")
        return try SpecLoader.parse(try edit(text), file: "clickbait.yaml")
    }

    @discardableResult
    func run(_ spec: Spec, data: String? = nil, force: Bool = false, keepStages: Bool = false) throws -> PrepRunner.Report {
        try PrepRunner(spec: spec, store: store, options: .init(dataRoot: data, force: force, progress: false, keepStages: keepStages)).run()
    }

    /// Every file under the output folder (relative path -> bytes), hidden files included.
    func snapshot() -> [String: Data] {
        var files: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(atPath: out) else { return files }
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            let path = out + "/" + rel
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                files[rel] = FileManager.default.contents(atPath: path)
            }
        }
        return files
    }

    func skipped(_ report: PrepRunner.Report) -> [Bool] { report.stages.map(\.skipped) }
}
