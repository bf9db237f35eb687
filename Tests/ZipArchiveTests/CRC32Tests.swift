import Testing
import TestSupport
@testable import ZipArchive

/// The PCLMULQDQ-folded CRC against zlib's, on random bytes of every length around the block sizes, at odd
/// offsets and with seeds (continuing a CRC).
@Suite struct CRC32Tests {
    @Test func foldedMatchesZlib() {
        var rng = SeededRNG(seed: 0xC3C32)
        let big = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var lengths = Array(0...200) + [255, 256, 257, 1000, 4096, 4097, 27_424, 65_536, 69_990]
        for _ in 0..<100 { lengths.append(Int.random(in: 0...69_990, using: &rng)) }
        big.withUnsafeBytes { all in
            for n in lengths {
                let offset = Int.random(in: 0...(all.count - n), using: &rng)
                let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + n)])
                let seed: UInt32 = Bool.random(using: &rng) ? 0 : UInt32.random(in: 0...UInt32.max, using: &rng)
                #expect(CRC32.checksum(slice, seed: seed) == CRC32.zlibChecksum(slice, seed: seed), "length \(n)")
            }
        }
        // Known value: "123456789" → CBF43926; and a long run, pieced.
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        let whole = CRC32.checksum(big)
        var pieced: UInt32 = 0
        var i = 0
        while i < big.count {
            let n = min(big.count - i, Int.random(in: 1...5000, using: &rng))
            pieced = big.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[i..<(i + n)]), seed: pieced) }
            i += n
        }
        #expect(pieced == whole)
        #expect(whole == big.withUnsafeBytes { CRC32.zlibChecksum($0) })
    }
}
