import Evaluation
import Foundation
import XCTest

/// Every numeric key of a training log is kept, not a fixed list (issue 15, section 7).
final class TrainingLogKeysTests: XCTestCase {
    /// fixtures/trainer_state_custom.json: shaped like Trainer output with a `compute_metrics`
    /// that returns accuracy, macro-F1 and ROUGE-1, and TRL's SFT extras (`mean_token_accuracy`,
    /// `num_tokens`): 40 steps, logging every 5, eval every 10, then the run summary.
    static let fixture = MetricFixtures.dir + "/../trainer_state_custom.json"

    func testEveryNumericKeyOfTheLogHistoryIsASeries() throws {
        let log = try TrainingLog.read(path: Self.fixture)
        XCTAssertEqual(Set(log.keys), [
            "grad_norm", "learning_rate", "loss", "mean_token_accuracy", "num_tokens",
            "eval_accuracy", "eval_loss", "eval_macro_f1", "eval_rouge-1", "eval_runtime", "eval_samples_per_second", "eval_steps_per_second",
            "total_flos", "train_loss", "train_runtime", "train_samples_per_second", "train_steps_per_second",
        ])
        XCTAssertEqual(Array(log.keys.prefix(5)), ["grad_norm", "learning_rate", "loss", "mean_token_accuracy", "num_tokens"], "in the order the log names them")
        XCTAssertFalse(log.keys.contains("step") || log.keys.contains("epoch"), "axes, not series")
        XCTAssertEqual(log.series("loss").count, 8)
        XCTAssertEqual(log.series("eval_macro_f1").map(\.step), [10, 20, 30, 40])
        XCTAssertEqual(log.series("eval_macro_f1").map(\.value), [0.648451, 0.730915, 0.771285, 0.791047])
        XCTAssertEqual(log.series("eval_rouge-1").map(\.value), [0.32308, 0.372225, 0.393583, 0.402865])
        XCTAssertEqual(log.series("train_loss").map(\.value), [1.3470112442970277], "the summary entry")
        XCTAssertEqual(log.series("total_flos").first?.value, 1.0243415916544e15)
        XCTAssertEqual(log.points.first { $0.key == "eval_macro_f1" }?.epoch, 0.5, "epoch travels with each point")
    }

