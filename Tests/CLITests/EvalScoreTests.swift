import Foundation
import XCTest

/// `eval score` end to end with the real llama.cpp and the SmolLM2 model (models/, from `make setup`).
final class EvalScoreTests: XCTestCase {
    static let model = Binaries.repo + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"

    /// Counts a run's stored predictions with Python's own sqlite3 module (independent of the harness).
    func storedPredictions(_ db: String) throws -> Int {
        (try Python.json("import sqlite3,sys,json; c=sqlite3.connect(sys.argv[1]); print(json.dumps(c.execute('select count(*) from predictions').fetchone()[0]))", [db]) as? Int) ?? -1
    }

    func testCtrlCKeepsWhatWasScoredAndTheSameCommandResumes() throws {
        let w = try Workspace("eval-score")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let args = ["score", "specs/clickbait.yaml", "--model", Self.model, "--limit", "40", "--db", w.db]
        // First run: interrupt it once the first chunk of 16 items is stored. The scorer finishes and
        // stores the chunk it is on, then stops: whole chunks are kept (16 or 32 of 40, depending on
        // how far it got before the signal arrived), and the resume scores exactly the rest.
        let p = Process()
        p.executableURL = Binaries.productsDirectory.appendingPathComponent("eval")
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: w.dir)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let deadline = Date().addingTimeInterval(300)
        while p.isRunning, Date() < deadline, (try? storedPredictions(w.db)) ?? 0 < 16 { Thread.sleep(forTimeInterval: 0.2) }
        XCTAssertTrue(p.isRunning, "scoring 40 items should outlast the first chunk of 16")
        p.interrupt()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 130, message)
        let kept = try storedPredictions(w.db)
        XCTAssertTrue([16, 32].contains(kept), "whole chunks of 16, and not all 40: \(kept)")
        XCTAssertTrue(message.contains("interrupted: run-2 keeps \(kept) of 40 scored items; run the same command again to resume"), message)

        let resumed = try Binaries.run("eval", args, cwd: w.dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.hasPrefix("run-2: scored \(40 - kept) items (resumed; \(kept) were already scored)"), resumed.stdout)
        XCTAssertEqual(try storedPredictions(w.db), 40)

        let report = try Binaries.run("eval", ["report", "run-2", "--format", "json", "--db", w.db], cwd: w.dir)
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["items"] as? Int, 40)
        XCTAssertNotNil((json?["breakdowns"] as? [String: Any])?["type"], "breakdown by clickbait type, from the spec")
    }

    /// `mode: generate`: greedy answers mapped back to labels by their verbalisation, or "(other)".
    /// The mapping's rules have unit tests (EvaluationTests/AnswerMappingTests).
    func testGenerationModeMapsAnswersToLabels() throws {
        let w = try Workspace("eval-generate")
        try w.editSpec("clickbait.yaml", replacing: "  normalize: mean", with: "  mode: generate\n  max_tokens: 6")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let r = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", Self.model, "--limit", "3", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let answers = try latestAnswers(w.db)
        XCTAssertEqual(answers.count, 3)
        for a in answers {
            XCTAssertTrue(["clickbait", "normal", "(other)"].contains(a[0] as? String ?? ""), "\(a)")
            let answer = a[1] as? String
            XCTAssertNotNil(answer, "the generated text is kept with the prediction")
            // The label follows from the text: the verbalisation it contains (the spec's choices), or none.
            let says = (clickbait: answer?.contains("낚시성 기사") ?? false, normal: answer?.contains("정상 기사") ?? false)
            switch a[0] as? String {
            case "clickbait": XCTAssertTrue(says.clickbait, "\(a)")
            case "normal": XCTAssertTrue(says.normal, "\(a)")
            default: XCTAssertFalse(says.clickbait || says.normal, "an answer naming a label is not (other): \(a)")
            }
            XCTAssertFalse(answer?.contains("\u{FFFD}") ?? true, "six tokens end inside a Hangul syllable; it is dropped, not replaced: \(a)")
        }
        let md = try Binaries.run("eval", ["report", "latest", "--format", "md", "--db", w.db], cwd: w.dir)
        XCTAssertTrue(md.stdout.contains("| predicted | answer |"), "the report shows what the model said: " + md.stdout)

        // The tiny untuned model names no label when given the spec's real prompt (its answers to
        // these 3 items were " 난대", " 시중", " 제목": all "(other)"), so the checks above would pass
        // a mapping that always says "(other)". A prompt the model only has to continue makes it
        // answer with a verbalisation (" 정상 기사"), and those answers must map to `normal`.
        try w.editSpec("clickbait.yaml", replacing: #"  prompt: "{instruction}\n\n제목: {title}\n답:""#,
                       with: #"  prompt: "제목: {title}\n답: 정상 기사\n답: 정상 기사\n답: 정상 기사\n답: 정상 기사\n답:""#)
        try w.editSpec("clickbait.yaml", replacing: "  max_tokens: 6", with: "  max_tokens: 16")
        let echo = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", Self.model, "--limit", "3", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(echo.status, 0, echo.stderr)
        let echoed = try latestAnswers(w.db)
        XCTAssertEqual(echoed.count, 3)
        XCTAssertFalse(echoed.allSatisfy { $0[0] as? String == "(other)" }, "answers naming a label all mapped to (other): \(echoed)")
        for a in echoed where (a[1] as? String)?.trimmingCharacters(in: .whitespaces).hasPrefix("정상 기사") == true {
            XCTAssertEqual(a[0] as? String, "normal", "\(a)")
        }
    }

    /// In-process answers are generated side by side, unless a prompt with `max_tokens` does not fit
    /// the context: then the chunk is generated one by one, each answer stopping where the context
    /// is full (a prompt alone too long is still refused). Both ways give the same greedy answers
    /// on a prompt the model finishes in a few tokens.
    func testGenerationFallsBackToOneByOneWhenMaxTokensDoesNotFitTheContext() throws {
        let w = try Workspace("eval-generate-fallback")
        try w.editSpec("clickbait.yaml", replacing: "  normalize: mean", with: "  mode: generate\n  max_tokens: 8")
        try w.editSpec("clickbait.yaml", replacing: #"  prompt: "{instruction}\n\n제목: {title}\n답:""#,
                       with: #"  prompt: "Q: What is the capital of France? (item {id})\nA: The capital of France is""#)
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        // --ctx 64 gives llama.cpp's smallest context (256 cells): 8 new tokens fit beside the prompt.
        let args = ["score", "specs/clickbait.yaml", "--model", Self.model, "--limit", "2", "--ctx", "64", "--db", w.db]
        let together = try Binaries.run("eval", args, cwd: w.dir)
        XCTAssertEqual(together.status, 0, together.stderr)
        let batched = try latestAnswers(w.db)
        // 300 do not: generating them side by side is refused (promptTooLong), one by one is not.
        try w.editSpec("clickbait.yaml", replacing: "  max_tokens: 8", with: "  max_tokens: 300")
        let lone = try Binaries.run("eval", args, cwd: w.dir)
        XCTAssertEqual(lone.status, 0, "without the one-by-one fallback this run fails: " + lone.stderr)
        let single = try latestAnswers(w.db)
        XCTAssertEqual(single.count, 2)
        XCTAssertEqual(single.map { $0[1] as? String }, batched.map { $0[1] as? String }, "the model stops at its newline either way")
        XCTAssertTrue(single.allSatisfy { ($0[1] as? String)?.contains("Paris") == true }, "\(single)")
    }

    /// [predicted, answer] of the latest run's predictions, read with Python's sqlite3.
    func latestAnswers(_ db: String) throws -> [[Any]] {
        try Python.json("""
            import sqlite3,sys,json
            c=sqlite3.connect(sys.argv[1])
            print(json.dumps([[p, json.loads(f).get('_answer')] for p,f in c.execute('select predicted, fields from predictions where run_id=(select max(run_id) from predictions)')]))
            """, [db]) as? [[Any]] ?? []
    }

    /// `eval.fewshot`: the shared examples are recorded with the run (ids from train, one per label
    /// here), and drawing them from the split being scored is refused before anything is recorded.
    func testFewShotExamplesAreRecordedAndNeverFromTheScoredSplit() throws {
        let w = try Workspace("eval-fewshot")
        try w.editSpec("clickbait.yaml", replacing: "  show: [title]", with: "  show: [title]\n  fewshot: {k: 1, from: train, per_class: true, seed: 3}")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let r = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", Self.model, "--limit", "2", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let fewshot = try Python.json("""
            import sqlite3,sys,json
            c=sqlite3.connect(sys.argv[1])
            s=json.loads(c.execute("select settings from runs where kind='score'").fetchone()[0])['fewshot']
            train={}
            for line in open(sys.argv[2]):
                row=json.loads(line); train[row['id']]=row['label']
            print(json.dumps({'ids': s['ids'], 'labels': sorted(train[i] for i in s['ids'])}))
            """, [w.db, w.clickbaitOut + "/train.jsonl"]) as? [String: Any]
        XCTAssertEqual((fewshot?["ids"] as? [String])?.count, 2)
        XCTAssertEqual(fewshot?["labels"] as? [String], ["clickbait", "normal"], "one example per label, both from train")
        try w.editSpec("clickbait.yaml", replacing: "from: train, per_class", with: "from: valid, per_class")
        let same = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", Self.model, "--limit", "2", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(same.status, 2)
        XCTAssertTrue(same.stderr.contains("eval.fewshot: examples come from 'valid', the split being scored"), same.stderr)
    }

    func testScoringErrorsAreClear() throws {
        let w = try Workspace("eval-score-errors")
        let before = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", Self.model, "--db", w.db], cwd: w.dir)
        XCTAssertEqual(before.status, 2)
        XCTAssertEqual(before.stderr, "error: spec 'clickbait': no finished prep run; run `bin/prep run specs/clickbait.yaml` first\n")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let split = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", Self.model, "--split", "dev", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(split.status, 2)
        XCTAssertTrue(split.stderr.contains("has no split 'dev' (it has: test, train, valid); pick one with --split"), split.stderr)
        let missing = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", "nope.gguf", "--limit", "1", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nope.gguf"), missing.stderr)
    }

    /// A failed attempt before any scoring (a wrong --model path) leaves nothing in the store.
    func testAWrongModelPathRecordsNoRun() throws {
        let w = try Workspace("eval-score-no-run")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        for _ in 0..<2 {
            let r = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", "models/nope.gguf", "--limit", "2", "--db", w.db], cwd: w.dir)
            XCTAssertEqual(r.status, 2, r.stdout)
            XCTAssertTrue(r.stderr.hasPrefix("error: ") && r.stderr.contains("models/nope.gguf"), r.stderr)
        }
        let runs = try Binaries.run("eval", ["runs", "--db", w.db], cwd: w.dir)
        XCTAssertFalse(runs.stdout.contains(" score "), "no failed score runs: " + runs.stdout)
        XCTAssertTrue(runs.stdout.contains("run-1     prep"), runs.stdout)
        // The next real run is run-2, and it scores.
        let ok = try Binaries.run("eval", ["score", "specs/clickbait.yaml", "--model", Self.model, "--limit", "2", "--db", w.db], cwd: w.dir)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("run-2: scored 2 items"), ok.stdout)
    }
}
