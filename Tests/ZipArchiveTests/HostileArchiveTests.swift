import Foundation
import SheetCore
import TestSupport
import Testing
@testable import ZipArchive

/// The fixtures written by `scripts/make-hostile-zips.py`: each must either read correctly or fail with the
/// right kind and a location naming the file (and the part where there is one).
@Suite("Hostile and broken archives")
struct HostileArchiveTests {
    /// The three parts every `basic()` fixture of the script holds.
    static let contentTypes = Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#.utf8) + [10]
        + Array(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.utf8)
    static let sheet: [UInt8] = Array((1..<400).map { #"<row r="\#($0)"><c r="A\#($0)"><v>\#($0 * $0)</v></c></row>"# }.joined().utf8)

    func expectBasic(_ zip: ZipReader, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try zip.read(named: "[Content_Types].xml") == HostileArchiveTests.contentTypes, sourceLocation: sourceLocation)
        #expect(try zip.read(named: "xl/worksheets/sheet1.xml") == HostileArchiveTests.sheet, sourceLocation: sourceLocation)
        let wb = try #require(try zip.read(named: "XL/WORKBOOK.XML"), sourceLocation: sourceLocation)
        #expect(String(decoding: wb, as: UTF8.self).contains("绩效"), sourceLocation: sourceLocation)
        _ = try readAll(zip)
    }

    // MARK: - Quirks that must read

    @Test("quirky but valid archives read correctly", arguments: [
        "hostile/data_descriptor_sig.zip", "hostile/data_descriptor_nosig.zip", "hostile/zip64_everywhere.zip",
        "hostile/zip64_descriptor.zip", "hostile/prefix_adjusted.zip", "hostile/prefix_unadjusted.zip",
        "hostile/comment_64k.zip", "hostile/backslash_names.zip",
    ])
    func quirks(_ fixture: String) throws {
        let zip = try openFixture(fixture)
        #expect(!zip.recoveredFromLocalHeaders)
        #expect(zip.entries.count == 3)
        try expectBasic(zip)
    }

    @Test("ZIP64 extra fields give the real sizes and offsets")
    func zip64Fields() throws {
        let zip = try openFixture("hostile/zip64_everywhere.zip")
        let e = try #require(zip.entry(named: "xl/worksheets/sheet1.xml"))
        #expect(e.uncompressedSize == UInt64(HostileArchiveTests.sheet.count))
        #expect(e.compressedSize < e.uncompressedSize)
        #expect(e.localHeaderOffset > 0 && e.localHeaderOffset < 10_000)
    }

    @Test("a prefix before the archive shifts every offset by its length")
    func prefixShift() throws {
        let plain = try ZipReader(bytes: try fixtureBytes("hostile/prefix_unadjusted.zip"), name: "p.zip")
        let first = try #require(plain.entries.first)
        #expect(first.localHeaderOffset == 1700)  // 100 × the 17-byte shell line
    }

    @Test("backslash names become slash names; lookup ignores case, slash kind and a leading slash")
    func backslashes() throws {
        let zip = try openFixture("hostile/backslash_names.zip")
        #expect(zip.entries.map(\.name) == ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"])
        #expect(zip.entries[1].rawName == Array(#"xl\workbook.xml"#.utf8))
        #expect(zip.entry(named: #"xl\worksheets\sheet1.xml"#) != nil)
        #expect(zip.entry(named: "/xl/Worksheets/Sheet1.XML") != nil)
        #expect(zip.entry(named: "xl/worksheets/sheet2.xml") == nil)
        #expect(try zip.read(named: "xl/sharedStrings.xml") == nil)
    }

    @Test("of two names differing only in case the first wins")
    func caseDuplicates() throws {
        let zip = try openFixture("hostile/case_duplicates.zip")
        #expect(zip.entries.count == 3)
        #expect(String(decoding: try #require(try zip.read(named: "xl/WORKBOOK.xml")), as: UTF8.self).contains("<workbook>"))
        #expect(try zip.read(zip.entries[1]) == Array("<second/>".utf8))
        #expect(try zip.read(named: "xl/styles.xml") == Array("<styleSheet/>".utf8))
    }

    @Test("names: CP437 without the UTF-8 flag, UTF-8 with or without it")
    func nameEncodings() throws {
        let zip = try openFixture("hostile/cp437_and_utf8_names.zip")
        #expect(zip.entries.map(\.name) == ["café.xml", "绩效/指标.xml", "绩效/得分.xml"])
        #expect(try zip.read(named: "绩效/得分.xml") == Array("utf8 flag".utf8))
    }

    @Test("archives by Python's zipfile and by Info-ZIP read correctly")
    func otherWriters() throws {
        let py = try openFixture("hostile/python_zipfile.zip")
        #expect(py.entries.map(\.name) == ["[Content_Types].xml", "xl/", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                            "docProps/说明.txt"])
        try expectBasic(py)
        #expect(try py.read(named: "docProps/说明.txt") == Array("绩效评价".utf8))
        #expect(py.entries[1].isDirectory && py.entries[1].uncompressedSize == 0)

        let streamed = try openFixture("hostile/python_streamed_zip64.zip")
        #expect(streamed.entries.allSatisfy { $0.hasDataDescriptor })
        #expect(try streamed.read(named: "xl/worksheets/sheet1.xml") == HostileArchiveTests.sheet)

        let url = Fixtures.url("hostile/infozip.zip")
        if FileManager.default.fileExists(atPath: url.path) {
            let iz = try ZipReader(path: url.path)
            #expect(try iz.read(named: "xl/worksheets/sheet1.xml") == HostileArchiveTests.sheet)
            let s = try openFixture("hostile/infozip_stream.zip")
            #expect(try s.read(named: "-") == HostileArchiveTests.sheet)
        }
    }

    @Test("without a central directory the local headers are scanned", arguments: [
        "hostile/no_directory_descriptor.zip", "bad/damaged_directory_zip.xlsx", "bad/truncated_in_directory_zip.xlsx",
        "bad/bad_eocd_zip.xlsx",
    ])
    func recovery(_ fixture: String) throws {
        let zip = try openFixture(fixture)
        #expect(zip.recoveredFromLocalHeaders)
        #expect(zip.entries.count == 3)
        try expectBasic(zip)
    }

    @Test("stored entries with data descriptors and no directory are found by their descriptor")
    func recoveryStored() throws {
        let zip = try openFixture("hostile/no_directory_stored.zip")
        #expect(zip.recoveredFromLocalHeaders)
        #expect(try zip.read(named: "a.xml") == Array(String(repeating: "<a/>", count: 30).utf8))
        #expect(try zip.read(named: "b.xml") == Array(String(repeating: "<b/>", count: 30).utf8))
    }

    // MARK: - Rejected

    func location(_ e: JixiaoError?, file: String, part: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let e else { return }
        #expect(e.location?.file.hasSuffix(file) == true, "\(e)", sourceLocation: sourceLocation)
        if let part { #expect(e.location?.part == part, "\(e)", sourceLocation: sourceLocation) }
        #expect(!e.message.isEmpty, sourceLocation: sourceLocation)
        #expect(e.description.contains(file), sourceLocation: sourceLocation)
    }

    @Test("files that are not workbooks")
    func notWorkbooks() throws {
        let empty = expectJixiaoError(.notAWorkbook) { try openFixture("bad/zip_empty.xlsx") }
        location(empty, file: "zip_empty.xlsx")
        #expect(empty?.message.contains("empty") == true)
        location(expectJixiaoError(.notAWorkbook) { try openFixture("bad/not_a_zip.xlsx") }, file: "not_a_zip.xlsx")
        let lock = expectJixiaoError(.notAWorkbook) { try openFixture("bad/~$zip_lockfile.xlsx") }
        location(lock, file: "~$zip_lockfile.xlsx")
        #expect(lock?.message.contains("lock file") == true)
        location(expectJixiaoError(.notAWorkbook) { try openFixture("bad/eocd_only_zip.xlsx") }, file: "eocd_only_zip.xlsx")
        location(expectJixiaoError(.notAWorkbook) { try ZipReader(bytes: [0x50, 0x4B], name: "two.xlsx") }, file: "two.xlsx")
    }

    @Test("what an 'Excel export' that is not a ZIP really is, and what to do, is said")
    func disguisedExports() throws {
        let cases: [(String, [UInt8], String?)] = [
            ("web.xlsx", Array("\u{FEFF}\r\n<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><table><tr><td>一级指标</td></tr></table>".utf8), "web page (HTML)"),
            ("table.xlsx", Array("<TABLE border=1><TR><TD>指标</TD></TR></TABLE>".utf8), "web page (HTML)"),
            ("x2003.xlsx", Array("<?xml version=\"1.0\"?><?mso-application progid=\"Excel.Sheet\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">".utf8), "Excel 2003 XML"),
            ("mht.xlsx", Array("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n".utf8), "(MHT)"),
            ("gbk.xlsx", [0xD2, 0xBB, 0xBC, 0xB6, 0xD6, 0xB8, 0xB1, 0xEA, 0x2C, 0xB7, 0xD6, 0xD6, 0xB5, 0x0D, 0x0A], "text (CSV)"),
            ("u16.xlsx", [0xFF, 0xFE, 0x00, 0x4E, 0x09, 0x00], "UTF-16 text"),
            ("pdf.xlsx", Array("%PDF-1.7\n".utf8), "PDF"),
            ("noise.xlsx", [0x01, 0x02, 0x03, 0x00, 0x9F, 0x2C], nil),
        ]
        for (name, bytes, kind) in cases {
            let e = expectJixiaoError(.notAWorkbook) { try ZipReader(bytes: bytes, name: name) }
            location(e, file: name)
            #expect(e?.message.contains("not a ZIP archive") == true, "\(name): \(String(describing: e))")
            if let kind {
                #expect(e?.message.contains(kind) == true, "\(name): \(String(describing: e))")
            } else {
                #expect(e?.message.contains(": it is") == false, "\(name): \(String(describing: e))")
            }
        }
    }

    @Test("an OLE/CFB container is reported as encrypted or legacy .xls")
    func ole() throws {
        let e = expectJixiaoError(.encrypted) { try openFixture("bad/zip_ole_encrypted.xlsx") }
        location(e, file: "zip_ole_encrypted.xlsx")
        #expect(e?.message.contains("password") == true && e?.message.contains(".xls") == true)
    }

    @Test("a missing file or a directory is an I/O error")
    func io() throws {
        location(expectJixiaoError(.io) { try ZipReader(path: "/nonexistent/附件2.xlsx") }, file: "附件2.xlsx")
        location(expectJixiaoError(.io) { try ZipReader(path: Fixtures.url("bad").path) }, file: "bad")
    }

    @Test("a truncated archive")
    func truncated() throws {
        location(expectJixiaoError(.truncated) { try openFixture("bad/truncated_zip.xlsx") }, file: "truncated_zip.xlsx",
                 part: "xl/worksheets/sheet1.xml")
        // Cut at every length: never a crash, always a clean error or a readable prefix of parts.
        let good = try fixtureBytes("hostile/data_descriptor_sig.zip")
        for n in stride(from: 0, to: good.count, by: 7) {
            do {
                let zip = try ZipReader(bytes: Array(good[0..<n]), name: "cut\(n).zip")
                for e in zip.entries { _ = try? zip.read(e) }
            } catch let e as JixiaoError {
                #expect([.truncated, .notAWorkbook, .corrupt].contains(e.kind), "cut at \(n): \(e)")
                #expect(e.location?.file == "cut\(n).zip")
            }
        }
    }

    @Test("damaged part data", arguments: [
        ("bad/bad_crc_zip.xlsx", "CRC"), ("bad/bad_deflate_zip.xlsx", "damaged"), ("bad/size_lie_zip.xlsx", "declared"),
    ])
    func corruptParts(_ fixture: String, _ word: String) throws {
        let zip = try openFixture(fixture)
        #expect(try zip.read(named: "xl/workbook.xml") != nil)
        let name = String(fixture.split(separator: "/").last!)
        let e = expectJixiaoError(.corrupt) { try zip.read(named: "xl/worksheets/sheet1.xml") }
        location(e, file: name, part: "xl/worksheets/sheet1.xml")
        #expect(e?.message.contains(word) == true, "\(String(describing: e))")
        let s = expectJixiaoError(.corrupt) { try zip.stream(zip.entry(named: "xl/worksheets/sheet1.xml")!) { _ in } }
        location(s, file: name, part: "xl/worksheets/sheet1.xml")
        if fixture.contains("deflate") {
            #expect(e?.underlying?.isEmpty == false)  // zlib's own message
        }
    }

    @Test("encrypted entries and unknown methods are unsupported")
    func unsupported() throws {
        let enc = try openFixture("bad/encrypted_entry_zip.xlsx")
        location(expectJixiaoError(.unsupported) { try enc.read(named: "xl/worksheets/sheet1.xml") },
                 file: "encrypted_entry_zip.xlsx", part: "xl/worksheets/sheet1.xml")
        let lzma = try openFixture("bad/method14_zip.xlsx")
        let e = expectJixiaoError(.unsupported) { try lzma.stream(lzma.entry(named: "xl/worksheets/sheet1.xml")!) { _ in } }
        location(e, file: "method14_zip.xlsx", part: "xl/worksheets/sheet1.xml")
        #expect(e?.message.contains("14") == true)
    }

    @Test("overlapping entries are refused", arguments: ["hostile/overlap_same_offset.zip", "hostile/overlap_nested.zip"])
    func overlap(_ fixture: String) throws {
        let e = expectJixiaoError(.unsafe) { try openFixture(fixture) }
        location(e, file: String(fixture.split(separator: "/").last!))
        #expect(e?.message.contains("overlap") == true)
    }

    // MARK: - Zip bombs

    @Test("a zip bomb stops soon after ratioGrace while streaming and at once when read whole")
    func bomb() throws {
        let zip = try openFixture("hostile/bomb_64m.zip")
        let e = try #require(zip.entries.first)
        #expect(e.uncompressedSize == 64 << 20)
        var seen = 0
        let s = expectJixiaoError(.limitExceeded) { try zip.stream(e) { seen += $0.count } }
        location(s, file: "bomb_64m.zip", part: "xl/worksheets/sheet1.xml")
        #expect(s?.message.contains("maxCompressionRatio") == true)
        #expect(seen > 0 && seen <= Int(ReadLimits.default.ratioGrace) + 65_536, "inflated \(seen) bytes before stopping")
        let r = expectJixiaoError(.limitExceeded) { try zip.read(e) }
        #expect(r?.message.contains("maxCompressionRatio") == true)
        #expect(zip.bytesRead == 0)
    }

    @Test("a bomb whose header lies about its size stops early too")
    func lyingBomb() throws {
        let zip = try openFixture("hostile/bomb_64m_lying.zip")
        let e = try #require(zip.entries.first)
        #expect(e.uncompressedSize == 1000)
        var seen = 0
        expectJixiaoError(.corrupt) { try zip.stream(e) { seen += $0.count } }
        #expect(seen <= 65_536)
        expectJixiaoError(.corrupt) { try zip.read(e) }
        // Without the size check (declared size taken away by a local-header scan), the ratio limit stops it.
        var limits = ReadLimits()
        limits.ratioGrace = 1 << 16
        let strict = try openFixture("hostile/bomb_64m.zip", limits: limits)
        var seen2 = 0
        expectJixiaoError(.limitExceeded) { try strict.stream(strict.entries[0]) { seen2 += $0.count } }
        #expect(seen2 <= (1 << 16) + 65_536)
    }

    @Test("maxPartSize and maxTotalSize are enforced")
    func sizeLimits() throws {
        var limits = ReadLimits()
        limits.maxPartSize = 10_000
        let zip = try openFixture("hostile/zip64_everywhere.zip", limits: limits)
        #expect(try zip.read(named: "[Content_Types].xml") != nil)
        let e = expectJixiaoError(.limitExceeded) { try zip.read(named: "xl/worksheets/sheet1.xml") }
        #expect(e?.message.contains("maxPartSize") == true)
        expectJixiaoError(.limitExceeded) { try zip.stream(zip.entry(named: "xl/worksheets/sheet1.xml")!) { _ in } }

        var total = ReadLimits()
        total.maxTotalSize = UInt64(HostileArchiveTests.sheet.count) + 100
        let z2 = try openFixture("hostile/zip64_everywhere.zip", limits: total)
        _ = try z2.read(named: "xl/worksheets/sheet1.xml")
        #expect(z2.bytesRead == UInt64(HostileArchiveTests.sheet.count))
        let t = expectJixiaoError(.limitExceeded) { try z2.read(named: "[Content_Types].xml") }
        #expect(t?.message.contains("maxTotalSize") == true)
    }

    @Test("a 1 GB zip bomb built at run time stops after about ratioGrace bytes")
    func gigabyteBomb() throws {
        let gib = UInt64(1) << 30
        let bytes = try zeroBomb(size: gib)
        #expect(bytes.count < 2 << 20)
        let zip = try ZipReader(bytes: bytes, name: "bomb_1g.xlsx")
        #expect(zip.entries[0].uncompressedSize == gib)
        var seen = 0
        let e = expectJixiaoError(.limitExceeded) { try zip.stream(zip.entries[0]) { seen += $0.count } }
        location(e, file: "bomb_1g.xlsx", part: "xl/worksheets/sheet1.xml")
        #expect(seen > 0 && seen <= Int(ReadLimits.default.ratioGrace) + 65_536)
        expectJixiaoError(.limitExceeded) { try zip.read(zip.entries[0]) }
        // What inflated before the stop was the start of the real data (all zeros).
        var limits = ReadLimits()
        limits.maxCompressionRatio = 1 << 40
        limits.maxPartSize = 8 << 20
        let lenient = try ZipReader(bytes: bytes, name: "bomb_1g.xlsx", limits: limits)
        var zeros = true, n = 0
        expectJixiaoError(.limitExceeded) {
            try lenient.stream(lenient.entries[0]) { buf in n += buf.count; zeros = zeros && !buf.contains { $0 != 0 } }
        }
        #expect(zeros && n >= 8 << 20)
    }

    @Test("a crafted file of chained fake headers cannot make the local-header scan quadratic")
    func scanBudget() throws {
        // Unit = local header (bit 3, deflate, name "a") + a stored deflate block of 31 bytes covering the next
        // header: from any header, inflate runs through every later unit, then hits an invalid block at the end.
        var unit: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 20, 0, 8, 0, 8, 0] + [UInt8](repeating: 0, count: 16) + [1, 0, 0, 0, 0x61]
        unit += [0x00, 31, 0, 0xE0, 0xFF]  // BFINAL 0, BTYPE 00, LEN 31, NLEN
        var file: [UInt8] = []
        for _ in 0..<20_000 { file += unit }
        file += [UInt8](repeating: 0x20, count: 31) + [0x07, 0xFF, 0xFF]  // the last block's data, then BTYPE 11: invalid
        let e = expectJixiaoError(.corrupt) { try ZipReader(bytes: file, name: "chain.xlsx") }
        #expect(e?.message.contains("too damaged") == true)
    }

    @Test("random byte flips never crash the reader", arguments: 0..<8)
    func fuzz(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 1000)
        let sources = ["hostile/zip64_everywhere.zip", "hostile/data_descriptor_nosig.zip", "hostile/python_zipfile.zip",
                       "hostile/prefix_unadjusted.zip"]
        let good = try fixtureBytes(sources[seed % sources.count])
        for round in 0..<60 {
            var b = good
            for _ in 0..<(1 + Int(rng.next() % 6)) {
                let i = Int(rng.next() % UInt64(b.count))
                b[i] = rng.next() % 4 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                let zip = try ZipReader(bytes: b, name: "fuzz.zip")
                for e in zip.entries {
                    do { _ = try zip.read(e) } catch let err as JixiaoError { #expect(err.location?.part == e.name) }
                }
            } catch let err as JixiaoError {
                #expect(err.location?.file == "fuzz.zip", "seed \(seed) round \(round)")
            }
        }
    }
}

/// The ASCII fast paths of entry-name decoding and keys give what the general paths give.
@Suite struct ZipNameFastPathTests {
    @Test func asciiPathsMatchGeneral() {
        var rng = SeededRNG(seed: 17)
        let alphabet = Array("aZ/\\._[]x0é表 ".utf8)
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...12, using: &rng)
            let raw = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            let name = ZipNames.decode(raw, flags: 0)
            #expect(ZipNames.key(name) == ZipNames.generalKey(name), "\(name)")
            if raw.allSatisfy({ $0 < 0x80 }) {
                let general = String(decoding: raw, as: UTF8.self)
                #expect(name == (general.utf8.contains(UInt8(ascii: "\\")) ? general.replacingBackslashes() : general))
            }
        }
    }
}
