import Foundation
import Scoring
import XCTest

/// ServerFleet on two real llama-servers (one slot each, LlamaScorer's numerics): items spread over
/// both, one killed mid-run, and the scores compared with a one-server run.
final class ServerFleetTests: XCTestCase {
    /// 24 short items with one-token choices: quick to score, several per server.
    static let items: [ChoiceItem] = (1...24).map { n in
        ChoiceItem(id: "q\(n)", prompt: "Q: Is \(n) an even number? A:", choices: [" yes", " no"])
    }

    func testAServerKilledMidRunIsDrainedToTheOtherWithIdenticalScores() throws {
        let a = try LlamaServerProcess(), b = try LlamaServerProcess()

        // Reference: server A alone. Without prompt-cache reuse every request evaluates its whole
        // prompt in one batch, so the scores do not depend on which server (or when) scored an item.
        let alone = try ServerFleet(urls: [a.url])
        alone.reusesServerCache = false
        let expected = try alone.score(Self.items)

        let fleet = try ServerFleet(urls: [a.url, b.url])
        fleet.reusesServerCache = false
        let served = try fleet.probe()
        XCTAssertTrue(served.hasPrefix("SmolLM2-135M-Instruct.Q4_1.gguf "), served)
        XCTAssertEqual(fleet.servers.map(\.concurrency), [1, 1], "the default: each llama-server's slot count (-np 1)")
        var done = 0, reports = 0
        let got = try fleet.score(Self.items) { n, _ in
            done += n
            reports += 1
            if done >= 6 { b.kill() } // deterministic enough: B has answered some items and has more to do
        }
        XCTAssertEqual(done, Self.items.count)
        XCTAssertEqual(got, expected, "the same scores, bit for bit, whichever server scored an item")
        XCTAssertEqual(got.map(\.predicted), expected.map(\.predicted))

        let (servedA, servedB) = (fleet.servers[0], fleet.servers[1])
        XCTAssertTrue(servedA.isServing)
        XCTAssertFalse(servedB.isServing)
        XCTAssertGreaterThan(servedB.finished, 0, "B scored items before it died")
        XCTAssertEqual(servedA.finished + servedB.finished, Self.items.count)
        XCTAssertTrue(servedB.failure?.contains(b.url) ?? false, servedB.failure ?? "")
        print("fleet: A scored \(servedA.finished), B scored \(servedB.finished) before it was killed; B's last error: \(servedB.failure ?? "")")

        // A later call does not go back to the dead server; when A dies too, the error names both.
        XCTAssertEqual(try fleet.score(Array(Self.items.prefix(2))), Array(expected.prefix(2)))
        a.kill()
        XCTAssertThrowsError(try fleet.score(Self.items)) { error in
            guard case let .allServersDown(failures)? = error as? FleetError else { return XCTFail("\(error)") }
            XCTAssertEqual(failures.map(\.url), [a.url, b.url])
            let message = "\(error)"
            XCTAssertTrue(message.contains("every server failed") && message.contains(a.url) && message.contains(b.url), message)
            XCTAssertTrue(message.contains("run the same command again"), message)
        }
    }

    func testAServerThatIsDownAtTheStartIsLeftOut() throws {
        let a = try LlamaServerProcess()
        let down = "http://127.0.0.1:\(try RemoteScorerTests.freePort())"
        let fleet = try ServerFleet(urls: [down, a.url, a.url + "/v1"], perServer: 2,
                                    retry: RetryPolicy(attempts: 2, initialDelay: 0.05))
        XCTAssertEqual(fleet.servers.map(\.url), [down, a.url], "duplicates are dropped")
        XCTAssertNoThrow(try fleet.probe())
        XCTAssertFalse(fleet.servers[0].isServing)
        XCTAssertTrue(fleet.servers[0].failure?.contains("nothing answers at \(down)") ?? false, fleet.servers[0].failure ?? "")
        XCTAssertEqual(fleet.servers[1].concurrency, 2, "--per-server wins over the slot count")
        let scores = try fleet.score(Array(Self.items.prefix(4)))
        XCTAssertEqual(scores.count, 4)
        XCTAssertEqual(fleet.servers[1].finished, 4)
        let answers = try fleet.generate(prompts: ["Q: The capital of France is", "Q: Ice is"], maxTokens: 4, stop: ["\n"]) { _ in }
        XCTAssertEqual(answers.count, 2)
        XCTAssertEqual(answers[0], try RemoteScorer(baseURL: a.url).generate(prompt: "Q: The capital of France is", maxTokens: 4, stop: ["\n"]))

        // An item error is the item's, not the server's: it stops the call at once.
        XCTAssertThrowsError(try fleet.score([ChoiceItem(id: "bad", prompt: "Q:", choices: [" a", ""])])) { error in
            XCTAssertEqual(error as? ScoringError, .emptyChoice(id: "bad", index: 1))
        }
        XCTAssertTrue(fleet.servers[1].isServing)
        XCTAssertThrowsError(try ServerFleet(urls: [])) { XCTAssertEqual($0 as? FleetError, .noServers) }
    }
}
