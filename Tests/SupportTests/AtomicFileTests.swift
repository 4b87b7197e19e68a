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
        XCTAssertEqual(f.digest, SHA256.hex("line 1\n"))
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
