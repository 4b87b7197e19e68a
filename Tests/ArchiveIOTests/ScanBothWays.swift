import ArchiveIO
import XCTest

extension ArchiveScanner {
    /// Scans as `scan(_:)` does, and again deferring (members of plain zips inflated by `PendingEntry.load`,
    /// read again through libarchive when that fails, as the ingest does): both must give the same
    /// entries, bytes and error. Calls `body` with the plain scan's entries; throws its error.
    func scanBothWays(file: StaticString = #filePath, line: UInt = #line, _ body: (ArchiveEntry) -> Void) throws {
        func read(_ deferring: Bool) -> (entries: [ArchiveEntry], error: (any Error)?) {
            var entries: [ArchiveEntry] = []
            do {
                if deferring {
                    try scan(deferring: true) { entries.append(try reread($0)) }
                } else {
                    try scan { entries.append($0) }
                }
                return (entries, nil)
            } catch { return (entries, error) }
        }
        let plain = read(false), deferred = read(true)
        XCTAssertEqual(deferred.entries.map(\.location), plain.entries.map(\.location), "deferred scan: entries", file: file, line: line)
        XCTAssertEqual(deferred.entries.map(\.data), plain.entries.map(\.data), "deferred scan: bytes", file: file, line: line)
        XCTAssertEqual(deferred.error.map { "\($0)" }, plain.error.map { "\($0)" }, "deferred scan: error", file: file, line: line)
        plain.entries.forEach(body)
        if let error = plain.error { throw error }
    }
}
