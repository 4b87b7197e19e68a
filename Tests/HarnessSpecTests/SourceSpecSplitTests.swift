import HarnessSpec
import XCTest

/// `SourceSpec.split(archive:entry:)`: a `split_by_path` key matches a whole folder (or file) name,
/// or one `_`-separated token of a file name; otherwise the record goes to `default_split`.
final class SourceSpecSplitTests: XCTestCase {
    private func source(_ splitByPath: String, defaultSplit: String? = nil) throws -> SourceSpec {
        let d = defaultSplit.map { ", default_split: \($0)" } ?? ""
        return try SpecLoader.parse("name: s\nsource: {split_by_path: \(splitByPath)\(d)}\nrecord: {id: a}\n", file: "t.yaml").source
    }

    func testSplitByPathIsParsedInSpecOrder() throws {
        let s = try source("{Training: train, Validation: test, dev: valid}")
        XCTAssertEqual(s.splitByPath.map(\.component), ["Training", "Validation", "dev"])
        XCTAssertEqual(s.splitByPath.map(\.split), ["train", "test", "valid"])
    }

    func testAFolderComponentSelectsTheSplit() throws {
        let s = try source("{Training: train, Validation: test}")
        let root = "146.낚시성 기사 탐지 데이터/01-1.정식개방데이터"
        XCTAssertEqual(s.split(archive: "\(root)/Training/02.라벨링데이터/TL_Part1_Clickbait_Auto_EC.zip", entry: "EC_M01_000001_L.json"), "train")
        XCTAssertEqual(s.split(archive: "\(root)/Validation/02.라벨링데이터/VL_Part1_Clickbait_Auto_EC.zip", entry: "EC_M01_000001_L.json"), "test")
        // Inside a tar, the folders are part of the entry path (nested archives joined with `!`).
        XCTAssertEqual(s.split(archive: "download.tar", entry: "\(root)/Validation/02.라벨링데이터/VL_Part1_X_EC.zip!EC_M01_000001_L.json"), "test")
    }

    func testAFolderNameMustMatchWholeNotAsASubstring() throws {
        let s = try source("{Training: train, Validation: test}", defaultSplit: "other")
        XCTAssertEqual(s.split(archive: "PreTraining/a.zip", entry: "x.json"), "other")
        XCTAssertEqual(s.split(archive: "ValidationSet/a.zip", entry: "x.json"), "other")
    }

    func testAnUnderscoreTokenOfAFileNameSelectsTheSplit() throws {
        let s = try source("{train: train, dev: valid, test: test}")
        XCTAssertEqual(s.split(archive: "nikl_train.json", entry: "[0]"), "train")
        XCTAssertEqual(s.split(archive: "nikl_dev.json", entry: "[3]"), "valid")
        XCTAssertEqual(s.split(archive: "data/nikl_test.json", entry: ""), "test")
        // A token inside a longer token does not count: "devices" is not "dev".
        XCTAssertEqual(s.split(archive: "nikl_devices.json", entry: ""), "train", "no match -> default split")
        // Only the file stem before the first '.' is tokenised.
        XCTAssertEqual(s.split(archive: "set.dev_x.json", entry: ""), "train")
    }

    func testTokenMatchingWorksForEntryNamesToo() throws {
        let s = try source("{TL: train, VL: test}")
        XCTAssertEqual(s.split(archive: "a/TL_Part1_Clickbait_Auto_EC.zip", entry: "EC_M01_000001_L.json"), "train")
        XCTAssertEqual(s.split(archive: "a/VL_Part1_Clickbait_Auto_EC.zip", entry: "EC_M01_000001_L.json"), "test")
    }

    func testNoMatchGoesToTheDefaultSplit() throws {
        XCTAssertEqual(try source("{Training: train}").split(archive: "x/y.zip", entry: "z.json"), "train", "default_split defaults to train")
        XCTAssertEqual(try source("{Training: train}", defaultSplit: "holdout").split(archive: "x/y.zip", entry: "z.json"), "holdout")
        let none = try SpecLoader.parse("name: s\nsource: {}\nrecord: {id: a}\n", file: "t.yaml").source
        XCTAssertEqual(none.split(archive: "Training/a.zip", entry: "b.json"), "train")
    }

    func testTheFirstKeyInSpecOrderWins() throws {
        // Both keys occur in the path; the spec lists Validation first.
        let s = try source("{Validation: test, Training: train}")
        XCTAssertEqual(s.split(archive: "Training/Validation/a.zip", entry: "e.json"), "test")
        let t = try source("{Training: train, Validation: test}")
        XCTAssertEqual(t.split(archive: "Training/Validation/a.zip", entry: "e.json"), "train")
    }

    func testKeysFoundPerArchiveGiveTheSameSplitAsTheWholePath() throws {
        // Ingest finds the archive's keys once and adds each entry's: spec order still decides.
        let s = try source("{Validation: test, Training: train, dev: valid}")
        let cases = [("Training/a.zip", "Validation/e.json"), ("Training/a.zip", "e.json"), ("x/a.zip", "nikl_dev.json"),
                     (".Training/a.zip", "e.json"), ("x.zip", "")]
        for (archive, entry) in cases {
            XCTAssertEqual(s.split(keys: s.splitKeys(in: archive).union(s.splitKeys(in: entry))), s.split(archive: archive, entry: entry))
        }
        XCTAssertEqual(s.split(archive: "Training/a.zip", entry: "Validation/e.json"), "test")
        XCTAssertEqual(s.split(archive: ".Training/a.zip", entry: "e.json"), "train", "the stem of '.Training' is 'Training'")
    }

    func testEmptyComponentsDotsAndSeparatorsAreSkippedLikeSplit() throws {
        // The byte scan skips empty runs as `split` does: doubled separators, trailing ones, `!` of a nested entry.
        let s = try source("{dev: valid, Training: train}", defaultSplit: "other")
        XCTAssertEqual(s.split(archive: "x//dev//a.zip", entry: ""), "valid")
        XCTAssertEqual(s.split(archive: "x/", entry: "outer.zip!!dev"), "valid")
        XCTAssertEqual(s.split(archive: "x/a..dev.json", entry: ""), "other", "only the first stem counts, not what follows a double dot")
        XCTAssertEqual(s.split(archive: "x/__dev--x.json", entry: ""), "valid", "empty tokens between separators are skipped")
        XCTAssertEqual(s.split(archive: "x/....", entry: ""), "other", "a name of dots only is its own stem")
        XCTAssertEqual(s.split(archive: "", entry: ""), "other")
    }
}
