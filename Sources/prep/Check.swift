import ArgumentParser
import CommandSupport
import HarnessSpec
import Prep

extension PrepCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a spec without running it.")

        @Argument(help: "The spec file (YAML).")
        var spec: String

        func run() throws {
            try Failure.guarded {
                let spec = try SpecLoader.load(path: self.spec)
                try PrepRunner.validate(spec)
                print("\(self.spec): ok (\(spec.name): \(spec.fields.count) fields, \(spec.stages.count) stages\(spec.eval == nil ? "" : ", eval"))")
            }
        }
    }
}
