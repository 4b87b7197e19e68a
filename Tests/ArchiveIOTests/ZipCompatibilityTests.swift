import ArchiveIO
import Foundation
import XCTest

/// Every zip that Python's `zipfile` reads, harness reads, with the same entry names and contents.
///
/// Each case builds its zip with the real tools (python3's zipfile and struct, the `zip` CLI, `printf`,
/// `cat`, `dd`), reads it through `ArchiveScanner` as the ingest does, and compares with what python3
/// reads from the same file. "Before the fix" records what harness did before the zip compatibility
/// work (issue 16 section 2).
final class ZipCompatibilityTests: XCTestCase {
    var bench: Workbench!
    override func setUpWithError() throws { bench = try Workbench() }
    override func tearDown() { bench.remove() }

    /// Three entries, deflated by Info-ZIP, with a UTF-8-flagged Korean name.
    private func baseZip(_ path: String = "base.zip") throws {
        try bench.sh("""
            mkdir -p src && cd src
            printf '{"id": "A"}' > A_L.json
            python3 -c "print('{\\"id\\": \\"B\\", \\"text\\": \\"' + '가나다라' * 500 + '\\"}')" > B_L.json
            printf '{"id": "C"}' > '라벨_C_L.json'
            zip -q -X ../\(path) A_L.json B_L.json '라벨_C_L.json'
            """)
    }

