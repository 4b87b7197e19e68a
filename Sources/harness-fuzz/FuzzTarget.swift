import ArchiveIO
import Evaluation
import Foundation
import HTMLSource
import HarnessSpec
import JSON
import Records

/// The parsers `make fuzz` drives with libFuzzer. Each takes arbitrary bytes: throwing is the
/// expected answer to bad input, a crash (trap, sanitizer report, hang) is a bug. Where a cheap
/// invariant exists it is checked too (JSON written back parses to the same value).
enum FuzzTarget: String, CaseIterable {
    case json
    case spec
    case fieldPath = "field-path"
    case archive
    case html
    case trainingLog = "training-log"

    func run(_ data: [UInt8]) {
        switch self {
        case .json: Self.json(data)
        case .spec: _ = try? SpecLoader.parse(String(decoding: data, as: UTF8.self), file: "fuzz.yaml")
        case .fieldPath: Self.fieldPath(data)
        case .archive: Self.archive(data)
        case .html: Self.html(data)
        case .trainingLog: _ = try? TrainingLog.parse(data, file: "fuzz.log")
        }
    }

    /// What the projected parse keeps in the `json` target: a few paths of the shapes specs use.
    static let projection: JSONProjection = {
        var keep = JSONProjection()
        for path in ["a", "b.c", "d[*].e", "f[1]"] { keep.add(try! FieldPath(path)) }
        return keep
    }()

    /// Parses; a parsed value written back must parse to the same value. The projected parse must
    /// fail exactly when the full one does, with the same message and place, and agree on what it keeps.
    static func json(_ data: [UInt8]) {
        let full = Result { try JSONParser.parse(data) }
        let projected = Result { try JSONParser.parse(data, keeping: projection) }
        switch (full, projected) {
        case let (.failure(a), .failure(b)):
            if (a as? JSONParser.Failure) != (b as? JSONParser.Failure) { fatalError("projected parse fails differently: \(a) vs \(b)") }
        case let (.success(a), .success(b)):
            for path in ["a", "b.c", "d[*].e", "f[1]"] {
                let p = try! FieldPath(path)
                if p.values(in: a) != p.values(in: b) { fatalError("projected parse reads \(path) differently") }
            }
        default:
            fatalError("projected and full parse disagree on whether the document is JSON")
        }
        guard case let .success(value) = full else { return }
        let text = JSONWriter.serialize(value)
        guard let again = try? JSONParser.parse(text) else { fatalError("JSONWriter output does not parse: \(text.prefix(200))") }
        if again != value { fatalError("JSON round trip changed the value: \(text.prefix(200))") }
    }

    /// The first line is a field path, the rest a JSON document it is evaluated on.
    static func fieldPath(_ data: [UInt8]) {
        let newline = data.firstIndex(of: 0x0A) ?? data.endIndex
        guard let path = try? FieldPath(String(decoding: data[..<newline], as: UTF8.self)) else { return }
        let document = (try? JSONParser.parse(Array(data[min(newline + 1, data.endIndex)...]))) ?? .object([("a", .array([.string("x")]))])
        _ = path.values(in: document)
        _ = path.nearestKeys(in: document)
        let extractor = FieldExtractor(fields: [FieldSpec(name: "f", rule: .path(path), optional: true),
                                                FieldSpec(name: "g", rule: .join(path, separator: " ", or: nil), optional: true)])
        _ = try? extractor.extract(from: document)
    }

    /// The bytes as an archive file in a folder of its own, every entry read through the scanner.
    static func archive(_ data: [UInt8]) {
        let dir = NSTemporaryDirectory() + "harness-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/input.zip"
        guard FileManager.default.createFile(atPath: path, contents: Data(data)) else { fatalError("cannot write \(path)") }
        let scanner = ArchiveScanner(root: dir, archives: [Glob("*.zip")], entries: [Glob("*")],
                                     limits: ArchiveLimits(maxEntryBytes: 1 << 20, maxRatio: 200, ratioFloorBytes: 1 << 16))
        try? scanner.scan { entry in _ = entry.data.count }
    }

    /// A page through the HTML source's parser: a few XPaths of the kinds specs use, and `auto`.
    static func html(_ data: [UInt8]) {
        guard let title = try? XPathField(name: "title", xpaths: ["//meta[@property='og:title']/@content", "//h1", "//title"]),
              let body = try? XPathField(name: "body", xpaths: ["//article//p", "//div[@id='articleBody']"]) else {
            fatalError("the fuzz target's own XPaths do not compile")
        }
        _ = try? PageParser(fields: [.xpaths(title), .xpaths(body), .auto(name: "auto_title", .title), .auto(name: "auto_body", .body)],
                            fallbackCharset: "EUC-KR").extract(data, page: "fuzz.html")
    }
}
