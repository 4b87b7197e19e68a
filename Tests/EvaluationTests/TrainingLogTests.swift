import Evaluation
import Foundation
import XCTest

final class TrainingLogTests: XCTestCase {
    static let fixture = MetricFixtures.dir + "/../trainer_state.json"  // copied from shared/fixtures

    /// shared/fixtures/trainer_state.json: a real Trainer log, 170 steps, logging every 5, eval every 20.
    func testReadsTheRealTrainerState() throws {
        let log = try TrainingLog.read(path: Self.fixture)
        XCTAssertEqual(log.series("loss").count, 34, "170 steps / logging_steps 5")
        XCTAssertEqual(log.series("eval_loss").count, 9, "eval at steps 20, 40, ..., 160 and a final one at 170")
        XCTAssertEqual(log.series("loss").first?.step, 5)
        XCTAssertEqual(log.series("loss").first!.value, 7.6050773620605465, accuracy: 1e-12)
        XCTAssertEqual(log.series("learning_rate").count, 34)
        XCTAssertEqual(log.series("train_loss").count, 1, "the final summary entry")
    }

    func testReadsJSONLAndCSV() throws {
        let dir = NSTemporaryDirectory() + "log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "{\"step\": 1, \"loss\": 2.5}\n{\"step\": 2, \"loss\": 2.0, \"eval_loss\": 2.2}\n".write(toFile: dir + "/a.jsonl", atomically: true, encoding: .utf8)
        try "step,loss,learning_rate\n1,2.5,0.001\n2,2.0,\n".write(toFile: dir + "/b.csv", atomically: true, encoding: .utf8)
        XCTAssertEqual(try TrainingLog.read(path: dir + "/a.jsonl").series("loss").map(\.value), [2.5, 2.0])
        let csv = try TrainingLog.read(path: dir + "/b.csv")
        XCTAssertEqual(csv.series("loss").map(\.step), [1, 2])
        XCTAssertEqual(csv.series("learning_rate").map(\.value), [0.001])
        try "epoch,value\n1,2\n".write(toFile: dir + "/c.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainingLog.read(path: dir + "/c.csv"))
    }

    /// Regression: the CSV reader used to split on every comma, so a quoted field holding one (a
    /// note column, a run name) shifted the row and it was silently dropped.
    func testCSVWithQuotedFieldsBOMAndCRLF() throws {
        let dir = NSTemporaryDirectory() + "log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = "\u{FEFF}step,loss,note\r\n1,2.5,plain\r\n2,2.0,\"warmup, done\"\r\n3,1.5,\"said \"\"ok\"\"\nthen stopped\"\r\n"
        try text.write(toFile: dir + "/q.csv", atomically: true, encoding: .utf8)
        let log = try TrainingLog.read(path: dir + "/q.csv")
        XCTAssertEqual(log.series("loss").map(\.step), [1, 2, 3])
        XCTAssertEqual(log.series("loss").map(\.value), [2.5, 2.0, 1.5])
        XCTAssertTrue(log.series("note").isEmpty, "text columns are not series")
        try "step,loss\n1,2.5\n2\n".write(toFile: dir + "/short.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainingLog.read(path: dir + "/short.csv")) { XCTAssertTrue("\($0)".contains("row 3 has 1 fields, the header 2"), "\($0)") }
        try "step,loss\n1,\"2.5\n".write(toFile: dir + "/open.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainingLog.read(path: dir + "/open.csv")) { XCTAssertTrue("\($0)".contains("not closed"), "\($0)") }
    }
}
