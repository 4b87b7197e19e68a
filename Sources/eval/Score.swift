import ArgumentParser
import CommandSupport
import EvalRun
import Evaluation
import HarnessSpec
import JSON
import Scoring
import Store
import Support

extension EvalCommand {
    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a prepared split with a model; every prediction goes into a new run.",
            discussion: """
            Builds each item's prompt from the spec's `eval:` section and scores the choices by their log-likelihood \
            (or generates, with `eval.mode: generate`). Progress shows items, tokens/s and ETA. Ctrl-C keeps what was \
            scored; the same command resumes it.

            Examples:
              bin/eval score specs/clickbait.yaml --model m.gguf --limit 40
              bin/eval score specs/clickbait.yaml --model base.gguf --lora adapter.gguf:0.5
              bin/eval score specs/clickbait.yaml --model base.gguf --lora ckpt-200.gguf --lora ckpt-400.gguf --each
              bin/eval score specs/clickbait.yaml --backend openai \\
                --url http://127.0.0.1:8080 --model my-lora
              bin/eval score specs/clickbait.yaml --backend openai --model smollm \\
                --url http://10.0.0.1:8080 --url http://10.0.0.2:8080 --per-server 2

            With several servers (--url repeated, or --hosts FILE) items go to whichever server is free. \
            A failed request is retried (3 tries, 0.5 s then 1 s apart) on HTTP 5xx, a refused or dropped \
            connection, or a timeout; a 4xx is not. A server whose tries run out is left out for the rest of \
            the run and its items go to the others; the run fails only when no server is left. Every server \
            must serve the same model (asked with GET /v1/models); a run resumes on any fleet that serves it.
            """
        )

        @Argument(help: "The spec whose prepared split is scored.")
        var spec: String

        @Option(help: ArgumentHelp("The GGUF model file (llama backend), or the model name the server expects (openai backend).", valueName: "FILE"))
        var model: String

        @Option(help: "The prepared split to score (default: the spec's eval.split).")
        var split: String?

        @Option(help: "Score only the first N items.")
        var limit: Int?

        @Option(help: "CPU threads for llama.cpp.")
        var threads = 2

        @Option(help: "Context size in tokens.")
        var ctx = 2048

        @Flag(help: "F32 KV cache without flash attention: scores bit-identical whatever the batching (slower; also `eval.exact: true`). Default: llama.cpp's numerics. With --backend openai: no prompt-cache reuse, so scores do not depend on which server scored an item.")
        var exact = false

        @Option(name: .customLong("lora"), help: ArgumentHelp(
            "A LoRA adapter (GGUF) applied on top of --model, with an optional scale (default 1); repeat for several. Replaces the spec's eval.lora.",
            valueName: "FILE[:SCALE]"))
        var lora: [String] = []

        @Flag(help: "One run per LoRA adapter (--lora or eval.lora), the base model loaded once: a checkpoint sweep in one command.")
        var each = false

        @Option(help: "llama (in-process llama.cpp) or openai (an OpenAI-compatible server such as llama-server or vLLM).")
        var backend: Backend = .llama

        @Option(name: .customLong("url"), help: ArgumentHelp(
            "Server URL for --backend openai, e.g. http://127.0.0.1:8080; repeat for a fleet of servers that serve the same model.",
            valueName: "URL"))
        var urls: [String] = []

        @Option(help: ArgumentHelp("A file of server URLs for --backend openai, one per line; # starts a comment. Adds to --url.", valueName: "FILE"))
        var hosts: String?

        @Option(help: ArgumentHelp(
            "Requests in flight per server (default: llama-server's slot count, its -np; 2 for other servers).", valueName: "N"))
        var perServer: Int?

        @Option(help: ArgumentHelp("Attach a training log (trainer_state.json, JSONL or CSV) to the new run.", valueName: "FILE"))
        var trainLog: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if backend == .openai && urls.isEmpty && hosts == nil {
                throw ValidationError("--backend openai needs --url (repeatable) or --hosts FILE, e.g. --url http://127.0.0.1:8080.")
            }
            if backend == .llama && (!urls.isEmpty || hosts != nil || perServer != nil) {
                throw ValidationError("--url, --hosts and --per-server are for servers; add --backend openai.")
            }
            if let perServer, perServer <= 0 { throw ValidationError("--per-server must be a positive number of requests.") }
            if let limit, limit <= 0 { throw ValidationError("--limit must be a positive number of items.") }
            guard threads > 0, ctx >= 64 else { throw ValidationError("--threads must be positive and --ctx at least 64.") }
            for text in lora where EvalSpec.Lora.parse(text) == nil {
                throw ValidationError("--lora '\(text)' is not an adapter; give FILE or FILE:SCALE with a finite number, e.g. --lora ckpt-200.gguf:0.5.")
            }
            if backend == .openai && !lora.isEmpty {
                throw ValidationError("--lora needs --backend llama; with a server, start it with the adapter (llama-server -m base.gguf --lora adapter.gguf).")
            }
            if each && trainLog != nil { throw ValidationError("--train-log attaches to one run; leave it out with --each.") }
        }

        func run() throws {
            try Failure.guarded {
                let spec = try SpecLoader.load(path: self.spec)
                let store = try self.store.open()
                var settings: [(String, JSONValue)] = [("threads", .number(String(threads))), ("ctx", .number(String(ctx)))]
                let fleet = backend == .openai ? try ServerFleet(urls: urls + (hosts.map(Self.readHosts) ?? []), model: model, perServer: perServer) : nil
                var served: String?
                if let fleet {
                    let name = try fleet.probe()
                    for s in fleet.servers { if let failure = s.failure { Terminal.error("warning: left out \(s.url): \(failure)\n") } }
                    settings.append(("servers", .array(fleet.servers.map { JSONValue.string($0.url) })))
                    settings.append(("served_model", .string(name)))
                    if let perServer { settings.append(("per_server", .number(String(perServer)))) }
                    served = name
                } else if let fp = ModelFingerprint.of(model) {
                    settings.append(("model_fingerprint", .string(fp)))
                }
                let adapters = lora.isEmpty ? nil : lora.compactMap(EvalSpec.Lora.parse)
                // With chunks of 8 items per request in flight, workers seldom wait at a chunk's end.
                let chunk = max(16, 8 * (fleet?.servers.filter(\.isServing).map(\.concurrency).reduce(0, +) ?? 0))
                let options = ScoreRunner.Options(model: model, split: split, limit: limit, backend: backend.rawValue, settings: settings,
                                                  chunk: chunk, exact: exact, lora: adapters, servedModel: served)
                let makeScorer = { (exact: Bool, adapters: [LoraAdapter]) throws -> any ChoiceScoring & Generating in
                    if let fleet {
                        // --exact: every request evaluates its whole prompt, the same on any server (see RemoteScorer).
                        fleet.reusesServerCache = !exact
                        return fleet
                    }
                    return try LlamaScorer(modelPath: model, threads: threads, contextSize: ctx, numerics: exact ? .exact : .standard, adapters: adapters)
                }
                if each {
                    let outcomes = try ScoreRunner.sweep(spec: spec, store: store, options: options, scorer: makeScorer) { adapter, outcome in
                        print(Self.summary(outcome) + " [LoRA \(adapter)]")
                    }
                    let runs = outcomes.map { "run-\($0.run)" }
                    print("next: bin/eval runs" + (runs.count > 1 ? "; compare two: bin/eval compare \(runs[0]) \(runs[1])" : "; bin/eval report \(runs[0])"))
                    return
                }
                let log = try trainLog.map { try TrainingLog.read(path: $0) }
                let outcome = try ScoreRunner(spec: spec, store: store, options: options).run(scorer: makeScorer)
                if let log, let file = trainLog {
                    try store.saveLogPoints(run: outcome.run, source: String(file.split(separator: "/").last ?? ""), log.points.map { ($0.step, $0.epoch, $0.key, $0.value) })
                }
                print(Self.summary(outcome))
                if let fleet, fleet.servers.count > 1 || fleet.servers.contains(where: { !$0.isServing }) { print(Self.fleetSummary(fleet)) }
                print("next: bin/eval report run-\(outcome.run)")
            }
        }

        /// The URLs of a hosts file: one per line, `#` starts a comment, blank lines are skipped.
        static func readHosts(_ path: String) throws -> [String] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("--hosts \(path): cannot read the file; give a text file with one server URL per line.")
            }
            let urls = text.split(whereSeparator: \.isNewline).compactMap { line -> String? in
                let url = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?.trimmingCharacters(in: .whitespaces) ?? ""
                return url.isEmpty ? nil : url
            }
            if urls.isEmpty { throw ValidationError("--hosts \(path) lists no server; write one URL per line, e.g. http://10.0.0.1:8080.") }
            return urls
        }

        /// `servers: http://a:8080 30 items, http://b:8080 10 items (left out: ...)`.
        static func fleetSummary(_ fleet: ServerFleet) -> String {
            "servers: " + fleet.servers.map { s in
                "\(s.url) \(s.finished) items" + (s.failure.map { " (left out: \($0))" } ?? "")
            }.joined(separator: ", ")
        }

        /// `run-3: scored 48 items in 2.1 s, 1234 tokens/s; accuracy 62.5%`.
        static func summary(_ outcome: ScoreRunner.Outcome) -> String {
            var line = "run-\(outcome.run): scored \(outcome.scored) items"
            if outcome.resumed > 0 { line += " (resumed; \(outcome.resumed) were already scored)" }
            line += " in \(Format.duration(outcome.seconds))"
            if outcome.tokens > 0 { line += ", \(Format.number(Double(outcome.tokens) / max(outcome.seconds, 1e-9), digits: 0)) tokens/s" }
            if let a = outcome.accuracy { line += "; accuracy \(Format.percent(a))" }
            return line
        }
    }
}

/// `eval score --backend`: in-process llama.cpp, or an OpenAI-compatible server.
enum Backend: String, ExpressibleByArgument, CaseIterable {
    case llama, openai
}
