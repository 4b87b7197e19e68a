import Foundation

/// Makes test archives with the real tools (zip, tar, python3's zipfile), in a fresh folder.
struct Workbench {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "harness-archive-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs a bash script in the work folder; fails the test on a non-zero exit.
    @discardableResult
    func sh(_ script: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-euo", "pipefail", "-c", script]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if p.terminationStatus != 0 { throw NSError(domain: "sh", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: text]) }
        return text
    }

    /// Writes small label-like JSON files `name` -> `{"id": name}` into `folder`.
    func jsonFiles(_ names: [String], in folder: String = "src") throws {
        try FileManager.default.createDirectory(atPath: dir + "/" + folder, withIntermediateDirectories: true)
        for n in names {
            try Data("{\"id\": \"\(n)\"}".utf8).write(to: URL(fileURLWithPath: "\(dir)/\(folder)/\(n)"))
        }
    }
}
