import Foundation
@testable import Store
import JSON
import XCTest

/// A run still marked `running` whose process is gone reads as `interrupted` (found by the crash
/// tests: a SIGKILLed run used to show as running forever).
final class RunProcessTests: XCTestCase {
    func testARunWhoseProcessIsGoneIsInterruptedAndALiveOneRunning() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let store = try t.open()
        let live = try store.beginRun(kind: .prep, spec: .demo())
        XCTAssertEqual(try store.run(live).status, .running, "this process is alive")

        // The same pid started at another time (a reused pid), another boot, and a pid that is gone.
        let me = try XCTUnwrap(RunProcess.current()["pid"]?.scalarText)
        let boot = try XCTUnwrap(RunProcess.bootID())
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let cases: [(String, String)] = [
            ("reused pid", #"{"process":{"pid":\#(me),"boot_id":"\#(boot)","start_ticks":1}}"#),
            ("rebooted", #"{"process":{"pid":\#(me),"boot_id":"00000000-0000-0000-0000-000000000000","start_ticks":1}}"#),
            ("gone", #"{"process":{"pid":\#(dead.processIdentifier),"boot_id":"\#(boot)","start_ticks":1}}"#),
        ]
        for (what, summary) in cases {
            let id = try store.beginRun(kind: .prep, spec: .demo())
            try store.db.execute("UPDATE runs SET summary = ? WHERE id = ?", [.text(summary), .int(Int64(id))])
            XCTAssertEqual(try store.run(id).status, .interrupted, what)
        }
        // Runs of older versions recorded no process: they stay as stored.
        let old = try store.beginRun(kind: .prep, spec: .demo())
        try store.db.execute("UPDATE runs SET summary = '{}' WHERE id = ?", [.int(Int64(old))])
        XCTAssertEqual(try store.run(old).status, .running)
        // A finished run is whatever it finished as.
        try store.finishRun(live, status: .done, seconds: 1)
        XCTAssertEqual(try store.run(live).status, .done)
    }
}
