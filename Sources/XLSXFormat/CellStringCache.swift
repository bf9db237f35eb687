#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// Strings of cell texts seen before, shared by the workbooks one thread reads: a batch of workbooks made
/// from one template repeats its labels and criteria texts in every file, and finding such a text again
/// costs a hash and a comparison of its bytes instead of validating them into a new String.
///
/// One cache per thread (`forThisThread`): no lock, and no String whose reference count two cores update
/// (a cache shared by the batch's workers had both cores retain the same Strings, the count's cache line
/// moving between them on every cell).
///
/// Direct-mapped (a slot per hash value, a new text replaces the old): bounded, with no chains to walk
/// however the texts collide. The bytes are always compared in full, so a hit is exactly
/// `String(decoding: bytes, as: UTF8.self)`. Texts with `_` (which may hold `_xHHHH_` escapes) and long texts
/// are not kept. Callers that see few repeats stop asking (`CellStringCache.Reader`).
final class CellStringCache {
    /// The calling thread's cache (made on first use, released with the thread).
    static var forThisThread: CellStringCache { perThread.value }

    private static let perThread = PerThread { CellStringCache() }

    static let maxBytes = 256
    let mask: Int
    @exclusivity(unchecked) private var slots: [(hash: UInt64, string: String)]

    init(slotsLog2: Int = 12) {
        mask = (1 << slotsLog2) - 1
        slots = Array(repeating: (0, ""), count: 1 << slotsLog2)
    }

    /// The text of `bytes` (valid UTF-8 without `_`, at most `maxBytes`): the kept String when it has these
    /// bytes (`hit` true), else a new one, kept.
    func string(_ bytes: UnsafeBufferPointer<UInt8>, hit: inout Bool) -> String {
        let h = CellStringCache.hash(bytes)
        let slot = Int(truncatingIfNeeded: h >> 20) & mask
        if slots[slot].hash == h {
            let s = slots[slot].string
            if CellStringCache.equal(s, bytes) {
                hit = true
                return s
            }
        }
        hit = false
        let s = String(decoding: bytes, as: UTF8.self)
        slots[slot] = (h, s)
        return s
    }

    @inline(__always)
    static func equal(_ s: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var s = s
        return s.withUTF8 { u in
            u.count == bytes.count && (u.count == 0 || memcmp(u.baseAddress!, bytes.baseAddress!, u.count) == 0)
        }
    }

    /// A fast 64-bit hash of the bytes (8 at a time), not meant to resist chosen collisions: they only cost
    /// misses.
    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        let n = b.count
        guard let p = UnsafeRawPointer(b.baseAddress) else { return h }
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9FB2_1C65_1E98_DF25
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        if i < n {
            if n >= 8 {
                // The last 8 bytes (overlapping the words above): one load.
                tail = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else {
                var shift: UInt64 = 0
                while i < n {
                    tail |= UInt64(b[i]) << shift
                    shift += 8
                    i += 1
                }
            }
        }
        h = (h ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        return h
    }

    /// One reader's use of the cache: asks it while it pays (after 512 texts, at least one in 8 found again),
    /// else makes Strings directly.
    struct Reader {
        private let cache = CellStringCache.forThisThread
        private var asked = 0
        private var found = 0
        private var enabled = true

        /// `String(decoding: bytes, as: UTF8.self)` for valid UTF-8 `bytes` without `_`, from the cache when
        /// it pays.
        mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            guard enabled, bytes.count <= CellStringCache.maxBytes else { return String(decoding: bytes, as: UTF8.self) }
            var hit = false
            let s = cache.string(bytes, hit: &hit)
            asked += 1
            if hit { found += 1 }
            if asked == 512 {
                if found * 8 < asked { enabled = false }
                asked = 0
                found = 0
            }
            return s
        }
    }
}
