import Testing
import SheetCore
import TestSupport

@Suite struct DecimalTextTests {
    private func check(_ s: String) -> Bool {
        var t = s
        return t.withUTF8 { DecimalText.isShortestForm($0) }
    }

    @Test func plainDecimalsAreTheirOwnShortestForm() {
        for s in ["1.5", "-1.5", "0.5", "1234.56", "96.86", "0.0001", "-0.0123", "123456789012.345"] {
            #expect(check(s), "\(s)")
            #expect(CellValue.format(Double(s)!) == s, "\(s)")
        }
    }

    @Test func otherSpellingsAreNot() {
        for s in ["1", "-0", "1.50", "01.5", "+1.5", "1.", ".5", "1e3", "1.5e3", "1,234.5", " 1.5", "1.5 ", "0.00001",
                  "1234567890.1234567", "--1.5", "1.2.3", "", "-", "0.0", "12%"] {
            #expect(!check(s), "\(s)")
        }
    }

    /// The promise behind the fast path: whenever the check says yes, formatting the parsed Double gives the
    /// same text back. Random decimals of every length and magnitude, with zeros in awkward places.
    @Test func propertyShortestFormRoundTrips() {
        var rng = SeededRNG(seed: 20261127)
        var accepted = 0
        for _ in 0..<60_000 {
            var s = Bool.random(using: &rng) ? "-" : ""
            let intLen = Int.random(in: 0...17, using: &rng)
            let fracLen = Int.random(in: 0...17, using: &rng)
            let zeroBias = Int.random(in: 0...3, using: &rng)
            func digit() -> Character {
                Int.random(in: 0...9, using: &rng) < zeroBias ? "0" : Character(String(Int.random(in: 0...9, using: &rng)))
            }
            s += intLen == 0 ? "0" : String((0..<intLen).map { _ in digit() })
            if fracLen > 0 { s += "." + String((0..<fracLen).map { _ in digit() }) }
            guard check(s) else { continue }
            accepted += 1
            let d = Double(s)!
            #expect(CellValue.format(d) == s, "\(s) → \(CellValue.format(d))")
        }
        #expect(accepted > 3_000)
    }
}
