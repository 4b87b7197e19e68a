import Foundation
@testable import Scoring
import XCTest

/// Paths and items shared by the scoring tests (real llama.cpp, real model).
enum Fixtures {
    /// The repository root, found from this file's path (Tests/ScoringTests/Fixtures.swift).
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let model = root + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let perplexity = root + "/.deps/llama/bin/llama-perplexity"
    static let server = root + "/.deps/llama/bin/llama-server"

    /// Whether a llama-server at `url` answers `GET /health` with ok (through HTTPClient: the
    /// test binaries do not link URLSession, so `Data(contentsOf:)` cannot fetch an http URL).
    static func healthy(_ url: String) -> Bool {
        guard let client = try? HTTPClient(base: url, timeout: 2, retry: RetryPolicy(attempts: 1)),
              let answer = try? client.get("/health") else { return false }
        return answer.status == 200 && answer.body.contains("ok")
    }

    /// Skips the test when `make setup` has not fetched the model or built the tools.
    static func requireModel(tools: [String] = []) throws {
        for path in [model] + tools where !FileManager.default.fileExists(atPath: path) {
            throw XCTSkip("\(path) is missing; run `make setup`")
        }
    }

    /// Eight short items, four Korean clickbait titles and four English questions. Every prompt
    /// starts with a label and a colon and has no comma, underscore or newline, so that the same
    /// items can also be written as llama-perplexity Winogrande rows; the two choices of each item
    /// differ from their first token on.
    static let items: [ChoiceItem] = {
        let korean = ["충격 이 사진 보면", "정부 예산안 발표", "경악 연예인 근황", "서울 내일 비"]
        let english: [(String, [String])] = [
            ("Q: What color is the sky? A:", [" blue", " green"]),
            ("Q: The capital of France is", [" Paris", " London"]),
            ("Q: Cats are", [" animals", " vegetables"]),
            ("Q: Ice is", [" cold", " hot"]),
        ]
        var items = korean.enumerated().map { i, title in
            ChoiceItem(id: "ko\(i + 1)", prompt: "제목: \(title) 분류:", choices: [" 낚시성 기사", " 정상 기사"])
        }
        items += english.enumerated().map { i, pair in ChoiceItem(id: "en\(i + 1)", prompt: pair.0, choices: pair.1) }
        return items
    }()

    /// Gold labels for `items` (only used to exercise accuracy bookkeeping).
    static let gold = [0, 1, 0, 1, 0, 0, 0, 0]

    /// Items that share an instruction, with different lengths and 1 to 3 choices.
    static let instructed: [ChoiceItem] = {
        let instruction = "다음 뉴스 제목을 분류하세요.\n\n"
        let clickbait = [" 낚시성 기사", " 정상 기사"]
        return [
            ChoiceItem(id: "t1", prompt: instruction + "제목: 충격 이 사진 보면\n분류:", choices: clickbait),
            ChoiceItem(id: "t2", prompt: instruction + "제목: 비\n분류:", choices: clickbait),
            ChoiceItem(id: "t3", prompt: instruction + "제목: 국회 법안 통과 일정 공개\n분류:", choices: [" 정상 기사"]),
            ChoiceItem(id: "t4", prompt: instruction + "Title: Stocks rise\nLabel:", choices: [" news", " bait", " neither of them"]),
            ChoiceItem(id: "t5", prompt: instruction + "제목: 경악\n분류:", choices: clickbait),
        ]
    }()

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "harness-scoring-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `executable` with `arguments`; returns its exit status and stdout+stderr.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Largest absolute difference between two equally long arrays.
    static func maxAbsDiff(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
