import Support
import XCTest

final class AtomicFileTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = NSTemporaryDirectory() + "atomic-\(UUID().uuidString)" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testFileAppearsOnlyOnCommit() throws {
        let path = dir + "/sub/out.jsonl"
        let f = try AtomicFile(path: path)
        try f.write("line 1\n")
        XCTAssertFalse(FileSystem.exists(path), "nothing at the final path before commit")
        try f.commit()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "line 1\n")
        XCTAssertEqual(f.digest, FileChecksum.of("line 1\n"))
    }

    func testAbortKeepsThePreviousFile() throws {
        let path = dir + "/out.txt"
        try AtomicFile.write("old", to: path)
        do {
            let f = try AtomicFile(path: path)
            try f.write("new, half written")
            f.abort()
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["out.txt"], "no temporary file left behind")
    }

    /// A deferred commit knows its digest at once and puts the file in place by `wait()`; many
    /// files sync side by side.
    func testDeferredCommitsPlaceEveryFileByWait() throws {
        let commits = DeferredCommits()
        var files: [AtomicFile] = []
        for i in 0..<8 {
            let f = try AtomicFile(path: dir + "/deferred/\(i).jsonl")
            try f.write(String(repeating: "줄 \(i)\n", count: 50_000))
            try f.commit(deferringSyncTo: commits)
            XCTAssertEqual(f.digest, FileChecksum.of(String(repeating: "줄 \(i)\n", count: 50_000)), "digest set when commit returns")
            files.append(f)
        }
        try commits.wait()
        for (i, f) in files.enumerated() {
            XCTAssertEqual(try String(contentsOfFile: f.path, encoding: .utf8), String(repeating: "줄 \(i)\n", count: 50_000))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/deferred").sorted(), (0..<8).map { "\($0).jsonl" }, "no temporary file left behind")
    }

    /// A file that cannot be renamed into place fails `wait()` with its path, and leaves no temporary file.
    func testDeferredCommitReportsAFileThatCannotBePlaced() throws {
        let commits = DeferredCommits()
        let path = dir + "/blocked/out.jsonl"
        let f = try AtomicFile(path: path)
        try f.write("x\n")
        // A folder where the file should go: rename(2) refuses to replace a directory with a file.
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        try f.commit(deferringSyncTo: commits)
        XCTAssertThrowsError(try commits.wait()) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ": "), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/blocked"), ["out.jsonl"], "the temporary file is removed")
    }

    func testLineReaderReadsLinesAcrossChunks() throws {
        let path = dir + "/lines.txt"
        let lines = (0..<20_000).map { "line \($0) 한국어" }
        try AtomicFile.write(lines.joined(separator: "\r\n"), to: path)
        let reader = try LineReader(path: path)
        var got: [String] = []
        while let l = try reader.next() { got.append(l) }
        XCTAssertEqual(got, lines)
    }
}
