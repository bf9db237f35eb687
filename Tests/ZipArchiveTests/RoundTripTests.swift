import Foundation
import SheetCore
import TestSupport
import Testing
@testable import ZipArchive

@Suite("ZipWriter → ZipReader round trips")
struct RoundTripTests {
    static let nameParts = ["xl", "worksheets", "sheet", "绩效", "指标体系", "得分", "Ünïcødé", "a b", "[Content_Types]",
                            "docProps", "评价表（2024年）", "_rels", "😀"]

    /// Random part contents: empty, text-like (compressible) or random (incompressible) bytes.
    static func randomData(_ rng: inout SplitMix64, maxSize: Int) -> [UInt8] {
        let size: Int
        switch rng.next() % 10 {
        case 0: size = 0
        case 1: size = Int(rng.next() % UInt64(maxSize + 1))
        default: size = Int(rng.next() % 5000)
        }
        if rng.next() % 2 == 0 {
            let words = Array("<row r=\"1\"><c t=\"s\"><v>12</v></c></row>产出指标 数量指标 ".utf8)
            return (0..<size).map { i in words[(i * 7 + i / 13) % words.count] }
        }
        return (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    static func randomArchive(seed: UInt64, maxSize: Int) throws
        -> (bytes: [UInt8], parts: [(name: String, data: [UInt8], compress: Bool)]) {
        var rng = SplitMix64(seed: seed)
        var writer = ZipWriter()
        var parts: [(name: String, data: [UInt8], compress: Bool)] = []
        var used = Set<String>()
        let count = Int(rng.next() % 12)
        for i in 0..<count {
            let depth = 1 + Int(rng.next() % 3)
            var name = (0..<depth).map { _ in nameParts[Int(rng.next() % UInt64(nameParts.count))] }
                .joined(separator: "/")
            name += "\(i).xml"
            guard used.insert(name.lowercased()).inserted else { continue }
            let data = randomData(&rng, maxSize: maxSize)
            let compress = rng.next() % 3 != 0
            try writer.add(name, data, compress: compress, level: Int32(rng.next() % 10))
            parts.append((name, data, compress))
        }
        return (try writer.finish(), parts)
    }

    @Test("seeded random archives read back identically", arguments: 0..<24)
    func randomRoundTrip(seed: Int) throws {
        let maxSize = seed % 4 == 0 ? 1 << 20 : 64 << 10
        let (bytes, parts) = try RoundTripTests.randomArchive(seed: UInt64(seed), maxSize: maxSize)
        let zip = try ZipReader(bytes: bytes, name: "seed\(seed).zip")
        #expect(zip.entries.map(\.name) == parts.map(\.name), "seed \(seed)")
        #expect(!zip.recoveredFromLocalHeaders)
        let read = try readAll(zip)
        for p in parts {
            #expect(read[p.name] == p.data, "seed \(seed): \(p.name)")
            let e = try #require(zip.entry(named: p.name.uppercased()))
            #expect(e.name == p.name)
            #expect(e.method == (p.compress ? 8 : 0))
            #expect(e.flags == (p.name.utf8.contains { $0 >= 0x80 } ? 0x0800 : 0))
            #expect(e.modDate == 0x21 && e.modTime == 0)
        }
        // Deterministic: the same input gives the same bytes.
        let again = try RoundTripTests.randomArchive(seed: UInt64(seed), maxSize: maxSize)
        #expect(again.bytes == bytes)
    }

    @Test("an empty archive is 22 bytes and reads back with no entries")
    func emptyArchive() throws {
        var w = ZipWriter()
        let bytes = try w.finish()
        #expect(bytes.count == 22)
        let zip = try ZipReader(bytes: bytes, name: "empty.zip")
        #expect(zip.entries.isEmpty)
        #expect(try zip.read(named: "xl/workbook.xml") == nil)
    }

    @Test("a part produced in pieces gives the same archive as the part added whole",
          arguments: [1, 7, 4096, 100_000])
    func streamedAddMatchesWholeAdd(piece: Int) throws {
        var rng = SplitMix64(seed: UInt64(piece))
        let data = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: rng.next() % 16) } + Array(repeating: 65, count: 250_000)
        var whole = ZipWriter()
        try whole.add("xl/worksheets/sheet1.xml", data)
        let a = try whole.finish()
        var streamed = ZipWriter()
        try streamed.add("xl/worksheets/sheet1.xml") { write in
            var o = 0
            while o < data.count {
                let n = min(piece, data.count - o)
                try data[o..<(o + n)].withUnsafeBytes { try write($0) }
                o += n
            }
        }
        let b = try streamed.finish()
        #expect(a == b)
        #expect(try ZipReader(bytes: b, name: "s.zip").read(named: "xl/worksheets/sheet1.xml") == data)
    }

