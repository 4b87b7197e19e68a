import ArgumentParser
import CommandSupport
import Evaluation
import Store

extension EvalCommand {
    struct AttachLog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attach-log",
            abstract: "Attach a training log to a run (trainer_state.json, JSONL with the same keys, or CSV with a step column)."
        )

        @Argument(help: ArgumentHelp("The run, e.g. run-3.", valueName: "run"))
        var runName: String

        @Argument(help: "The log file.")
        var file: String

        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.run { store in
                let id = try store.resolve(runName, kinds: RunKind.evalKinds)
                _ = try store.run(id)
                let log = try TrainingLog.read(path: file)
                try store.saveLogPoints(run: id, source: String(file.split(separator: "/").last ?? ""), log.points.map { ($0.step, $0.epoch, $0.key, $0.value) })
                let keys = Set(log.points.map(\.key)).sorted()
                print("run-\(id): attached \(log.points.count) points (\(keys.joined(separator: ", "))) from \(file)")
            }
        }
    }
}
