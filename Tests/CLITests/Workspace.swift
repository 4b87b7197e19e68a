import Foundation
import XCTest

/// A temporary working folder for running `prep` as a user would: `specs/` copied from the
/// repository (so a test may edit its copy), `fixtures/` as a symlink, and a private run store.
final class Workspace {
    let dir: String
    var db: String { dir + "/h.sqlite" }
    /// The clickbait spec's default output folder, relative to the workspace.
    var clickbaitOut: String { dir + "/out/clickbait" }

    init(_ label: String) throws {
        dir = NSTemporaryDirectory() + "clitests-\(label)-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/specs", withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: Binaries.repo + "/specs") where name.hasSuffix(".yaml") {
            try fm.copyItem(atPath: Binaries.repo + "/specs/" + name, toPath: dir + "/specs/" + name)
        }
        try fm.createSymbolicLink(atPath: dir + "/fixtures", withDestinationPath: Binaries.repo + "/fixtures")
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs `prep args... --db <private store>` in this folder.
    func prep(_ args: [String]) throws -> Binaries.Result {
        try Binaries.run("prep", args + ["--db", db], cwd: dir)
    }

    /// Rewrites `specs/<name>` in this workspace. - throws: when `target` is not in the spec.
    func editSpec(_ name: String, replacing target: String, with replacement: String) throws {
        let path = dir + "/specs/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let r = text.range(of: target) else {
            throw NSError(domain: "CLITests", code: 1, userInfo: [NSLocalizedDescriptionKey: "'\(target)' not in \(name)"])
        }
        try text.replacingCharacters(in: r, with: replacement).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Every file under `sub` (relative path -> bytes), hidden files included.
    func snapshot(_ sub: String = "out") -> [String: Data] {
        var files: [String: Data] = [:]
        let root = dir + "/" + sub
        guard let e = FileManager.default.enumerator(atPath: root) else { return files }
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                files[rel] = FileManager.default.contents(atPath: root + "/" + rel)
            }
        }
        return files
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: dir + "/" + relative) }

    /// The JSON objects of a JSONL file (parsed with Foundation, not with the harness's parser).
    static func jsonl(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            guard let o = try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] else {
                throw NSError(domain: "CLITests", code: 2, userInfo: [NSLocalizedDescriptionKey: "not an object: \($0)"])
            }
            return o
        }
    }
}

/// Runs python3 (standard library only) for independent checks of fixtures and outputs.
enum Python {
    /// Runs `script` with `args`; returns what it printed as JSON. - throws: when python fails.
    static func json(_ script: String, _ args: [String] = []) throws -> Any {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "CLITests", code: 3, userInfo: [NSLocalizedDescriptionKey: "python3 failed: " + String(decoding: e, as: UTF8.self)])
        }
        return try JSONSerialization.jsonObject(with: o, options: .fragmentsAllowed)
    }

    static func run(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
