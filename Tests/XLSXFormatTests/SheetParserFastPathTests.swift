import SheetCore
import XMLStream
import Testing
import TestSupport
@testable import XLSXFormat

/// SheetParser's byte-level helpers agree with the general parsers.
@Suite struct SheetParserFastPathTests {
    @Test func parseRefMatchesCellRefParse() {
        var rng = SeededRNG(seed: 99)
        let alphabet = Array("ABCXYZabxz$0123456789:@[`{ -é".utf8)
        var samples: [[UInt8]] = ["A1", "XFD1048576", "XFE1", "A1048577", "A0", "$B$7", "b7", "AAAA1", "A12345678",
                                  "", "$", "A", "1", "A$1", "$A1$", "Z99", "zz9"].map { Array($0.utf8) }
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...9, using: &rng)
            samples.append((0..<n).map { _ in alphabet.randomElement(using: &rng)! })
            // Mostly well-formed references too.
            let letters = (0..<Int.random(in: 1...3, using: &rng)).map { _ in UInt8.random(in: 65...90, using: &rng) }
            samples.append(letters + Array(String(Int.random(in: 0...1_100_000, using: &rng)).utf8))
        }
        for s in samples {
            s.withUnsafeBufferPointer { b in
                let packed = SheetParser.parseRef(b)
                if let ref = CellRef.parse(b) {
                    #expect(packed == Int(ref.row) << 16 | Int(ref.col), "\(String(decoding: s, as: UTF8.self))")
                } else {
                    #expect(packed == -1, "\(String(decoding: s, as: UTF8.self))")
                }
            }
        }
    }
}

/// RichTextCollector (one storage reused across items) collects what a plain concatenation gives.
@Suite struct RichTextCollectorTests {
    @Test func reusedCollectorMatchesReference() throws {
        var rng = SeededRNG(seed: 3)
        let pieces = [" ", "\t", "\n", "指标", "a", "_x000D_", "b c", "", "产出数量"]
        var collector = RichTextCollector(maxLength: 1 << 20)
        for _ in 0..<3_000 {
            collector.reset()
            var expected: [UInt8] = []
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let preserve = Bool.random(using: &rng)
                let chunks = (0..<Int.random(in: 0...4, using: &rng)).map { _ in Array(pieces.randomElement(using: &rng)!.utf8) }
                let tName = Array("t".utf8) + [0]
                let space = Array("space".utf8) + [0]
                let preserveValue = Array("preserve".utf8)
                try tName.withUnsafeBufferPointer { t in
                    try space.withUnsafeBufferPointer { sp in
                        try preserveValue.withUnsafeBufferPointer { pv in
                            var attrs: [UnsafePointer<UInt8>?] = [sp.baseAddress, nil, nil, pv.baseAddress, pv.baseAddress! + pv.count]
                            let name = XMLName(localNameCString: t.baseAddress, uriCString: nil)
                            attrs.withUnsafeMutableBufferPointer { a in
                                collector.start(name, XMLAttributes(base: a.baseAddress, count: preserve ? 1 : 0))
                            }
                            for c in chunks { _ = c.withUnsafeBufferPointer { collector.characters($0) } }
                            collector.end(name)
                            _ = try #require(Optional(0))
                        }
                    }
                }
                var run = chunks.flatMap { $0 }
                if !preserve {
                    func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
                    while let l = run.last, ws(l) { run.removeLast() }
                    while let f = run.first, ws(f) { run.removeFirst() }
                }
                expected += run
            }
            #expect(collector.bytes == expected)
            #expect(collector.string == OOXMLEscapes.decode(expected))
        }
    }
}

/// Rows whose cells name other rows (kept by row only once that happens): every cell lands where its `r`
/// says, the later of two on one place wins, each emitted row is sorted by column.
@Suite struct MixedRowTests {
    @Test func cellsNamingOtherRowsLandWhereTheySay() throws {
        var rng = SeededRNG(seed: 31)
        for _ in 0..<300 {
            var xml = ""
            var expected: [String: Int] = [:]
            var row = 1
            var k = 0
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                row += Int.random(in: 3...5, using: &rng)
                xml += #"<row r="\#(row)">"#
                for _ in 0..<Int.random(in: 0...6, using: &rng) {
                    // Mostly this row; sometimes the row before or after; columns A-D, repeats allowed.
                    let r = Int.random(in: 0..<4, using: &rng) == 0 ? row + Int.random(in: -1...1, using: &rng) : row
                    let c = Int.random(in: 0..<4, using: &rng)
                    k += 1
                    xml += #"<c r="\#(["A", "B", "C", "D"][c])\#(r)"><v>\#(k)</v></c>"#
                    expected["\(r - 1),\(c)"] = k
                }
                xml += "</row>"
            }
            let p = PackageBuilder.oneSheet(xml)
            let reader = try p.reader()
            var got: [String: Int] = [:]
            _ = try reader.forEachRow(sheet: 0) { r in
                for i in 1..<max(1, r.cells.count) { #expect(r.cells[i - 1].col < r.cells[i].col) }
                for c in r.cells {
                    if case .number(let d) = c.value { got["\(r.index),\(c.col)"] = Int(d) }
                }
            }
            #expect(got == expected, "\(xml)")
        }
    }
}
