import Foundation
import SheetCore
import Testing
import TestSupport
import ZipArchive
@testable import XLSXFormat

/// The cache of small parts (`PartCache`) gives what reading and parsing the parts gives.
@Suite struct PartCacheTests {
    /// Random packages, each read twice from ZIP bytes (the second time from the cache) and once from memory
    /// (never cached): same sheets, dates and cells; same bytes counted as read.
    @Test func cachedReadsMatchUncached() throws {
        var rng = SeededRNG(seed: 41)
        let formats = [("14", ""), ("0", ""), ("164", #"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>"#),
                       ("165", #"<numFmts count="1"><numFmt numFmtId="165" formatCode="0.00"/></numFmts>"#),
                       ("46", ""), ("2", "")]
        let names = ["Sheet1", "指标", "表1", "Data"]
        var packages: [PackageBuilder] = []
        for _ in 0..<12 {
            let (id, numFmts) = formats.randomElement(using: &rng)!
            let date1904 = Int.random(in: 0..<4, using: &rng) == 0
            var p = PackageBuilder.oneSheet(#"<row r="1"><c r="A1" s="1"><v>45000.5</v></c><c r="B1"><v>7</v></c><c r="C1" t="inlineStr"><is><t>x</t></is></c></row>"#,
                                            styles: numFmts + #"<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="\#(id)"/></cellXfs>"#,
                                            date1904: date1904)
            if Bool.random(using: &rng) {
                p.standard(sheets: [(names.randomElement(using: &rng)!, nil, "worksheet")], date1904: date1904)
            }
            packages.append(p)
        }
        for _ in 0..<40 {
            let p = packages.randomElement(using: &rng)!
            let bytes = try p.xlsxBytes()
            let plain = try XLSXReader(parts: p.parts)
            let expected = try plain.readGrid(sheet: 0)
            for _ in 0..<2 {
                let r = try XLSXReader(bytes: bytes, name: "t.xlsx")
                #expect(r.sheets == plain.sheets)
                #expect(r.date1904 == plain.date1904)
                #expect(try r.readGrid(sheet: 0) == expected)
            }
        }
        #expect(PartCache.shared.count > 0)
    }

    /// A part recognised from the cache still counts against maxTotalSize.
    @Test func cachedPartsCountAsRead() throws {
        let p = PackageBuilder.oneSheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#,
                                        styles: #"<cellXfs count="1"><xf numFmtId="0"/></cellXfs>"#)
        let bytes = try p.xlsxBytes()
        let first = try ZipReader(bytes: bytes, name: "a.xlsx")
        _ = try XLSXReader(source: ZipPartSource(first), limits: .default)
        let second = try ZipReader(bytes: bytes, name: "b.xlsx")
        _ = try XLSXReader(source: ZipPartSource(second), limits: .default)
        #expect(first.bytesRead > 0)
        #expect(second.bytesRead == first.bytesRead)
        // A limit below what the parts add up to is exceeded from the cache too.
        var limits = ReadLimits.default
        limits.maxTotalSize = first.bytesRead - 1
        let third = try ZipReader(bytes: bytes, name: "c.xlsx", limits: limits)
        #expect(throws: JixiaoError.self) { _ = try XLSXReader(source: ZipPartSource(third), limits: limits) }
    }

    /// Same compressed size, CRC and name but other bytes: not taken from the cache.
    @Test func comparesTheBytes() throws {
        let cache = PartCache(capacity: 2)
        let key = PartCache.Key(purpose: .styles, context: "", part: "xl/styles.xml", method: 8, crc32: 1,
                                compressedSize: 3, uncompressedSize: 9, limits: .default)
        [UInt8]([1, 2, 3]).withUnsafeBytes { cache.store(key, raw: $0, value: 42) }
        #expect([UInt8]([1, 2, 3]).withUnsafeBytes { cache.value(key, raw: $0) } as? Int == 42)
        #expect([UInt8]([1, 2, 4]).withUnsafeBytes { cache.value(key, raw: $0) } == nil)
        var other = key
        other.purpose = .workbook
        #expect([UInt8]([1, 2, 3]).withUnsafeBytes { cache.value(other, raw: $0) } == nil)
        // Bounded: the oldest entry goes first.
        for i in 0..<3 {
            var k = key
            k.crc32 = UInt32(10 + i)
            [UInt8]([1, 2, 3]).withUnsafeBytes { cache.store(k, raw: $0, value: i) }
        }
        #expect(cache.count == 2)
    }
}
