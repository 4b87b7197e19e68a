import ArchiveIO
import Foundation
import XCTest

final class ArchiveScannerTests: XCTestCase {
    var bench: Workbench!
    override func setUpWithError() throws { bench = try Workbench() }
    override func tearDown() { bench.remove() }

    private func scan(_ root: String, archives: [String] = ["**/*.zip"], entries: [String] = ["*_L.json"],
                      limits: ArchiveLimits = ArchiveLimits()) throws -> [String] {
        var seen: [String] = []
        let scanner = ArchiveScanner(root: bench.dir + "/" + root, archives: archives.map(Glob.init), entries: entries.map(Glob.init), limits: limits)
        try scanner.scanBothWays { seen.append("\($0.archive)!\($0.entry)=\(String(decoding: $0.data, as: UTF8.self))") }
        return seen
    }

    func testReadsSelectedEntriesOfAZipInOrder() throws {
        try bench.jsonFiles(["A_L.json", "B_S.json", "C_L.json"])
        try bench.sh("mkdir -p data/Training && cd src && zip -q ../data/Training/TL_x.zip A_L.json B_S.json C_L.json")
        XCTAssertEqual(try scan("data"), [#"Training/TL_x.zip!A_L.json={"id": "A_L.json"}"#, #"Training/TL_x.zip!C_L.json={"id": "C_L.json"}"#])
    }

    func testJoinsSplitPartsInNumericOrderOfTheirByteOffsets() throws {
        let names = (1...150).map { String(format: "E_%03d_L.json", $0) }
        try bench.jsonFiles(names)
        // Parts of 1000 bytes: .part0, .part1000, .part2000, ... (numeric order differs from lexical order past part9000).
        try bench.sh("""
            cd src && zip -q -0 ../whole.zip *.json && cd .. && mkdir -p data
            size=$(stat -c %s whole.zip); off=0
            while [ $off -lt $size ]; do dd if=whole.zip of=data/X.zip.part$off bs=1000 skip=$((off/1000)) count=1 status=none; off=$((off+1000)); done
            ls data | wc -l
            """)
        let got = try scan("data")
        XCTAssertEqual(got.count, 150)
        XCTAssertEqual(got.first, #"X.zip!E_001_L.json={"id": "E_001_L.json"}"#)
        XCTAssertTrue(try bench.sh("ls data").contains("X.zip.part10000"), "the fixture must have a part past 9999 so lexical order would be wrong")
    }

    func testAMissingSplitPartIsNamed() throws {
        try bench.jsonFiles((1...30).map { "F\($0)_L.json" })
        try bench.sh("cd src && zip -q -0 ../whole.zip *.json && cd .. && mkdir data && split -b 400 -d whole.zip p. && mv p.00 data/X.zip.part0 && mv p.02 data/X.zip.part800")
        XCTAssertThrowsError(try scan("data")) { error in
            XCTAssertEqual(error as? ArchiveError, .missingPart(archive: "X.zip", expectedPart: "X.zip.part400", have: ["X.zip.part0", "X.zip.part800"]))
        }
    }

    func testReadsZipsInsideATarAndZipsInsideZips() throws {
        try bench.jsonFiles(["A_L.json", "B_L.json"])
        try bench.sh("""
            mkdir -p pkg/146.data/Training/02.labels pkg/146.data/Training/01.source
            (cd src && zip -q ../pkg/146.data/Training/02.labels/TL_a.zip A_L.json && zip -q ../pkg/146.data/Training/01.source/TS_a.zip B_L.json)
            (cd src && zip -q ../inner.zip B_L.json) && zip -q pkg/146.data/Training/02.labels/TL_outer.zip inner.zip
            mkdir data && tar -cf data/download.tar -C pkg 146.data
            """)
        // The archive is the tar; the entry path runs through the nested archives. The source zip is not selected.
        XCTAssertEqual(try scan("data", archives: ["**/02.labels/*.zip"]).sorted(), [
            #"download.tar!146.data/Training/02.labels/TL_a.zip!A_L.json={"id": "A_L.json"}"#,
            #"download.tar!146.data/Training/02.labels/TL_outer.zip!inner.zip!B_L.json={"id": "B_L.json"}"#,
        ])
    }

    func testDecodesCP949EntryNamesWithoutTheUTF8Flag() throws {
        // A real zip made by Info-ZIP from a file whose name is CP949 bytes (as on Korean Windows).
        try bench.sh("""
            mkdir -p cp data && cd cp
            python3 -c "open('라벨_기사_L.json'.encode('cp949'), 'w').write('{}')"
            zip -q ../data/TL_k.zip *
            python3 -c "import zipfile; i=zipfile.ZipFile('../data/TL_k.zip').infolist()[0]; assert i.flag_bits & 0x800 == 0, 'utf-8 flag set'"
            """)
        XCTAssertEqual(try scan("data"), ["TL_k.zip!라벨_기사_L.json={}"])
    }

    func testNFDNamesAreNormalisedToNFC() throws {
        let nfd = "라벨링데이터".decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfd.utf8), Array("라벨링데이터".utf8))
        try bench.jsonFiles(["A_L.json"])
        try bench.sh("mkdir -p 'data/\(nfd)' && cd src && zip -q '../data/\(nfd)/TL.zip' A_L.json")
        XCTAssertEqual(try scan("data", archives: ["**/라벨링데이터/*.zip"]).count, 1)
    }

    func testTheNotApprovedMessageIsRecognised() throws {
        try bench.sh("mkdir data && printf '승인되지 않은 데이터입니다. 다시 신청하세요.\\n' > data/TL_x.zip")
        XCTAssertThrowsError(try scan("data")) {
            XCTAssertEqual($0 as? ArchiveError, .notAnArchive(archive: "TL_x.zip", message: "승인되지 않은 데이터입니다. 다시 신청하세요."))
        }
    }

    func testCorruptAndTruncatedZipsFailWithTheArchiveName() throws {
        try bench.jsonFiles((1...20).map { "G\($0)_L.json" })
        try bench.sh("cd src && zip -q ../whole.zip *.json && cd .. && mkdir data && head -c $(( $(stat -c %s whole.zip) * 6 / 10 )) whole.zip > data/TL_cut.zip")
        XCTAssertThrowsError(try scan("data")) { error in
            guard case let .corrupt(archive, _, _)? = error as? ArchiveError else { return XCTFail("\(error)") }
            XCTAssertEqual(archive, "TL_cut.zip")
        }
        // Bytes flipped inside the compressed data of the first entry: inflate or the CRC check fails.
        try bench.sh("rm data/TL_cut.zip && cp whole.zip data/TL_bad.zip && printf 'XXXXXXXXXXXXXXXX' | dd of=data/TL_bad.zip bs=1 seek=60 conv=notrunc status=none")
        XCTAssertThrowsError(try scan("data")) { error in
            guard case let .corrupt(archive, entry, _)? = error as? ArchiveError else { return XCTFail("\(error)") }
            XCTAssertEqual(archive, "TL_bad.zip")
            XCTAssertEqual(entry, "G10_L.json", "the first entry in the zip (shell glob order)")
        }
    }

    func testRefusesEntriesThatEscapeTheFolder() throws {
        try bench.sh("""
            mkdir data && python3 -c "
            import zipfile
            with zipfile.ZipFile('data/TL_evil.zip', 'w') as z: z.writestr('../../evil_L.json', '{}')
            "
            """)
        XCTAssertThrowsError(try scan("data")) {
            XCTAssertEqual($0 as? ArchiveError, .unsafeEntryName(archive: "TL_evil.zip", entry: "../../evil_L.json"))
        }
    }

    func testRefusesZipBombsAndOversizedEntries() throws {
        try bench.sh("""
            mkdir data && python3 -c "
            import zipfile
            with zipfile.ZipFile('data/TL_bomb.zip', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('B_L.json', ' ' * (20 << 20) + '{}')
            "
            """)
        XCTAssertThrowsError(try scan("data")) { error in
            guard case let .compressionRatioTooHigh(archive, entry, ratio, limit)? = error as? ArchiveError else { return XCTFail("\(error)") }
            XCTAssertEqual([archive, entry], ["TL_bomb.zip", "B_L.json"])
            XCTAssertGreaterThan(ratio, limit)
        }
        XCTAssertThrowsError(try scan("data", limits: ArchiveLimits(maxEntryBytes: 1 << 20, maxRatio: 100_000))) {
            XCTAssertEqual($0 as? ArchiveError, .entryTooLarge(archive: "TL_bomb.zip", entry: "B_L.json", size: (20 << 20) + 2, limit: 1 << 20))
        }
    }

    func testMissingFolderAndNoMatchAreClear() throws {
        XCTAssertThrowsError(try scan("nope")) { XCTAssertEqual($0 as? ArchiveError, .missingDataDirectory(self.bench.dir + "/nope")) }
        try bench.sh("mkdir data && touch data/readme.txt")
        XCTAssertThrowsError(try scan("data")) {
            XCTAssertEqual($0 as? ArchiveError, .noArchiveMatched(root: self.bench.dir + "/data", patterns: ["**/*.zip"], seen: ["readme.txt"]))
        }
    }

    func testPlainJSONFilesAreEntriesToo() throws {
        try bench.sh("mkdir data && echo '[1]' > data/nikl_train.json")
        XCTAssertEqual(try scan("data", archives: ["*.json"], entries: ["*"]), ["nikl_train.json!=[1]\n"])
    }
}
