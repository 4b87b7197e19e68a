import ArchiveIO
import Foundation
import XCTest

/// A zip inside a zip or a tar is read like a top-level one: every nested zip that Python's `zipfile`
/// reads (from the member's bytes), harness reads, with the same entry names and contents.
///
/// The archives are built with the real tools (python3's zipfile and struct, `zip`, `tar`, `printf`,
/// `cat`, `dd`). "Before" records what harness did when nested zips were streamed through libarchive
/// (issue 16 section 2).
final class NestedZipCompatibilityTests: XCTestCase {
    var bench: Workbench!
    override func setUpWithError() throws { bench = try Workbench() }
    override func tearDown() { bench.remove() }

    /// base.zip (three deflated entries, one with a Korean name) and the awkward zips made from it:
    /// after a script or binary stub, padded, with stray bytes after an entry's data, and with local
    /// sizes 4 GiB off the central directory's.
    private func awkwardZips() throws {
        try bench.sh("""
            mkdir -p src && cd src
            printf '{"id": "A"}' > A_L.json
            python3 -c "print('{\\"id\\": \\"B\\", \\"text\\": \\"' + '가나다라' * 500 + '\\"}')" > B_L.json
            printf '{"id": "C"}' > '라벨_C_L.json'
            zip -q -X ../base.zip A_L.json B_L.json '라벨_C_L.json'
            cd ..
            { printf '#!/bin/sh\\necho "self-extracting stub"\\nexit 0\\n'; cat base.zip; } > prefixed.zip
            { printf 'MZ'; head -c 500 /dev/zero; cat base.zip; head -c 40000 /dev/zero; } > both.zip
            python3 - <<'EOF'
            import struct, zlib, zipfile
            # 37 stray bytes after the first entry's data, offsets fixed.
            data = open('base.zip', 'rb').read()
            cut = zipfile.ZipFile('base.zip').infolist()[1].header_offset
            gap = b'PK\\x03\\x04' * 9
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
            open('gap.zip', 'wb').write(bytes(out) + bytes(20000))
            # Local zip64 sizes 4 GiB more than the central directory's.
            def entry(name, data, method, offset):
                body = zlib.compress(data)[2:-4] if method == 8 else data
                extra = struct.pack('<HHQQ', 1, 16, len(data) + (1 << 32), len(body) + (1 << 32))
                local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0, method, 0, 0x21, zlib.crc32(data), 0xFFFFFFFF, 0xFFFFFFFF, len(name), len(extra)) + name + extra + body
                central = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 45, 45, 0, method, 0, 0x21, zlib.crc32(data), len(body), len(data), len(name), 0, 0, 0, 0, 0, offset) + name
                return local, central
            locals_, centrals = b'', b''
            for name, data, method in [(b'M_L.json', b'{"id": "M"}' * 5, 0), (b'N_L.json', b'{"id": "N"}' * 50, 8)]:
                l, c = entry(name, data, method, len(locals_))
                locals_ += l; centrals += c
            open('quirk.zip', 'wb').write(locals_ + centrals + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 2, 2, len(centrals), len(locals_), 0))
            EOF
            """)
    }

