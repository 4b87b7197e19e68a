import Foundation
import XCTest

/// Runs the real `prep` and `eval` executables built beside the tests.
enum Binaries {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    struct Result { let status: Int32; let stdout: String; let stderr: String }

    /// Runs `name args` in `cwd` (default: the repository root) with progress lines off.
    static func run(_ name: String, _ args: [String], cwd: String = repo) throws -> Result {
        let p = Process()
        p.executableURL = productsDirectory.appendingPathComponent(name)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var env = ProcessInfo.processInfo.environment
        env["HARNESS_NO_PROGRESS"] = "1"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
