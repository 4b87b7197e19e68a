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
/// default (`Precision.f32`), and on one task per run. With llama.cpp's defaults (flash
/// attention, F16 KV cache) this model's log-probs move by up to ~0.15 nats per token depending
/// on how many tokens share a batch; and even with F32 they move by as much when a sequence's KV
/// cells start at another offset modulo 8, which is what happens to the second task of a
/// llama-perplexity batch (LlamaScorer pads items to the offset they have alone). One task per
/// run puts every task at cell 0, where the two tools compute the same thing.
final class PerplexityAgreementTests: XCTestCase {
    static let exactNumerics = ["-fa", "off", "-ctk", "f32", "-ctv", "f32"]

    /// Runs llama-perplexity on `file` with the exact numerics; returns its output.
    private func perplexity(_ mode: String, _ file: String) throws -> String {
        let (status, output) = try Fixtures.run(Fixtures.perplexity, [
            "-m", Fixtures.model, mode, "-f", file, "-t", "2", "-c", "64",
        ] + Self.exactNumerics)
        XCTAssertEqual(status, 0, output)
        return output
    }

    func testPredictionsAgreeWithLlamaPerplexityMultipleChoice() throws {
        try Fixtures.requireModel(tools: [Fixtures.perplexity])
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tasks = zip(Fixtures.items, Fixtures.gold).map { PerplexityTask(item: $0, gold: $1) }

        // The whole file: llama-perplexity reads all tasks (one accuracy line each).
        let file = dir + "/tasks.bin"
        try PerplexityTaskFile.write(tasks, to: file)
        XCTAssertEqual(try PerplexityTaskFile.read(file).map(\.item.choices), tasks.map(\.item.choices))
        XCTAssertEqual(try PerplexityTaskFile.read(file).map(\.item.prompt), tasks.map(\.item.prompt))
        XCTAssertEqual(try PerplexityTaskFile.read(file).map(\.gold), tasks.map(\.gold))
        let batched = Self.predictions(Self.runningAccuracy(try perplexity("--multiple-choice", file)), gold: Fixtures.gold)
        XCTAssertEqual(batched.count, tasks.count, "llama-perplexity did not read every task of the file")

        // One task per run: llama-perplexity's prediction for each item, computed at KV cell 0.
        var theirs: [Int] = []
        for (k, task) in tasks.enumerated() {
            let one = dir + "/task\(k).bin"
            try PerplexityTaskFile.write([task], to: one)
            theirs += Self.predictions(Self.runningAccuracy(try perplexity("--multiple-choice", one)), gold: [task.gold ?? 0])
        }

        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let ours = try scorer.score(Fixtures.items).map(\.predicted)
        print("predictions: llama-perplexity one task per run \(theirs), all tasks in one run \(batched), LlamaScorer \(ours)")
        XCTAssertEqual(ours, theirs)
    }

    func testMeanLogprobsAgreeWithLlamaPerplexityWinograndeScores() throws {
        try Fixtures.requireModel(tools: [Fixtures.perplexity])
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2)
        let scores = try scorer.score(Fixtures.items)
        var diffs: [Double] = []
        for (i, item) in Fixtures.items.enumerated() {
            let label = item.prompt.split(separator: ":")[0]
            for (c, choice) in item.choices.enumerated() {
                // llama-perplexity drops the file's final newline and then a last line without one.
                let file = dir + "/row-\(i)-\(c).csv"
                try "0,_\(choice).,\(item.prompt),\(label): none at all,1\n\n".write(toFile: file, atomically: true, encoding: .utf8)
                let theirs = Self.winograndeFirstScores(try perplexity("--winogrande", file))
                guard theirs.count == 1 else { return XCTFail("no score line for \(item.id) choice \(c)") }

                let choiceTokens = scorer.tokenize(item.prompt + choice).count - scorer.tokenize(item.prompt).count
                XCTAssertEqual(scores[i].tokens[c], choiceTokens,
                               "\(item.id): the scored tokens are not the choice's own tokens, so the Winogrande score is another quantity")
                let ours = scores[i].meanLogprob[c]
                diffs.append(abs(ours - theirs[0]))
                XCTAssertEqual(ours, theirs[0], accuracy: 1e-3, "\(item.id) choice \(c)")
            }
        }
        print("max |mean log-prob LlamaScorer - llama-perplexity --winogrande| over \(diffs.count) choices: \(diffs.max() ?? -1)")
    }

    /// Each item's predicted choice (two choices) from the running accuracy and the gold labels.
    static func predictions(_ running: [Double], gold: [Int]) -> [Int] {
        var correctSoFar = 0
        return running.enumerated().map { k, accuracy in
            let correct = Int((accuracy * Double(k + 1) / 100).rounded())
            defer { correctSoFar = correct }
            return correct > correctSoFar ? gold[k] : 1 - gold[k]
        }
    }

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
