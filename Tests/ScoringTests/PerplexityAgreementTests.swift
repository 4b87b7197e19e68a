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
/// Both numerics are checked, each against llama-perplexity run with the same numerics:
/// `.exact` against `-fa off -ctk f32 -ctv f32`, `.standard` against llama-perplexity's defaults
/// (F16 KV cache, flash attention). Under the same numerics the numbers agree only when the same
/// kernels see the same KV-cell layout: with F32 and no flash attention llama.cpp sums over cells
/// in aligned groups of 8 (see `BatchLayout`); with flash attention a micro-batch of 64 tokens or
/// more takes the tiled kernel, which sums in tiles of 64 cells, a smaller one the row kernel,
/// which accumulates in F16. This model turns such last-bit differences into log-prob changes of
/// up to ~0.2 nats, so:
/// - multiple choice: one llama-perplexity run per task (predictions), plus one run of the whole
///   file (format); LlamaScorer packs as it does in production, and predictions must be equal;
/// - Winogrande: the scored sequence is contiguous from cell 0 on both sides. `.exact` gives every
///   choice the numbers of its sequence alone from cell 0, so the items are scored as they are in
///   production. `.standard` does not, so each (item, choice) is scored alone as the first choice
///   of an item whose second choice is long filler text, so that the micro-batch, like
///   llama-perplexity's row, takes the tiled kernel. The second option of each row gets filler
///   text (it does not enter the first score) so that two rows never fit in one 256-token batch
///   and every row starts at cell 0.
final class PerplexityAgreementTests: XCTestCase {
    static let exactNumerics = ["-fa", "off", "-ctk", "f32", "-ctv", "f32"]
    /// `-c 64` with llama-perplexity's minimum of 4 sequences: 256 KV cells per batch.
    static let batchCells = 256

    /// Runs llama-perplexity on `file` with `numerics` and `lora` (its `--lora FILE` at scale 1,
    /// `--lora-scaled FILE:SCALE` otherwise); returns its output.
    static func perplexity(_ mode: String, _ file: String, _ numerics: LlamaScorer.Numerics, lora: [LoraAdapter] = []) throws -> String {
        let adapters = lora.flatMap { $0.scale == 1 ? ["--lora", $0.path] : ["--lora-scaled", "\($0.path):\($0.scale)"] }
        let (status, output) = try Fixtures.run(Fixtures.perplexity, [
            "-m", Fixtures.model, mode, "-f", file, "-t", "2", "-c", "64",
        ] + (numerics == .exact ? Self.exactNumerics : []) + adapters)
        XCTAssertEqual(status, 0, output)
        return output
    }

    func testExactPredictionsAgreeWithLlamaPerplexityMultipleChoice() throws {
        try Self.predictionsAgree(.exact)
    }

    func testDefaultPredictionsAgreeWithLlamaPerplexityMultipleChoice() throws {
        try Self.predictionsAgree(.standard)
    }

    func testExactMeanLogprobsAgreeWithLlamaPerplexityWinograndeScores() throws {
        try Self.meanLogprobsAgree(.exact)
    }

    func testDefaultMeanLogprobsAgreeWithLlamaPerplexityWinograndeScores() throws {
        try Self.meanLogprobsAgree(.standard)
    }

