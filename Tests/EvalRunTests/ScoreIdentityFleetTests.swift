@testable import EvalRun
import JSON
import XCTest

/// With servers, the model they report is part of a score run's identity and their URLs are not:
/// an interrupted run resumes on another fleet that serves the same model, never on another model.
final class ScoreIdentityFleetTests: XCTestCase {
    func testTheServedModelIsPartOfTheIdentityAndTheURLsAreNot() {
        let work = ["eval section", "out/x/valid.jsonl", "1", "48", "valid"]
        let served = "SmolLM2-135M-Instruct.Q4_1.gguf n_params=134515008 n_vocab=49152"
        func identity(_ urls: [String], _ model: String?) -> String {
            let options = ScoreRunner.Options(model: "m", split: nil, limit: nil, backend: "openai",
                                              settings: [("servers", .array(urls.map { .string($0) }))], servedModel: model)
            return ScoreRunner.identity(work, options: options)
        }
        let two = identity(["http://a:8080", "http://b:8080"], served)
        XCTAssertEqual(identity(["http://c:8080"], served), two, "another fleet, the same model: the same work")
        XCTAssertNotEqual(identity(["http://a:8080", "http://b:8080"], "Other-7B.gguf n_params=7000000000"), two)
        XCTAssertNotEqual(identity(["http://a:8080"], nil), two)
    }
}
