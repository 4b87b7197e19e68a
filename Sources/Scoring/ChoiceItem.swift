/// One multiple-choice item: a prompt and the texts that may continue it.
///
/// Each choice is appended to the prompt verbatim, so a choice usually starts with a space
/// (`" 낚시성 기사"`), exactly as llama-perplexity appends `" " + answer`.
public struct ChoiceItem: Sendable, Equatable {
    public let id: String
    public let prompt: String
    public let choices: [String]

    public init(id: String, prompt: String, choices: [String]) {
        self.id = id
        self.prompt = prompt
        self.choices = choices
    }
}

/// The scores of one item's choices, index for index.
///
/// `logprob[c]` is the summed natural-log probability of choice `c`'s scored tokens,
/// `tokens[c]` how many tokens were scored (always at least 1), and `bytes[c]` the UTF-8 byte
/// count of the choice text. Normalise as you need: per token `logprob / tokens`
/// (llama-perplexity's "acc_norm" criterion), per byte `logprob / bytes`.
public struct ChoiceScore: Sendable, Equatable {
    public let logprob: [Double]
    public let tokens: [Int]
    public let bytes: [Int]

    public init(logprob: [Double], tokens: [Int], bytes: [Int]) {
        self.logprob = logprob
        self.tokens = tokens
        self.bytes = bytes
    }

    /// Mean log-probability per scored token, for each choice.
    public var meanLogprob: [Double] {
        zip(logprob, tokens).map { $0 / Double(max($1, 1)) }
    }

    /// Log-probability per UTF-8 byte of the choice text (choices are never empty).
    public var logprobPerByte: [Double] {
        zip(logprob, bytes).map { $0 / Double(max($1, 1)) }
    }

    /// The index of the best choice by mean log-probability per token; the first on ties,
    /// as llama-perplexity picks.
    public var predicted: Int {
        let means = meanLogprob
        var best = 0
        for i in means.indices.dropFirst() where means[i] > means[best] { best = i }
        return best
    }
}

/// Scores multiple-choice items by the log-probability a language model gives each choice.
public protocol ChoiceScoring {
    /// Scores every item, in order. `progress` is called as work finishes with increments: the
    /// number of items finished since the previous call and the tokens evaluated for them (sum
    /// the calls for totals).
    func score(_ items: [ChoiceItem], progress: (_ done: Int, _ tokens: Int) -> Void) throws -> [ChoiceScore]
}

/// Generates text greedily from a prompt.
public protocol Generating {
    /// Greedy (argmax) continuation of `prompt`: at most `maxTokens` tokens, ending early at an
    /// end-of-generation token or before the first occurrence of any `stop` string.
    func generate(prompt: String, maxTokens: Int, stop: [String]) throws -> String
}

extension ChoiceScoring {
    /// Scores without progress reports.
    public func score(_ items: [ChoiceItem]) throws -> [ChoiceScore] {
        try score(items, progress: { _, _ in })
    }
}
