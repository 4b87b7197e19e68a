import Foundation
import Scoring
import XCTest

/// LlamaScorer against llama.cpp's own tool, .deps/llama/bin/llama-perplexity, on the same model.
///
/// `--multiple-choice` prints only the running accuracy after each task ("task\tacc_norm" then
/// "N\tACC"), never a log-probability (the per-choice LOG lines in `multiple_choice_score` are
/// commented out). From the running accuracy and the gold labels we recover, for every item,
/// whether it was predicted correctly, hence (two choices) which choice it predicted.
///
/// For numbers, `--winogrande` prints each task's two scores ("%10.6f"). A Winogrande task
/// "_ choice." with options (prompt, other) and skip-choice active scores exactly the tokens of
/// `choice` after `prompt` (its final "." is not scored) and prints their mean log-probability:
/// the same quantity as `ChoiceScore.meanLogprob` when the item's common prefix is the prompt's
/// tokens. One row per (item, choice) gives every mean log-prob from llama.cpp's own code.
///
/// llama-perplexity runs with `-fa off -ctk f32 -ctv f32`, the numerics `LlamaScorer` uses by
/// default (`Precision.f32`). With llama.cpp's defaults (flash attention, F16 KV cache) this
/// model's log-probs move by up to ~0.15 nats per token depending on how many tokens share a
/// batch — llama-perplexity's own numbers for one row change when other rows are added — so no
/// tool could agree with it to 1e-3 there.
final class PerplexityAgreementTests: XCTestCase {
    func testPredictionsAgreeWithLlamaPerplexityMultipleChoice() throws {
        try Fixtures.requireModel(tools: [Fixtures.perplexity])
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tasks = zip(Fixtures.items, Fixtures.gold).map { PerplexityTask(item: $0, gold: $1) }
        let file = dir + "/tasks.bin"
        try PerplexityTaskFile.write(tasks, to: file)
        XCTAssertEqual(try PerplexityTaskFile.read(file).map(\.item.choices), tasks.map(\.item.choices))
        XCTAssertEqual(try PerplexityTaskFile.read(file).map(\.item.prompt), tasks.map(\.item.prompt))

        let (status, output) = try Fixtures.run(Fixtures.perplexity, [
            "-m", Fixtures.model, "--multiple-choice", "-f", file, "-t", "2", "-c", "512",
        ] + Self.exactNumerics)
        XCTAssertEqual(status, 0, output)
        let running = Self.runningAccuracy(output)
        XCTAssertEqual(running.count, tasks.count, "expected one accuracy line per task in:\n\(output)")

        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let scores = try scorer.score(Fixtures.items)
        var correctSoFar = 0
        var theirs: [Int] = []
        for (k, accuracy) in running.enumerated() {
            let correct = Int((accuracy * Double(k + 1) / 100).rounded())
            let wasCorrect = correct > correctSoFar
            correctSoFar = correct
            theirs.append(wasCorrect ? Fixtures.gold[k] : 1 - Fixtures.gold[k])
        }
        let ours = scores.map(\.predicted)
        print("llama-perplexity predictions \(theirs), LlamaScorer \(ours)")
        XCTAssertEqual(ours, theirs)
        let ourAccuracy = 100 * Double(zip(ours, Fixtures.gold).filter { $0 == $1 }.count) / Double(ours.count)
        XCTAssertEqual(ourAccuracy, running.last ?? -1, accuracy: 1e-6)
    }

    func testMeanLogprobsAgreeWithLlamaPerplexityWinograndeScores() throws {
        try Fixtures.requireModel(tools: [Fixtures.perplexity])
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var csv = ""
        var rows: [(item: Int, choice: Int)] = []
        for (i, item) in Fixtures.items.enumerated() {
            let label = item.prompt.split(separator: ":")[0]
            for (c, choice) in item.choices.enumerated() {
                csv += "\(rows.count),_\(choice).,\(item.prompt),\(label): none at all,1\n"
                rows.append((i, c))
            }
        }
        // llama-perplexity drops the file's final newline and then the last line without one.
        let file = dir + "/rows.csv"
        try (csv + "\n").write(toFile: file, atomically: true, encoding: .utf8)

        let (status, output) = try Fixtures.run(Fixtures.perplexity, [
            "-m", Fixtures.model, "--winogrande", "-f", file, "-t", "2", "-c", "512",
        ] + Self.exactNumerics)
        XCTAssertEqual(status, 0, output)
        let theirs = Self.winograndeFirstScores(output)
        XCTAssertEqual(theirs.count, rows.count, "expected one score line per row in:\n\(output)")

        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let scores = try scorer.score(Fixtures.items)
        var diffs: [Double] = []
        for (k, row) in rows.enumerated() where k < theirs.count {
            let item = Fixtures.items[row.item]
            let choiceTokens = scorer.tokenize(item.prompt + item.choices[row.choice]).count - scorer.tokenize(item.prompt).count
            XCTAssertEqual(scores[row.item].tokens[row.choice], choiceTokens,
                           "\(item.id): the scored tokens are not the choice's own tokens, so the Winogrande score is another quantity")
            let ours = scores[row.item].meanLogprob[row.choice]
            diffs.append(abs(ours - theirs[k]))
            XCTAssertEqual(ours, theirs[k], accuracy: 1e-3, "\(item.id) choice \(row.choice)")
        }
        print("max |mean log-prob LlamaScorer - llama-perplexity| over \(diffs.count) choices: \(diffs.max() ?? -1)")
    }

    static let exactNumerics = ["-fa", "off", "-ctk", "f32", "-ctv", "f32"]

    /// The running accuracies printed after "task\tacc_norm".
    static func runningAccuracy(_ output: String) -> [Double] {
        guard let header = output.range(of: "task\tacc_norm\n") else { return [] }
        var values: [Double] = []
        for line in output[header.upperBound...].split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2, Int(fields[0]) == values.count + 1, let acc = Double(fields[1]) else { break }
            values.append(acc)
        }
        return values
    }

    /// The first score of each Winogrande line "N\tACC\tSCORE1  SCORE2  RESULT  ANSWER".
    static func winograndeFirstScores(_ output: String) -> [Double] {
        var values: [Double] = []
        for line in output.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count == 6, Int(fields[0]) == values.count + 1, let score = Double(fields[2]) else { continue }
            values.append(score)
        }
        return values
    }
}
