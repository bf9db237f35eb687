import SheetCore
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
