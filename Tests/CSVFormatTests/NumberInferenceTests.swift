import TestSupport
import Testing
import CSVFormat

@Suite struct NumberInferenceTests {
    @Test(arguments: [
        ("12", 12.0), ("-3.5", -3.5), ("1e3", 1000), ("1E3", 1000), ("0.25", 0.25), ("0", 0), ("-0.0", -0.0),
        ("2.5e-3", 0.0025), ("1e+16", 1e16), ("0.30000000000000004", 0.30000000000000004),
        ("9007199254740993.5", 9007199254740993.5), ("1234567890123456", 1234567890123456),
        ("123456789012345678901234567890.0", 123456789012345678901234567890.0),
    ])
    func numbers(_ text: String, _ value: Double) {
        #expect(NumberInference.number(text) == value)
    }

    @Test(arguments: [
        "", "007", "00.5", "-007", "+5", " 5", "5 ", "5%", "1,234", "１２", ".5", "5.", "-", "e3", "1e", "1e+",
        "1.2.3", "0x1F", "inf", "nan", "1e999", "-0", "12345678901234567890", "110101199003071234", "二",
        "100分", "1 000", "\u{3000}5",
    ])
    func strings(_ text: String) {
        #expect(NumberInference.number(text) == nil)
    }

    @Test func decimalsAgreeWithTheStandardLibrary() {
        // The exact fast path (<= 15 digits, power of ten <= 22) and the strtod path both round correctly.
        var rng = SeededRNG(seed: 11)
        for _ in 0..<5000 {
            let intPart = String(UInt64.random(in: 0...999_999_999, using: &rng))
            let frac = String(UInt64.random(in: 0...UInt64.max, using: &rng)).prefix(Int.random(in: 1...12, using: &rng))
            var text = (Bool.random(using: &rng) ? "-" : "") + intPart + "." + frac
            if Bool.random(using: &rng) { text += "e" + String(Int.random(in: -40...40, using: &rng)) }
            #expect(NumberInference.number(text) == Double(text), "\(text)")
        }
    }

    @Test func formattedNumbersReadBack() {
        var rng = SeededRNG(seed: 7)
        for _ in 0..<2000 {
            let d: Double
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: d = Double(Int64.random(in: -1_000_000_000...1_000_000_000, using: &rng))
            case 1: d = Double.random(in: -1000...1000, using: &rng)
            case 2: d = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &rng) ? 1 : -1)
            default: d = Double(Int64.random(in: -(1 << 62)...(1 << 62), using: &rng))
            }
            let text = CellValue.format(d)
            #expect(NumberInference.number(text) == d, "\(text)")
        }
    }
}

import SheetCore
