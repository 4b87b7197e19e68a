import Foundation

// Built with `-sanitize=fuzzer -DFUZZING` (`make fuzz`), `main` hands over to libFuzzer's driver,
// which calls `fuzzOneInput` for every input; `FUZZ_TARGET` names the target. Built normally,
// `harness-fuzz TARGET FILE...` replays inputs (a crash found by `make fuzz`, a seed corpus)
// through the same code.
#if FUZZING
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        fatalError("set FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return t
}()

/// Also exported under libFuzzer's name: its archive's own `main` may be the one linked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// libFuzzer's entry for programs that keep their own `main` (SwiftPM names the executable's entry point).
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@main
struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv) { fuzzOneInput($0, $1) })
    }
}
#else
@main
struct Replay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzTarget(rawValue: name), args.count > 1 else {
            FileHandle.standardError.write(Data("""
                usage: harness-fuzz TARGET FILE|DIR...   replays inputs through a fuzz target
                targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))
                `make fuzz` builds the libFuzzer version and runs every target (see .ci/fuzz).

                """.utf8))
            exit(2)
        }
        var files: [String] = []
        for path in args.dropFirst() {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                FileHandle.standardError.write(Data("harness-fuzz: no such file or folder: \(path)\n".utf8))
                exit(2)
            }
            if isDir.boolValue {
                files += ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            target.run(Array(data))
        }
        print("harness-fuzz: \(target.rawValue): \(files.count) inputs replayed, no crash")
    }
}
#endif