    @Test("copy() moves parts byte for byte, keeping other writers' methods and times")
    func copyParts() throws {
        let source = try openFixture("hostile/python_zipfile.zip")
        var w = ZipWriter()
        for e in source.entries { try w.copy(e, from: source) }
        try w.add("extra.xml", Array("<x/>".utf8))
        let out = try ZipReader(bytes: try w.finish(), name: "copy.zip")
        #expect(out.entries.count == source.entries.count + 1)
        for e in source.entries {
            let c = try #require(out.entry(named: e.name))
            #expect(try out.rawData(c) == source.rawData(e))
            #expect(c.crc32 == e.crc32 && c.method == e.method && c.modDate == e.modDate && c.modTime == e.modTime)
            #expect(try out.read(c) == source.read(e))
        }
        // Copying entries that had data descriptors drops flag bit 3 and still reads.
        let dd = try openFixture("hostile/data_descriptor_sig.zip")
        var w2 = ZipWriter()
        for e in dd.entries { try w2.copy(e, from: dd) }
        let out2 = try ZipReader(bytes: try w2.finish(), name: "copy2.zip")
        for e in out2.entries { #expect(e.flags & 8 == 0) }
        #expect(try readAll(out2) == readAll(dd))
    }

    @Test("streaming to a file gives the same bytes as building in memory")
    func fileHandleWriter() throws {
        let dir = try Fixtures.tempDirectory("zipwriter")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("out.xlsx")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        var rng = SplitMix64(seed: 42)
        let big = (0..<6_000_000).map { _ in UInt8(truncatingIfNeeded: rng.next() % 64) }  // > the 4 MiB flush
        let produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void = { write in
            for k in stride(from: 0, to: big.count, by: 1 << 20) {
                try big[k..<min(k + (1 << 20), big.count)].withUnsafeBytes { try write($0) }
            }
        }
        var fw = ZipWriter(fileHandle: handle)
        var mw = ZipWriter()
        try fw.add("a.xml", Array("<a/>".utf8))
        try mw.add("a.xml", Array("<a/>".utf8))
        try fw.add("xl/worksheets/sheet1.xml", level: 1, produce: produce)
        try mw.add("xl/worksheets/sheet1.xml", level: 1, produce: produce)
        #expect(try fw.finish().isEmpty)
        try handle.close()
        let memory = try mw.finish()
        let onDisk = [UInt8](try Data(contentsOf: url))
        #expect(onDisk == memory)
        let zip = try ZipReader(path: url.path)
        #expect(try zip.read(named: "xl/worksheets/sheet1.xml") == big)
    }

    @Test("writer refuses duplicate names, empty names, bad levels and use after finish")
    func writerErrors() throws {
        var w = ZipWriter()
        try w.add("xl/workbook.xml", [1, 2, 3])
        let dup = expectJixiaoError(.invalidValue) { try w.add("XL/Workbook.xml", [4]) }
        #expect(dup?.location?.part == "XL/Workbook.xml")
        expectJixiaoError(.invalidValue) { try w.add("", [4]) }
        expectJixiaoError(.invalidValue) { try w.add("a.xml", [4], level: 12) }
        _ = try w.finish()
        expectJixiaoError(.invalidValue) { try w.add("b.xml", [4]) }
        expectJixiaoError(.invalidValue) { try w.finish() }
    }

    @Test("a writer whose producer fails refuses further use")
    func producerFailure() throws {
        struct Boom: Error {}
        var w = ZipWriter()
        #expect(throws: Boom.self) {
            try w.add("a.xml") { write in
                try [UInt8]([1, 2, 3]).withUnsafeBytes { try write($0) }
                throw Boom()
            }
        }
        expectJixiaoError(.invalidValue) { try w.finish() }
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard hay.count >= needle.count else { return false }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }

    @Test("ZIP64 end records appear only when 65535 or more entries need them")
    func zip64OnlyWhenNeeded() throws {
        var small = ZipWriter()
        for i in 0..<300 { try small.add("p\(i)", [], compress: false) }
        let s = try small.finish()
        #expect(!RoundTripTests.contains(s, [0x50, 0x4B, 0x06, 0x06]))
        var large = ZipWriter()
        for i in 0..<65_536 { try large.add("p\(i)", [], compress: false) }
        let l = try large.finish()
        #expect(RoundTripTests.contains(l, [0x50, 0x4B, 0x06, 0x06]))
        #expect(RoundTripTests.contains(l, [0x50, 0x4B, 0x06, 0x07]))
        let zip = try ZipReader(bytes: l, name: "many.zip")   // the default limit is 65,536 entries
        #expect(zip.entries.count == 65_536)
        #expect(zip.entries.last?.name == "p65535")
        var tight = ReadLimits()
        tight.maxZipEntries = 65_535
        let e = expectJixiaoError(.limitExceeded) { try ZipReader(bytes: l, name: "many.zip", limits: tight) }
        #expect(e?.message.contains("maxZipEntries") == true)
        #expect(e?.location?.file == "many.zip")
    }

