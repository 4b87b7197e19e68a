import Foundation
import JSON
import Records
import XCTest

/// Parsing with a projection (what the fields read) must give the same field values as parsing
/// everything, and fail on exactly the same documents with the same message and place.
final class JSONProjectionTests: XCTestCase {
    /// The clickbait fixture's record section (specs/clickbait.yaml).
    let extractor = FieldExtractor(fields: [
        FieldSpec(name: "id", rule: .path(try! FieldPath("sourceDataInfo.newsID"))),
        FieldSpec(name: "title", rule: .first([.path(try! FieldPath("labeledDataInfo.newTitle")), .path(try! FieldPath("sourceDataInfo.newsTitle"))])),
        FieldSpec(name: "subtitle", rule: .path(try! FieldPath("sourceDataInfo.newsSubTitle")), optional: true),
        FieldSpec(name: "body", rule: .join(try! FieldPath("labeledDataInfo.processSentenceInfo[*].sentenceContent"), separator: " ",
                                            or: .join(try! FieldPath("sourceDataInfo.sentenceInfo[*].sentenceContent"), separator: " ", or: nil))),
        FieldSpec(name: "label", rule: .map(.path(try! FieldPath("labeledDataInfo.clickbaitClass")), table: ["0": "clickbait", "1": "normal"], fallback: nil)),
    ])

