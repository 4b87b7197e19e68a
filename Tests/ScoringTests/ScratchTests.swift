import Foundation
@testable import Scoring
import XCTest

final class ScratchTests: XCTestCase {
    func testScratch() throws {
        let model = try LlamaModel(path: Fixtures.model)
        let threads = Int(ProcessInfo.processInfo.environment["T"] ?? "2")!
        let ctx = try LlamaContext(model: model, threads: threads, contextSize: 2048, batchSize: 512, maxSequences: 32, precision: .f32)
        let batch = LlamaBatch(capacity: 2048, maxSequencesPerToken: 32)
        func tok(_ s: String) -> [Int32] { model.tokenize(s, addSpecial: true, parseSpecial: false)! }
        let b = tok("Q: What color is the sky? A: blue")
        let pb = tok("Q: What color is the sky? A:").count
        let long = tok(String(repeating: "a b c d e f g h ", count: 10))
        for n in Array(0...40) + [64, 67, 128, 131] {
            ctx.clearMemory(); batch.clear()
            if n > 0 {
                for i in 0..<n { batch.add(long[i], position: i, sequences: [1], output: false) }
                try ctx.decode(batch) { _, _ in }
                batch.clear()
            }
            for i in 0..<pb { batch.add(b[i], position: i, sequences: [3], output: i == pb - 1) }
            let o = batch.count - 1
            var lp = 0.0
            try ctx.decode(batch) { _, _ in
                let row = ctx.logits(at: o)
                lp = LogSoftmax(row, count: model.vocabSize).logprob(row, b[pb])
            }
            print("A \(n) cells used before (separate decode): \(lp)")
        }
    }
}