    @Test("CRC32 matches zlib's known value and continues across pieces")
    func crc() {
        let text = Array("123456789".utf8)
        #expect(CRC32.checksum(text) == 0xCBF4_3926)
        let a = Array(text[0..<4]), b = Array(text[4...])
        #expect(CRC32.checksum(b, seed: CRC32.checksum(a)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }
}

@Suite("ZipReader concurrency")
struct ConcurrencyTests {
    @Test("entries can be read from several threads at once; maxTotalSize counts them all")
    func parallelReads() throws {
        let (bytes, parts) = try RoundTripTests.randomArchive(seed: 99, maxSize: 200_000)
        let zip = try ZipReader(bytes: bytes, name: "parallel.zip")
        try #require(zip.entries.count >= 3)
        let expected = Dictionary(uniqueKeysWithValues: parts.map { ($0.name, $0.data) })
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 64)
        results.initialize(repeating: false)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let e = zip.entries[i % zip.entries.count]
            results[i] = (try? zip.read(e)) == expected[e.name]
        }
        #expect(results.allSatisfy { $0 })
        var total: UInt64 = 0
        for i in 0..<64 { total += zip.entries[i % zip.entries.count].uncompressedSize }
        #expect(zip.bytesRead == total)
    }
}

@Suite("ZipReader.stream")
struct StreamTests {
    @Test("an error thrown by the body comes out unchanged and the reader stays usable")
    func bodyError() throws {
        struct Stop: Error, Equatable {}
        var w = ZipWriter()
        let data = [UInt8](repeating: 0x41, count: 300_000)
        try w.add("a.xml", data)
        try w.add("b.xml", data, compress: false)
        let zip = try ZipReader(bytes: try w.finish(), name: "s.zip")
        for e in zip.entries {
            var calls = 0
            #expect(throws: Stop.self) {
                try zip.stream(e, chunkSize: 10_000) { _ in calls += 1; if calls == 2 { throw Stop() } }
            }
            #expect(calls == 2)
            var sizes: [Int] = []
            try zip.stream(e, chunkSize: 10_000) { sizes.append($0.count) }
            #expect(sizes.reduce(0, +) == data.count)
            #expect(sizes.allSatisfy { $0 <= 10_000 })
        }
        #expect(zip.bytesRead == 2 * UInt64(data.count))
    }
}

/// `ZipReader.retainParts(upTo:)`: parts read whole are kept and handed out again without inflating them.
@Suite struct RetainedPartsTests {
    @Test func keptPartsComeBackWithoutBeingReadAgain() throws {
        var w = ZipWriter()
        let small = Array(String(repeating: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", count: 40).utf8)
        let big = Array(String(repeating: "数据", count: 3000).utf8)
        try w.add("xl/worksheets/sheet1.xml", small)
        try w.add("xl/worksheets/sheet2.xml", big)
        let zip = try ZipReader(bytes: try w.finish(), name: "t.xlsx")
        zip.retainParts(upTo: UInt64(small.count))

        #expect(try zip.read(named: "xl/worksheets/sheet1.xml") == small)
        let afterFirst = zip.bytesRead
        #expect(afterFirst == UInt64(small.count))
        // Kept: the same bytes, nothing inflated or counted again (also by another spelling of the name).
        #expect(try zip.read(named: "XL\\worksheets\\SHEET1.xml") == small)
        #expect(zip.bytesRead == afterFirst)
        // Larger than the limit: inflated each time.
        #expect(try zip.read(named: "xl/worksheets/sheet2.xml") == big)
        #expect(try zip.read(named: "xl/worksheets/sheet2.xml") == big)
        #expect(zip.bytesRead == afterFirst + 2 * UInt64(big.count))

        // Without retainParts nothing is kept.
        let plain = try ZipReader(bytes: try { var w2 = ZipWriter(); try w2.add("a.xml", small); return try w2.finish() }(), name: "p.xlsx")
        _ = try plain.read(named: "a.xml")
        _ = try plain.read(named: "a.xml")
        #expect(plain.bytesRead == 2 * UInt64(small.count))
    }
}