    /// What python3's zipfile reads: every file entry's name and bytes, in central-directory order.
    private func python(_ path: String) throws -> [String: Data] {
        let out = try bench.sh("""
            python3 - '\(path)' <<'EOF'
            import base64, json, sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                # Names without the UTF-8 flag come back as cp437; harness reads them as UTF-8 (or CP949).
                name = lambda i: i.filename if i.flag_bits & 0x800 else i.filename.encode('cp437').decode('utf-8')
                print(json.dumps([[name(i), base64.b64encode(z.read(i)).decode()] for i in z.infolist() if not i.is_dir()]))
            EOF
            """)
        let rows = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [[String]]
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0].precomposedStringWithCanonicalMapping, Data(base64Encoded: $0[1])!) })
    }

    /// What harness reads from the single archive under `data/`.
    private func harness() throws -> [String: Data] {
        var seen: [String: Data] = [:]
        let scanner = ArchiveScanner(root: bench.dir + "/data", archives: [Glob("*.zip")], entries: [Glob("*")])
        try scanner.scanBothWays { seen[$0.entry] = Data($0.data) }
        return seen
    }

    /// Puts `path` alone under `data/` and checks that harness and python read the same non-empty entries.
    private func assertSameAsPython(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try bench.sh("rm -rf data && mkdir data && cp '\(path)' data/TL_case.zip")
        let expected = try python(path)
        XCTAssertFalse(expected.isEmpty, "python read nothing", file: file, line: line)
        let got: [String: Data]
        do { got = try harness() } catch { return XCTFail("harness refused what python reads: \(error)", file: file, line: line) }
        XCTAssertEqual(got.keys.sorted(), expected.keys.sorted(), file: file, line: line)
        for (name, data) in expected { XCTAssertEqual(got[name], data, "entry \(name)", file: file, line: line) }
    }

    private func assertFails(_ path: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try bench.sh("rm -rf data && mkdir data && cp '\(path)' data/TL_case.zip")
        XCTAssertThrowsError(try harness(), file: file, line: line) { error in
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    func testTheBaseZipIsReadLikePython() throws {
        try baseZip()
        try assertSameAsPython("base.zip")
    }

    // Before the fix all three failed: "not a zip or tar file (unrecognised first bytes)", from the
    // first-bytes sniffing.
    func testZipsWithBytesBeforeTheFirstEntry() throws {
        try baseZip()
        try bench.sh("""
            printf '#!/bin/sh\\necho "self-extracting stub"\\nexit 0\\n' > script.stub
            { printf '\\177ELF\\002\\001\\001'; head -c 3000 /dev/zero; } > binary.stub
            cat script.stub base.zip > script-prefixed.zip
            cat binary.stub base.zip > binary-prefixed.zip
            cp binary-prefixed.zip adjusted.zip && zip -q -A adjusted.zip
            """)
        // `cat` leaves the offsets relative to the zip; `zip -A` (as for self-extractors) moves them to the file.
        XCTAssertNotEqual(try bench.sh("cmp -s binary-prefixed.zip adjusted.zip && echo same || echo differ"), "same\n")
        try assertSameAsPython("script-prefixed.zip")
        try assertSameAsPython("binary-prefixed.zip")
        try assertSameAsPython("adjusted.zip")
    }

    // Before the fix: padding alone passed (libarchive's seekable reader within 16 KiB of the end, its
    // streaming reader past that); padding after a prefixed zip failed: "not a zip or tar file".
    // Padding between entries is in testStrayBytesAfterAnEntrysData.
    func testPaddedZips() throws {
        try baseZip()
        try bench.sh("""
            cp base.zip small-pad.zip && dd if=/dev/zero bs=1 count=100 status=none >> small-pad.zip
            cp base.zip large-pad.zip && dd if=/dev/zero bs=1000 count=40 status=none >> large-pad.zip
            { printf 'MZ'; head -c 500 /dev/zero; cat base.zip; head -c 40000 /dev/zero; } > both.zip
            """)
        try assertSameAsPython("small-pad.zip")
        // Beyond the 16 KiB that libarchive searches for the end record, within python's 64 KiB.
        try assertSameAsPython("large-pad.zip")
        try assertSameAsPython("both.zip")
    }

    /// Inserts `fill` `count` times after the data of entry `index` (0-based) and fixes the offsets.
    private func insertGap(_ from: String, _ to: String, after index: Int, count: Int, fill: String = "\\xAA") throws {
        try bench.sh("""
            python3 - <<'EOF'
            import struct, zipfile
            data = open('\(from)', 'rb').read()
            infos = zipfile.ZipFile('\(from)').infolist()
            cut = infos[\(index + 1)].header_offset
            gap = b'\(fill)' * \(count)
            out = bytearray(data[:cut] + gap + data[cut:])
            eocd = out.rfind(b'PK\\x05\\x06')
            cd = struct.unpack('<I', out[eocd + 16:eocd + 20])[0] + len(gap)
            out[eocd + 16:eocd + 20] = struct.pack('<I', cd)
            p = cd
            while out[p:p + 4] == b'PK\\x01\\x02':
                off = struct.unpack('<I', out[p + 42:p + 46])[0]
                if off >= cut: out[p + 42:p + 46] = struct.pack('<I', off + len(gap))
                n, e, c = struct.unpack('<HHH', out[p + 28:p + 34])
                p += 46 + n + e + c
            open('\(to)', 'wb').write(out)
            EOF
            """)
    }

    // Before the fix: gap.zip and gap-pk.zip passed (libarchive's seekable reader, which follows the
    // central directory); gap-padded.zip failed, "Truncated ZIP file header", because past 16 KiB of
    // padding libarchive walks the local headers and takes the fake signature for one; gap-prefixed.zip
    // failed, "not a zip or tar file".
    func testStrayBytesAfterAnEntrysData() throws {
        try baseZip()
        try insertGap("base.zip", "gap.zip", after: 0, count: 37)
        // Bytes that look like a local header signature are the hard case for a local-header walk.
        try insertGap("base.zip", "gap-pk.zip", after: 1, count: 8, fill: "PK\\x03\\x04")
        try bench.sh("""
            { printf 'SFX'; cat gap.zip; } > gap-prefixed.zip
            cp gap-pk.zip gap-padded.zip && dd if=/dev/zero bs=1000 count=20 status=none >> gap-padded.zip
            """)
        try assertSameAsPython("gap.zip")
        try assertSameAsPython("gap-pk.zip")
        try assertSameAsPython("gap-padded.zip")
        try assertSameAsPython("gap-prefixed.zip")
    }

    // Before the fix: "entry 'M_L.json' is 4294967351 bytes, over the limit of 268435456 bytes": libarchive
    // takes the local header's size (and, under a higher limit, says "Inconsistent uncompressed size"
    // and then "Truncated ZIP file data").
    func testSizesThatDisagreeBy4GiBBetweenTheLocalHeaderAndTheCentralDirectory() throws {
        // A zip64 writer quirk: the local header's zip64 sizes are 4 GiB more than the central
        // directory's. Python reads entries by the central directory and ignores the local sizes.
        try bench.sh("""
            python3 - <<'EOF'
            import struct, zlib
            def entry(name, data, method, offset, quirk):
                body = zlib.compress(data)[2:-4] if method == 8 else data
                crc = zlib.crc32(data)
                if quirk:
                    extra = struct.pack('<HHQQ', 1, 16, len(data) + (1 << 32), len(body) + (1 << 32))
                    sizes = (0xFFFFFFFF, 0xFFFFFFFF)
                else:
                    extra, sizes = b'', (len(body), len(data))
                local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0, method, 0, 0x21, crc, sizes[0], sizes[1], len(name), len(extra)) + name + extra + body
                central = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 45, 45, 0, method, 0, 0x21, crc, len(body), len(data), len(name), 0, 0, 0, 0, 0, offset) + name
                return local, central
            items = [(b'M_L.json', b'{"id": "M"}' * 5, 0, True), (b'N_L.json', b'{"id": "N"}' * 50, 8, True), (b'O_L.json', b'{"id": "O"}', 8, False)]
            locals_, centrals = b'', b''
            for name, data, method, quirk in items:
                l, c = entry(name, data, method, len(locals_), quirk)
                locals_ += l; centrals += c
            eocd = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, len(items), len(items), len(centrals), len(locals_), 0)
            open('quirk.zip', 'wb').write(locals_ + centrals + eocd)
            EOF
            """)
        try assertSameAsPython("quirk.zip")
    }

    // Zip64 records and fields must survive the view: Info-ZIP's `-fz` writes zip64 end records and
    // local sizes of 0xFFFFFFFF; python's force_zip64 puts zip64 sizes in the local header only;
    // a zip written to a pipe has data descriptors and zero local sizes.
    // Before the fix the plain ones passed and the prefixed one failed ("not a zip or tar file");
    // the long comment passed.
    func testZip64AndLongComments() throws {
        try baseZip()
        try bench.sh("""
            cp base.zip z64.zip && zip -q -fz z64.zip src/A_L.json
            (cd src && zip -q - A_L.json B_L.json | cat > ../piped.zip)
            python3 -c "import zipfile; assert all(i.flag_bits & 8 for i in zipfile.ZipFile('piped.zip').infolist()), 'no data descriptors'"
            python3 -c "import zipfile; d = open('z64.zip', 'rb').read(); assert b'PK\\x06\\x06' in d and b'PK\\x06\\x07' in d, 'no zip64 end record'"
            { printf '#!/bin/sh\\nexit 0\\n'; head -c 1000 /dev/zero; cat z64.zip; head -c 30000 /dev/zero; } > z64-prefixed.zip
            python3 - <<'EOF'
            import zipfile
            with zipfile.ZipFile('forced.zip', 'w', zipfile.ZIP_DEFLATED) as z:
                for name, text in [('F_L.json', '{"id": "F"}' * 40), ('G_L.json', '{"id": "G"}')]:
                    with z.open(name, 'w', force_zip64=True) as f: f.write(text.encode())
            with zipfile.ZipFile('commented.zip', 'w') as z:
                z.writestr('H_L.json', '{"id": "H"}')
                z.comment = b'c' * 30000
            EOF
            """)
        try assertSameAsPython("z64.zip")
        try assertSameAsPython("z64-prefixed.zip")
        try assertSameAsPython("forced.zip")
        try assertSameAsPython("commented.zip")
        try assertSameAsPython("piped.zip")
    }

    // Before the fix every case failed with "... The file is corrupt or truncated; download it again":
    // "Unsupported ZIP compression method (9: deflation-64-bit)", "not a zip or tar file" (prefixed) and
    // "unknown libarchive error" (a nested zip stored with Deflate64).
    func testDeflate64IsNamedNotCalledCorrupt() throws {
        try bench.sh("""
            python3 - <<'EOF'
            import struct, zlib
            def deflate64(path, name, data):
                local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 21, 0, 9, 0, 0x21, zlib.crc32(data), len(data), 200, len(name), 0) + name + data
                central = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 21, 21, 0, 9, 0, 0x21, zlib.crc32(data), len(data), 200, len(name), 0, 0, 0, 0, 0, 0) + name
                open(path, 'wb').write(local + central + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 1, 1, len(central), len(local), 0))
            deflate64('d64.zip', b'D_L.json', bytes(range(40)))
            deflate64('d64-outer.zip', b'inner.zip', bytes(range(40)))
            EOF
            { printf 'stub'; cat d64.zip; } > d64-prefixed.zip
            zip -q -0 nested.zip d64.zip
            """)
        try assertFails("d64.zip", "TL_case.zip: entry 'D_L.json' uses Deflate64, which is not supported; re-zip it with ordinary deflate (zip -r)")
        // Prefixed too: the message comes from the central directory, wherever the zip starts.
        try assertFails("d64-prefixed.zip", "TL_case.zip: entry 'D_L.json' uses Deflate64, which is not supported; re-zip it with ordinary deflate (zip -r)")
        // A nested zip stored with Deflate64, and a Deflate64 entry inside a nested zip (read as a stream).
        try assertFails("d64-outer.zip", "TL_case.zip: entry 'inner.zip' uses Deflate64, which is not supported; re-zip it with ordinary deflate (zip -r)")
        try assertFails("nested.zip", "TL_case.zip: entry 'd64.zip!D_L.json' uses Deflate64, which is not supported; re-zip it with ordinary deflate (zip -r)")
    }

    // Before the fix: "cannot read the archive: Passphrase required for this entry. The file is corrupt
    // or truncated; download it again" for ZipCrypto, nested ZipCrypto and AES.
    func testEncryptedEntriesAskForAPassword() throws {
        try bench.sh("cd $(mktemp -d) && printf '{\"id\": \"S\"}' > S_L.json && zip -q -e -P secret \(bench.dir)/zipcrypto.zip S_L.json")
        try assertFails("zipcrypto.zip", "TL_case.zip: entry 'S_L.json' is encrypted; a password is required")
        try bench.sh("zip -q -0 nested.zip zipcrypto.zip")
        try assertFails("nested.zip", "TL_case.zip: entry 'zipcrypto.zip!S_L.json' is encrypted; a password is required")
        // WinZip AES: method 99 with its 0x9901 extra field (python can build the layout, not the cipher).
        try bench.sh("""
            python3 - <<'EOF'
            import struct
            name, data = b'E_L.json', bytes(60)
            extra = struct.pack('<HHH2sBH', 0x9901, 7, 2, b'AE', 3, 8)
            local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 51, 1, 99, 0, 0x21, 0, len(data), 30, len(name), len(extra)) + name + extra + data
            central = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 51, 51, 1, 99, 0, 0x21, 0, len(data), 30, len(name), len(extra), 0, 0, 0, 0, 0) + name + extra
            open('aes.zip', 'wb').write(local + central + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 1, 1, len(central), len(local), 0))
            EOF
            """)
        try assertFails("aes.zip", "TL_case.zip: entry 'E_L.json' is encrypted; a password is required")
        // An encrypted entry that the spec does not select is no error.
        try bench.sh("rm -rf data && mkdir data && cp zipcrypto.zip data/TL_case.zip")
        let scanner = ArchiveScanner(root: bench.dir + "/data", archives: [Glob("*.zip")], entries: [Glob("*_X.json")])
        XCTAssertNoThrow(try scanner.scan { _ in })
    }

    // Keeps the readers above from turning real damage into a success. Before the fix the entry check
    // failed: the whole prefixed file was refused by the first-bytes sniffing, naming no entry.
    func testDamageIsStillCorrupt() throws {
        try baseZip()
        try bench.sh("""
            { printf 'stub'; cat base.zip; } > prefixed.zip
            head -c $(( $(stat -c %s prefixed.zip) / 2 )) prefixed.zip > cut.zip
            # Bytes flipped in B_L.json's deflated data (4 for the prefix, 30 + 8 for its local header).
            at=$(python3 -c "import zipfile; i = zipfile.ZipFile('base.zip').getinfo('B_L.json'); assert i.compress_size > 20; print(4 + i.header_offset + 30 + 8 + 2)")
            cp prefixed.zip flipped.zip && printf 'XXXXXXXXXXXXXXXX' | dd of=flipped.zip bs=1 seek=$at conv=notrunc status=none
            """)
        try bench.sh("rm -rf data && mkdir data && cp cut.zip data/TL_case.zip")
        XCTAssertThrowsError(try harness()) { error in
            guard case .corrupt? = error as? ArchiveError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".hasSuffix("The file is corrupt or truncated; download it again"), "\(error)")
        }
        try bench.sh("rm -rf data && mkdir data && cp flipped.zip data/TL_case.zip")
        XCTAssertThrowsError(try harness()) { error in
            guard case let .corrupt(_, entry, _)? = error as? ArchiveError else { return XCTFail("\(error)") }
            XCTAssertEqual(entry, "B_L.json")
        }
    }
}
