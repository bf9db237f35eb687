import Testing
import TestSupport
@testable import XMLStream

/// `XMLName` over a NUL-terminated local name (as libxml2 gives it, never measured) answers like one over
/// measured bytes.
@Suite struct XMLNameTests {
    @Test func unmeasuredNamesMatchMeasured() {
        var rng = SeededRNG(seed: 11)
        let alphabet = Array("cvfisrowtPh表".utf8)
        let probes: [StaticString] = ["c", "v", "f", "is", "row", "t", "rPh", "sheetData", "", "cc", "r"]
        for _ in 0..<3_000 {
            let n = Int.random(in: 0...4, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            let terminated = bytes + [0]
            terminated.withUnsafeBufferPointer { t in
                let measured = XMLName(localName: UnsafeBufferPointer(rebasing: t[0..<n]), uri: UnsafeBufferPointer(start: nil, count: 0))
                let lazy = XMLName(localNameCString: t.baseAddress, uriCString: nil)
                #expect(Array(lazy.localName) == bytes)
                #expect(lazy.firstByte == measured.firstByte)
                for i in 0...n {
                    #expect(lazy.byte(i) == measured.byte(i))
                    #expect(lazy.byte(i) == (i < n ? bytes[i] : 0))
                }
                for p in probes {
                    let expected = Array(UnsafeBufferPointer(start: p.utf8Start, count: p.utf8CodeUnitCount)) == bytes
                    #expect(lazy.is(p) == expected)
                    #expect(measured.is(p) == expected)
                }
            }
        }
    }
}