    /// Values read independently with Python's json module (every numeric key except step/epoch).
    func testMatchesPythonsReading() throws {
        let log = try TrainingLog.read(path: Self.fixture)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import json,sys
            h=json.load(open(sys.argv[1]))['log_history']
            print(json.dumps(sorted([[e['step'],k,v] for e in h for k,v in e.items() if k not in ('step','epoch') and isinstance(v,(int,float)) and not isinstance(v,bool)])))
            """, Self.fixture]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let expected = try JSONSerialization.jsonObject(with: out.fileHandleForReading.readDataToEndOfFile()) as? [[Any]] ?? []
        let got = log.points.map { [$0.step, $0.key, $0.value] as [Any] }.sorted { ($0[0] as! Double, $0[1] as! String) < ($1[0] as! Double, $1[1] as! String) }
        XCTAssertEqual(got.count, expected.count)
        for (g, e) in zip(got, expected) {
            XCTAssertEqual(g[0] as? Double, (e[0] as? NSNumber)?.doubleValue)
            XCTAssertEqual(g[1] as? String, e[1] as? String)
            XCTAssertEqual(g[2] as? Double, (e[2] as? NSNumber)?.doubleValue, "\(g)")
        }
    }

    /// Strings, booleans, nulls, nested values and non-finite numbers are not series; entries without a step are skipped.
    func testNonNumericValuesAreLeftOut() throws {
        let dir = NSTemporaryDirectory() + "log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jsonl = """
            {"step": 1, "epoch": 0.1, "loss": 2.5, "my_metric": 0.25, "note": "warmup", "flag": true, "none": null, "nested": {"a": 1}, "list": [1]}
            {"step": 2, "loss": 2.0, "my_metric": 1e-3, "eval_bleu": 12, "note": "0.5"}
            {"loss": 9.9, "eval_bleu": 99}
            """
        try jsonl.write(toFile: dir + "/a.jsonl", atomically: true, encoding: .utf8)
        let log = try TrainingLog.read(path: dir + "/a.jsonl")
        XCTAssertEqual(Set(log.keys), ["loss", "my_metric", "eval_bleu"])
        XCTAssertEqual(log.series("my_metric").map(\.value), [0.25, 0.001])
        XCTAssertEqual(log.series("eval_bleu").map(\.step), [2], "an entry without a step is left out")
        XCTAssertEqual(log.series("loss").map(\.value), [2.5, 2.0])

        // A log_history whose entries hold only axes and text has nothing to plot.
        try #"{"log_history": [{"step": 1, "epoch": 0.5, "note": "x"}]}"#.write(toFile: dir + "/empty.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainingLog.read(path: dir + "/empty.json")) { XCTAssertTrue("\($0)".contains("no entries with a step and a numeric value"), "\($0)") }
    }

    /// Python's json writes NaN and infinities bare (`"grad_norm": NaN` after an fp16 overflow):
    /// those values are left out, the rest of the entry and the file are kept.
    func testNaNAndInfinityAsPythonWritesThem() throws {
        let dir = NSTemporaryDirectory() + "log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = #"{"log_history": [{"step": 5, "loss": 2.5, "grad_norm": NaN, "note": "NaN, Infinity \" NaN"}, {"step": 10, "loss": Infinity, "eval_bleu": -Infinity, "grad_norm": 1.5}]}"#
        try state.write(toFile: dir + "/trainer_state.json", atomically: true, encoding: .utf8)
        let log = try TrainingLog.read(path: dir + "/trainer_state.json")
        XCTAssertEqual(log.series("loss").map(\.step), [5])
        XCTAssertEqual(log.series("grad_norm").map(\.step), [10])
        XCTAssertEqual(Set(log.keys), ["loss", "grad_norm"])
        try "{\"step\": 1, \"loss\": NaN, \"eval_f1\": 0.5}\n".write(toFile: dir + "/l.jsonl", atomically: true, encoding: .utf8)
        XCTAssertEqual(try TrainingLog.read(path: dir + "/l.jsonl").keys, ["eval_f1"])
    }

    /// CSV logs (Lightning's CSVLogger, a hand-written log): every numeric column, `epoch` as the axis.
    func testCSVKeepsEveryNumericColumn() throws {
        let dir = NSTemporaryDirectory() + "log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "epoch,step,train_loss_step,val_macro_f1,eval_rouge-1,tag\n0,10,2.5,,,a\n0,20,2.1,0.61,0.3,\"b, c\"\n".write(toFile: dir + "/m.csv", atomically: true, encoding: .utf8)
        let log = try TrainingLog.read(path: dir + "/m.csv")
        XCTAssertEqual(Set(log.keys), ["train_loss_step", "val_macro_f1", "eval_rouge-1"])
        XCTAssertEqual(log.series("val_macro_f1").map(\.step), [20])
        XCTAssertEqual(log.series("eval_rouge-1").map(\.value), [0.3])
        XCTAssertEqual(log.points.first?.epoch, 0)
    }

    /// The demo's fixture keeps reading as before, and now keeps its eval runtimes and summary too.
    func testTheDemoFixtureStillReads() throws {
        let log = try TrainingLog.read(path: MetricFixtures.dir + "/../trainer_state.json")
        XCTAssertEqual(log.series("loss").count, 34)
        XCTAssertEqual(log.series("eval_loss").count, 9)
        XCTAssertEqual(log.series("eval_runtime").count, 9)
        XCTAssertEqual(log.series("train_runtime").count, 1)
    }
}