    /// LlamaScorer's predictions equal llama-perplexity's (one task per run), both with `lora`;
    /// returns them.
    @discardableResult
    static func predictionsAgree(_ numerics: LlamaScorer.Numerics, lora: [LoraAdapter] = []) throws -> [Int] {
        try Fixtures.requireModel(tools: [Fixtures.perplexity])
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tasks = zip(Fixtures.items, Fixtures.gold).map { PerplexityTask(item: $0, gold: $1) }
        let file = dir + "/tasks.bin"
        try PerplexityTaskFile.write(tasks, to: file)
        XCTAssertEqual(try PerplexityTaskFile.read(file).map(\.item.choices), tasks.map(\.item.choices))
        XCTAssertEqual(try PerplexityTaskFile.read(file).map(\.item.prompt), tasks.map(\.item.prompt))
        XCTAssertEqual(try PerplexityTaskFile.read(file).map(\.gold), tasks.map(\.gold))

        // The whole file in one run: llama-perplexity reads every task (one accuracy line each),
        // but packs two tasks per batch, so the second of each pair is computed at another offset.
        let packed = Self.runningAccuracy(try perplexity("--multiple-choice", file, numerics, lora: lora))
        XCTAssertEqual(packed.count, tasks.count, "llama-perplexity did not read every task of the file")

        // One task per run: each task at KV cell 0.
        var theirs: [Int] = []
        for (k, task) in tasks.enumerated() {
            let one = dir + "/task\(k).bin"
            try PerplexityTaskFile.write([task], to: one)
            let running = Self.runningAccuracy(try perplexity("--multiple-choice", one, numerics, lora: lora))
            XCTAssertEqual(running.count, 1)
            theirs += Self.predictions(running, gold: [task.gold ?? 0])
        }
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: numerics, adapters: lora)
        let ours = try scorer.score(Fixtures.items).map(\.predicted)
        print("\(numerics)\(lora.map { " LoRA \($0)" }.joined()) predictions: llama-perplexity one task per run \(theirs), all in one run \(Self.predictions(packed, gold: Fixtures.gold)), LlamaScorer \(ours)")
        XCTAssertEqual(ours, theirs)
        return ours
    }

    /// Every choice's mean log-prob from LlamaScorer equals llama-perplexity's Winogrande score
    /// within 1e-3, both with `lora`; returns LlamaScorer's scores.
    @discardableResult
    static func meanLogprobsAgree(_ numerics: LlamaScorer.Numerics, lora: [LoraAdapter] = []) throws -> [ChoiceScore] {
        try Fixtures.requireModel(tools: [Fixtures.perplexity])
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scorer = try LlamaScorer(modelPath: Fixtures.model, threads: 2, numerics: numerics, adapters: lora)
        let filler = String(repeating: " and so on", count: 40)
        var scores = try scorer.score(Fixtures.items)
        if numerics == .standard {
            scorer.options = LlamaScorer.Options(cacheSharedPrefix: false, maxItemsPerBatch: 1)
            scores = try Fixtures.items.map { item in
                let alone = try item.choices.map { choice in
                    try scorer.score([ChoiceItem(id: item.id, prompt: item.prompt, choices: [choice, " none at all" + filler])])[0]
                }
                return ChoiceScore(logprob: alone.map { $0.logprob[0] }, tokens: alone.map { $0.tokens[0] }, bytes: alone.map { $0.bytes[0] })
            }
        }
        var csv = ""
        var rows: [(item: Int, choice: Int)] = []
        for (i, item) in Fixtures.items.enumerated() {
            let other = item.prompt.split(separator: ":")[0] + ": none at all" + filler
            for (c, choice) in item.choices.enumerated() {
                csv += "\(rows.count),_\(choice).,\(item.prompt),\(other),1\n"
                rows.append((i, c))
                // One row per batch: its two sequences need more than half of the batch's cells.
                let first = scorer.tokenize(item.prompt + choice + "."), second = scorer.tokenize(other + choice + ".")
                let shared = zip(first, second).prefix { $0 == $1 }.count
                let required = first.count + second.count - shared
                XCTAssertTrue(required > Self.batchCells / 2 && required <= Self.batchCells, "row \(rows.count) needs \(required) cells")
            }
        }
        // llama-perplexity drops the file's final newline and then a last line without one.
        let file = dir + "/rows.csv"
        try (csv + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let theirs = Self.winograndeFirstScores(try perplexity("--winogrande", file, numerics, lora: lora))
        XCTAssertEqual(theirs.count, rows.count, "expected one score line per row")

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
        print("\(numerics)\(lora.map { " LoRA \($0)" }.joined()): max |mean log-prob LlamaScorer - llama-perplexity --winogrande| over \(diffs.count) choices: \(diffs.max() ?? -1)")
        return scores
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
