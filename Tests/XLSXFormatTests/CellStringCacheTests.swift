import Testing
import TestSupport
@testable import XLSXFormat

/// The cell-string cache gives exactly the Strings made without it.
@Suite struct CellStringCacheTests {
    static func randomText(_ rng: inout SeededRNG) -> [UInt8] {
        let pieces = ["指标", "产出", "a", "_x000D_", "_", " ", "x", "数量指标", "é", "🙂", "0.5", "评分标准：按时完成得满分"]
        let n = Int.random(in: 0...(Int.random(in: 0..<10, using: &rng) == 0 ? 60 : 6), using: &rng)
        return Array((0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined().utf8)
    }

    @Test func readerMatchesDecode() {
        var rng = SeededRNG(seed: 23)
        var reader = CellStringCache.Reader()
        var seen: [[UInt8]] = []
        for _ in 0..<20_000 {
            // Repeats and new texts mixed, so that both hits and misses (and the reader's switching off) occur.
            let bytes = !seen.isEmpty && Bool.random(using: &rng) ? seen.randomElement(using: &rng)! : Self.randomText(&rng)
            if seen.count < 300 { seen.append(bytes) }
            #expect(OOXMLEscapes.decode(bytes, cache: &reader) == OOXMLEscapes.decode(bytes))
        }
    }

    @Test func collidingSlotsStillGiveTheRightText() {
        var rng = SeededRNG(seed: 5)
        let cache = CellStringCache(slotsLog2: 2)
        var hits = 0
        for _ in 0..<5_000 {
            let bytes = Array(Self.randomText(&rng).prefix(CellStringCache.maxBytes)).filter { $0 != UInt8(ascii: "_") }
            var hit = false
            let s = bytes.withUnsafeBufferPointer { cache.string($0, hit: &hit) }
            if hit { hits += 1 }
            #expect(s == String(decoding: bytes, as: UTF8.self))
        }
        #expect(hits > 0)
    }
}