    static let document = #"""
    {"sourceDataInfo": {"newsID": "NB1", "newsTitle": "원제목", "newsSubTitle": null,
      "newsContent": "본문 전체 \"인용\" \ud83d\ude00 텍스트", "partNum": "P1",
      "sentenceInfo": [{"sentenceNo": 1, "sentenceContent": "첫 문장.", "sentenceSize": 5},
                       {"sentenceNo": 2, "sentenceContent": "둘째 문장.", "sentenceSize": 6}]},
     "labeledDataInfo": {"newTitle": "새 제목", "clickbaitClass": 0,
      "referSentenceInfo": [{"sentenceNo": 1, "referSentenceyn": "N"}]}}
    """#

    func testSameFieldsAsAFullParseAndUnreadMembersLeftOut() throws {
        let bytes = Array(Self.document.utf8)
        let keep = extractor.projection()
        let full = try JSONParser.parse(bytes)
        let projected = try JSONParser.parse(bytes, keeping: keep)
        XCTAssertEqual(try extractor.extract(from: projected), try extractor.extract(from: full))
        XCTAssertEqual(try extractor.extract(from: projected), ["NB1", "새 제목", nil, "첫 문장. 둘째 문장.", "clickbait"])
        // What no field reads is not built.
        XCTAssertNil(projected["sourceDataInfo"]?["newsContent"])
        XCTAssertNil(projected["labeledDataInfo"]?["referSentenceInfo"])
        XCTAssertEqual(projected["sourceDataInfo"]?["sentenceInfo"], .array([.object([("sentenceContent", .string("첫 문장."))]),
                                                                            .object([("sentenceContent", .string("둘째 문장."))])]))
    }

    func testKeysMatchAsTextNotBytes() throws {
        var keep = JSONProjection()
        keep.add(try FieldPath("id"))
        keep.add(try FieldPath("정보.분류"))
        // An escaped key is the same key; a Korean key in NFD matches its NFC spelling in the path.
        let nfd = "정보".decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfd.utf8), Array("정보".utf8))
        let doc = try JSONParser.parse(Array(#"{"\u0069d": 7, "x": [1], "\#(nfd)": {"분류": "정치", "y": 2}}"#.utf8), keeping: keep)
        XCTAssertEqual(doc["id"], .number("7"))
        XCTAssertEqual(try FieldPath("정보.분류").values(in: doc), [.string("정치")])
        XCTAssertNil(doc["x"])
    }

    func testRecordsPathAndRootPaths() throws {
        let extractor = FieldExtractor(fields: [
            FieldSpec(name: "id", rule: .path(try FieldPath("uid"))),
            FieldSpec(name: "topic", rule: .path(try FieldPath("$root.info.topic"))),
        ])
        let keep = extractor.projection(records: try FieldPath("data[*]"))
        let doc = try JSONParser.parse(Array(#"{"info": {"topic": "t", "n": 1}, "data": [{"uid": "a", "text": "x"}, {"uid": "b"}], "z": 0}"#.utf8),
                                       keeping: keep)
        XCTAssertEqual(doc, .object([("info", .object([("topic", .string("t"))])),
                                     ("data", .array([.object([("uid", .string("a"))]), .object([("uid", .string("b"))])]))]))
        // Without `records`, relative paths also apply to each element of a top-level array.
        let top = try JSONParser.parse(Array(#"[{"uid": "a", "text": "x"}]"#.utf8), keeping: extractor.projection())
        XCTAssertEqual(top, .array([.object([("uid", .string("a"))])]))
        // Elements nothing reads are kept as null, so indexes stay right.
        var second = JSONProjection()
        second.add(try FieldPath("a[1].b"))
        XCTAssertEqual(try FieldPath("a[1].b").values(in: try JSONParser.parse(Array(#"{"a": [{"b": 1}, {"b": 2}]}"#.utf8), keeping: second)),
                       [.number("2")])
    }

    /// Each document fails inside a member no field reads; the projected parse must fail the same way.
    func testMalformedSkippedMembersFailAsAFullParseDoes() {
        let bad: [[UInt8]] = [
            Array(#"{"id": 1, "skip": "unterminated}"#.utf8),
            Array(#"{"id": 1, "skip": "bad \q escape"}"#.utf8),
            Array(#"{"id": 1, "skip": "lone \ud800 surrogate"}"#.utf8),
            Array(#"{"id": 1, "skip": "bad low \ud800\u0041"}"#.utf8),
            Array(#"{"id": 1, "skip": "hex \u12G4"}"#.utf8),
            Array(#"{"id": 1, "skip": [1, 2,]}"#.utf8),
            Array(#"{"id": 1, "skip": {"a" 1}}"#.utf8),
            Array(#"{"id": 1, "skip": {"a": 01}}"#.utf8),
            Array(#"{"id": 1, "skip": -}"#.utf8),
            Array(#"{"id": 1, "skip": 1.e5}"#.utf8),
            Array(#"{"id": 1, "skip": tru}"#.utf8),
            Array(#"{"id": 1, "skip": nul"#.utf8),
            Array(#"{"id": 1, "skip": {"a": 1} "#.utf8),
            Array(#"{"id": 1, "skip": [1] x}"#.utf8),
            Array(#"{"id": 1, "skip": "a"} trailing"#.utf8),
            Array(#"{"id": 1, "skip" "a"}"#.utf8),
            Array(#"{"id": 1, "sk\"ip" 2}"#.utf8),
            Array(#"{"id": 1, "skip": "\"#.utf8),
            Array("{\"id\": 1, \"skip\": \"tab\there\"}".utf8),
            Array(#"{"id": 1, "skip": "ok"#.utf8) + [0xFF] + Array(#""}"#.utf8),
            Array(#"{"id": 1, "skip": "esc\n then bad "#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
            Array(#"{"id": 1, "skip": "overlong "#.utf8) + [0xE0, 0x80, 0xAF] + Array(#""}"#.utf8),
            Array(#"{"id": 1, "skip": "surrogate bytes "#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),
            Array(#"{"id": 1, "skip": "cut "#.utf8) + [0xEC, 0x95] + Array(#""}"#.utf8),
            Array(#"{"id": 1, "k"#.utf8) + [0xF5, 0x80, 0x80, 0x80] + Array(#"": 1}"#.utf8),
            Array(#"{"id": 1, "skip": "#.utf8) + Array(String(repeating: "[", count: 600).utf8),
        ]
        var keep = JSONProjection()
        keep.add(try! FieldPath("id"))
        for (i, doc) in bad.enumerated() {
            var full: JSONParser.Failure?, projected: JSONParser.Failure?
            XCTAssertThrowsError(try JSONParser.parse(doc)) { full = $0 as? JSONParser.Failure }
            XCTAssertThrowsError(try JSONParser.parse(doc, keeping: keep)) { projected = $0 as? JSONParser.Failure }
            XCTAssertNotNil(full, "document \(i)")
            XCTAssertEqual(projected, full, "document \(i): \(String(decoding: doc, as: UTF8.self))")
            // A tape reads the document with the same checks and fails at the same place.
            XCTAssertThrowsError(try JSONTape(doc, keeping: keep)) { XCTAssertEqual($0 as? JSONParser.Failure, full, "tape, document \(i)") }
        }
    }

    /// Valid UTF-8 of every length, escapes and numbers in skipped members parse.
    func testWellFormedSkippedMembersParse() throws {
        var keep = JSONProjection()
        keep.add(try FieldPath("id"))
        let doc = #"{"skip": ["a\u00e9\ud83d\ude00\n\"\\\/\b\f\r\t", "é한😀𐍈", -0.5e+3, 0, 12E-1, true, false, null, {}, [], {"x": [{}]}], "id": "ok"}"#
        XCTAssertEqual(try JSONParser.parse(Array(doc.utf8), keeping: keep), .object([("id", .string("ok"))]))
        XCTAssertEqual(try JSONTape(Array(doc.utf8), keeping: keep).value(JSONTape.root), .object([("id", .string("ok"))]))
    }

    /// Real fixture files: every clickbait label file (taken out of the fixture zips by Python's
    /// zipfile) gives the same record either way.
    func testClickbaitFixturesGiveTheSameRecords() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("projection-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", """
            import glob, os, sys, zipfile
            n = 0
            for z in sorted(glob.glob(os.path.join(sys.argv[1], "**/*.zip"), recursive=True)):
                with zipfile.ZipFile(z) as f:
                    for name in f.namelist():
                        if name.endswith("_L.json"):
                            os.makedirs(sys.argv[2], exist_ok=True)
                            open(os.path.join(sys.argv[2], "%05d.json" % n), "wb").write(f.read(name)); n += 1
            """, repo.appendingPathComponent("fixtures/aihub/clickbait").path, out.path]
        try python.run()
        python.waitUntilExit()
        XCTAssertEqual(python.terminationStatus, 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        XCTAssertGreaterThan(files.count, 20)
        let keep = extractor.projection()
        for file in files {
            let bytes = Array(try Data(contentsOf: out.appendingPathComponent(file)))
            let full = try extractor.extract(from: JSONParser.parse(bytes))
            XCTAssertEqual(try extractor.extract(from: JSONParser.parse(bytes, keeping: keep)), full, file)
            XCTAssertEqual(try extractor.extract(from: TapeScope(tape: JSONTape(bytes, keeping: keep))), full, "tape: \(file)")
        }
    }
}
