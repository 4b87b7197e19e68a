import ArgumentParser
import CommandSupport
import Store
import Support

extension EvalCommand {
    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs: id, kind, spec file and digest, model, accuracy, status, date.",
            discussion: "The spec column shows the spec file and the first 8 hex digits of its digest, so that two specs with the same `name:` (or one spec before and after an edit) can be told apart.")

        @OptionGroup var store: StoreOptions

        @Option(help: "How many runs to list.")
        var limit = 20

        func run() throws {
            try store.run { store in
                let runs = try store.runs(limit: limit)
                if runs.isEmpty { print("no runs yet in \(self.store.db)"); return }
                print("run       kind      spec                                model                          accuracy  status       started")
                for r in runs {
                    let model = r.settings["model"]?.scalarText.map { String($0.split(separator: "/").last ?? "") } ?? r.settings["source"]?.scalarText ?? "-"
                    let acc = r.summary["accuracy"]?.scalarText.flatMap(Double.init).map { Format.percent($0) } ?? "-"
                    print([pad(r.name, 9), pad(r.kind.rawValue, 9), pad(Self.spec(r), 35), pad(model.count > 30 ? "…" + model.suffix(29) : model, 30), pad(acc, 9), pad(r.status.rawValue, 12), r.startedAt].joined(separator: " "))
                }
            }
        }

        /// `specs/clickbait.yaml@1a2b3c4d`: the spec file and a short digest.
        static func spec(_ r: RunInfo) -> String {
            let path = r.specPath ?? r.specName ?? "-"
            let shown = path.count > 26 ? "…" + path.suffix(25) : path
            return shown + (r.specDigest.map { "@" + $0.prefix(8) } ?? "")
        }

        private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    }
}