    /// What python3 reads: every file entry's name and bytes, nested zips (by name, as harness opens
    /// them) read from their bytes and named `outer.zip!inner.json`. The top level may be a tar.
    private func python(_ path: String) throws -> [String: Data] {
        let out = try bench.sh("""
            python3 - '\(path)' <<'EOF'
            import base64, io, json, sys, tarfile, zipfile
            rows = []
            def walk_zip(z, prefix):
                for i in z.infolist():
                    if i.is_dir(): continue
                    name = i.filename if i.flag_bits & 0x800 else i.filename.encode('cp437').decode('utf-8')
                    add(prefix + name, z.read(i))
            def add(name, data):
                if name.lower().endswith('.zip'):
                    walk_zip(zipfile.ZipFile(io.BytesIO(data)), name + '!')
                else:
                    rows.append([name, base64.b64encode(data).decode()])
            if tarfile.is_tarfile(sys.argv[1]):
                with tarfile.open(sys.argv[1]) as t:
                    for m in t.getmembers():
                        if m.isfile(): add(m.name, t.extractfile(m).read())
            else:
                walk_zip(zipfile.ZipFile(sys.argv[1]), '')
            print(json.dumps(rows))
            EOF
            """)
        let rows = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [[String]]
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0].precomposedStringWithCanonicalMapping, Data(base64Encoded: $0[1])!) })
    }

    /// What harness reads from `data/`, entries named through the nested archives.
    private func harness(limits: ArchiveLimits = ArchiveLimits()) throws -> [String: Data] {
        var seen: [String: Data] = [:]
        let scanner = ArchiveScanner(root: bench.dir + "/data", archives: [Glob("*.zip")], entries: [Glob("*")], limits: limits)
        try scanner.scanBothWays { seen[$0.entry] = Data($0.data) }
        return seen
    }

    /// Puts `path` alone under `data/` as `name` and checks that harness and python read the same entries.
    private func assertSameAsPython(_ path: String, as name: String = "TL_case.zip", file: StaticString = #filePath, line: UInt = #line) throws {
        try bench.sh("rm -rf data && mkdir data && cp '\(path)' 'data/\(name)'")
        let expected = try python(path)
        XCTAssertGreaterThan(expected.count, 3, "python read too little", file: file, line: line)
        let got: [String: Data]
        do { got = try harness() } catch { return XCTFail("harness refused what python reads: \(error)", file: file, line: line) }
        XCTAssertEqual(got.keys.sorted(), expected.keys.sorted(), file: file, line: line)
        for (name, data) in expected { XCTAssertEqual(got[name], data, "entry \(name)", file: file, line: line) }
    }

    // Before: a nested zip went to libarchive's streaming reader, which walks local headers. The
    // prefixed zips failed at once ("Unrecognized archive format"; `cat prefixed.zip | bsdtar -tf -`
    // says the same); stray bytes and 4 GiB-off local sizes are what that walk trips on at the top
    // level (see ZipCompatibilityTests).
    func testAwkwardZipsInsideAStoredAndADeflatedZip() throws {
        try awkwardZips()
        try bench.sh("""
            zip -q -0 stored.zip base.zip prefixed.zip both.zip gap.zip quirk.zip
            zip -q -9 deflated.zip base.zip prefixed.zip both.zip gap.zip quirk.zip
            """)
        try assertSameAsPython("stored.zip")
        try assertSameAsPython("deflated.zip")
    }

    func testAwkwardZipsInsideATarAndTwoLevelsDeep() throws {
        try awkwardZips()
        try bench.sh("""
            mkdir -p t && cp prefixed.zip t/TL_prefixed.zip && cp gap.zip t/TL_gap.zip && cp quirk.zip t/TL_quirk.zip
            tar -cf download.tar -C t TL_prefixed.zip TL_gap.zip TL_quirk.zip
            zip -q -0 mid.zip prefixed.zip both.zip
            { printf 'stub'; cat mid.zip; head -c 30000 /dev/zero; } > mid-prefixed.zip
            zip -q outer.zip mid-prefixed.zip base.zip
            """)
        try assertSameAsPython("download.tar", as: "download.tar")
        try assertSameAsPython("outer.zip")
    }

    func testANestedZipOverTheLimitOrCutShortIsRefusedByName() throws {
        try awkwardZips()
        try bench.sh("""
            head -c $(( $(stat -c %s base.zip) - 30 )) base.zip > cut.zip
            zip -q -0 outer.zip prefixed.zip && zip -q -0 outer-cut.zip cut.zip
            mkdir data && cp outer.zip data/TL_case.zip
            """)
        XCTAssertThrowsError(try harness(limits: ArchiveLimits(maxNestedZipBytes: 200))) { error in
            XCTAssertEqual("\(error)", "TL_case.zip: nested zip 'prefixed.zip' is at least \(try! fileSize("prefixed.zip")) bytes, "
                + "more than the 200 bytes harness copies out to read a nested zip; extract it and point source.root at the extracted zip")
        }
        try bench.sh("rm -rf data && mkdir data && cp outer-cut.zip data/TL_case.zip")
        XCTAssertThrowsError(try harness()) { error in
            guard case let .corrupt(_, entry, _)? = error as? ArchiveError else { return XCTFail("\(error)") }
            XCTAssertEqual(entry, "cut.zip")
        }
    }

    private func fileSize(_ name: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: bench.dir + "/" + name)[.size] as? NSNumber)?.int64Value ?? -1
    }
}
