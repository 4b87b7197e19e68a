// swift-tools-version:6.0
import Foundation
import PackageDescription

/// llama.cpp is built by `make setup` (.ci/setup-deps) into .deps/llama and linked statically.
let llamaPrefix = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent(".deps/llama").path
/// Kiwi (Korean morphology) is built by `make setup` into .deps/kiwi and linked statically.
let kiwiPrefix = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent(".deps/kiwi").path

/// Release builds leave out Swift's run-time exclusivity checks (a call into the runtime for each
/// access to a class's stored property or a captured variable: 1.2% of the instructions of a
/// `prep run`); debug builds, which the tests run, keep them, and the compile-time checks stay.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"),
                              .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "harness",
    products: [
        .executable(name: "prep", targets: ["prep"]),
        .executable(name: "eval", targets: ["eval"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // C libraries, bound once through system-library targets.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CNettle", pkgConfig: "nettle", providers: [.apt(["nettle-dev"])]),
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        .systemLibrary(name: "CLlama"),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CWriteback"),
        .systemLibrary(name: "CByteScan"),
        .systemLibrary(name: "CDeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CKiwi"),

        // Libraries: the logic.
        .target(name: "Support", dependencies: ["CNettle", "CXXHash", "CMalloc", "CWriteback"], swiftSettings: strict),
        .target(name: "JSON", dependencies: ["CByteScan"], swiftSettings: strict),
        .target(name: "Records", dependencies: ["Support", "JSON", "CByteScan"], swiftSettings: strict),
        .target(name: "ArchiveIO", dependencies: ["CArchive", "CDeflate", "Support"], swiftSettings: strict),
        .target(name: "HTMLSource", dependencies: ["CXML2", "Support"], swiftSettings: strict),
        .target(name: "HarnessSpec", dependencies: ["Support", "JSON", "Records", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        .target(name: "Store", dependencies: ["CSQLite", "JSON", "Support"], swiftSettings: strict),
        .target(name: "Prep", dependencies: ["Support", "JSON", "Records", "ArchiveIO", "HTMLSource", "HarnessSpec", "Store", "Scoring", "Korean", "CByteScan",
                                             .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // HTTP through the system's libcurl, loaded on first use (see Sources/CCurl/include/ccurl.h).
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "Scoring", dependencies: ["CLlama", "CCurl", "Support", "JSON"],
                swiftSettings: strict,
                linkerSettings: [
                    .unsafeFlags(["-L\(llamaPrefix)/lib"]),
                    .linkedLibrary("llama"), .linkedLibrary("ggml"), .linkedLibrary("ggml-cpu"),
                    .linkedLibrary("ggml-base"), .linkedLibrary("stdc++"), .linkedLibrary("m"),
                ]),
        .target(name: "Korean", dependencies: ["CKiwi"],
                swiftSettings: strict,
                linkerSettings: [
                    .unsafeFlags(["-L\(kiwiPrefix)/lib"]),
                    .linkedLibrary("kiwi_static"), .linkedLibrary("stdc++"), .linkedLibrary("pthread"),
                    .linkedLibrary("rt"), .linkedLibrary("m"),
                ]),
        // Evaluation is pure statistics; EvalStore reads and writes its values (predictions, grades) in the run store.
        .target(name: "Evaluation", dependencies: ["Support", "JSON", "Records"], swiftSettings: strict),
        .target(name: "EvalStore", dependencies: ["JSON", "Records", "Store", "Evaluation"], swiftSettings: strict),
        .target(name: "Reporting", dependencies: ["Support", "JSON", "Records", "Store", "Evaluation", "EvalStore"], swiftSettings: strict),
        .target(name: "EvalRun", dependencies: ["Support", "JSON", "Records", "HarnessSpec", "Store", "Evaluation", "EvalStore", "Scoring"], swiftSettings: strict),
        .target(name: "CommandSupport", dependencies: [
            "Support", "Store", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // Thin executables: parse, call, print.
        .executableTarget(name: "prep", dependencies: [
            "Prep", "HarnessSpec", "Store", "Reporting", "Scoring", "Korean", "JSON", "Records", "Support", "CommandSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "eval", dependencies: [
            "EvalRun", "Evaluation", "EvalStore", "Reporting", "Scoring", "HarnessSpec", "Store", "JSON", "Records", "Support", "CommandSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        // Fuzz targets (`make fuzz`, .ci/fuzz): built with -sanitize=fuzzer -DFUZZING for libFuzzer;
        // a normal build replays inputs (`harness-fuzz json crash-123`).
        .executableTarget(name: "harness-fuzz", dependencies: ["JSON", "Records", "HarnessSpec", "ArchiveIO", "HTMLSource", "Evaluation"],
                          swiftSettings: strict),

        .testTarget(name: "SupportTests", dependencies: ["Support", "CMalloc"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "CByteScan"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records", "JSON"]),
        .testTarget(name: "ArchiveIOTests", dependencies: ["ArchiveIO", "CDeflate"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Support", "JSON"]),
        .testTarget(name: "HarnessSpecTests", dependencies: ["HarnessSpec"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "JSON"]),
        .testTarget(name: "PrepTests", dependencies: ["Prep", "HarnessSpec", "Store", "JSON", "Records", "Support", "Scoring"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "JSON", "Records"]),
        .testTarget(name: "EvalStoreTests", dependencies: ["EvalStore", "Evaluation", "Store", "JSON"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Evaluation", "EvalStore", "Store", "JSON", "Records", "Support", "Korean"]),
        .testTarget(name: "KoreanTests", dependencies: ["Korean"]),
        .testTarget(name: "HTMLSourceTests", dependencies: ["HTMLSource"]),
        .testTarget(name: "EvalRunTests", dependencies: ["EvalRun", "HarnessSpec", "JSON", "Records", "Scoring", "Support"]),
        .testTarget(name: "CLITests", dependencies: ["prep", "eval"]),
    ]
)
