import Foundation
import HarnessSpec
@testable import Prep
import JSON
import Store

/// Clickbait data made by the fixture generator, shared by the runner tests.
enum GeneratedData {
    /// 60 documents, seed 1.
    static let clickbait60 = clickbait(docs: 60, seed: 1)

    /// `docs` documents from `seed` in a temp folder removed at exit ("generator-failed..." when the
    /// generator did not run, which the runs then report).
    static func clickbait(docs: Int, seed: Int) -> String {
        do {
            let dir = try Repo.tempDir("gen\(docs)")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", Repo.path("fixtures/generate.py"), "clickbait", "--out", dir, "--docs", String(docs), "--seed", String(seed)]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            made.append(dir)
            if made.count == 1 { atexit { for dir in GeneratedData.made { try? FileManager.default.removeItem(atPath: dir) } } }
            return p.terminationStatus == 0 ? dir : "generator-failed"
        } catch {
            return "generator-failed: \(error)"
        }
    }

    /// The folders made so far, removed at exit.
    nonisolated(unsafe) private static var made: [String] = []
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
