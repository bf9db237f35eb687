#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// A memo table for pure functions of a text (and an optional 64-bit extra, such as a weight's bits) that a
/// batch asks again and again: the 评分标准 texts, header cells and row labels every workbook of a template
/// repeats.
///
/// Cheaper per lookup than a `MemoCache` keyed by the text: the key is hashed by multiplying a sample of its UTF-8
/// bytes (the length, the first, middle and last eight bytes: the long 评分标准 texts are not read whole), not
/// through `Hasher`; the table is open-addressed, a probe compares the hash, the extra and the length before the
/// bytes. Equality is byte
/// equality (canonically equivalent spellings are different keys, which only costs a miss).
///
/// One table per thread (as `MemoCache`): no lock, and no remembered value that two cores retain and release.
///
/// Bounded: at most `capacity` entries (then it is emptied and starts again), and at most `maxProbe` slots are
/// looked at per lookup — texts made to share a sample cost a few compares each, never a long search (when the
/// window is full a new entry replaces the one in its first slot).
final class SampledMemo<Value>: @unchecked Sendable {
    struct Slot {
        var hash: UInt64
        var extra: UInt64
        var text: String
        var value: Value
    }

    /// One thread's slots.
    final class Table {
        var slots: [Slot?]
        var count = 0
        var mask: Int
        init(start: Int) {
            mask = start - 1
            slots = [Slot?](repeating: nil, count: start)
        }
    }

    private let tables: PerThread<Table>
    private let capacity: Int
    /// The most slots: twice the capacity, a power of two. The table starts small and doubles up to it (a
    /// process that looks up a few texts does not clear thousands of slots).
    private let maxSlots: Int
    /// Chosen per process, so that which texts share a slot cannot be known in advance.
    private let seed = SampledMemoSeed.value
    static var maxProbe: Int { 8 }

    /// - Parameter capacity: the most entries kept; the table has twice as many slots (a power of two).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        var size = 16
        while size < 2 * self.capacity { size <<= 1 }
        maxSlots = size
        let start = min(size, 64)
        tables = PerThread { Table(start: start) }
    }

    /// The hash of a text's sample and the extra.
    @inline(__always)
    static func hash(_ u: UnsafeBufferPointer<UInt8>, extra: UInt64, seed: UInt64) -> UInt64 {
        let n = u.count
        var h = (UInt64(truncatingIfNeeded: n) ^ seed) &* 0x9E37_79B9_7F4A_7C15
        @inline(__always) func mix(_ w: UInt64) {
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
        }
        if n > 0 {
            let raw = UnsafeRawBufferPointer(u)
            if n >= 8 {
                mix(raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
                mix(raw.loadUnaligned(fromByteOffset: n / 2 - 4, as: UInt64.self))
                mix(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
            } else {
                var w: UInt64 = 0
                for i in 0..<n { w |= UInt64(u[i]) << (8 * UInt64(i)) }
                mix(w)
            }
        }
        mix(extra)
        // A multiplication carries a bit only upwards: the final mix (MurmurHash3's) brings every bit down to the
        // low ones that pick the slot (weights differ only in their high bits).
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The value for the text (and extra): the remembered one, or `make()` (then remembered when there is room in
    /// its probe window).
    func value(_ text: String, extra: UInt64 = 0, _ make: () -> Value) -> Value {
        let seed = self.seed
        let h: UInt64 = text.utf8.withContiguousStorageIfAvailable { SampledMemo.hash($0, extra: extra, seed: seed) }
            ?? Array(text.utf8).withUnsafeBufferPointer { SampledMemo.hash($0, extra: extra, seed: seed) }
        let length = text.utf8.count
        let t = tables.value
        var i = Int(truncatingIfNeeded: h) & t.mask
        for _ in 0..<SampledMemo.maxProbe {
            guard let s = t.slots[i] else { break }
            if s.hash == h, s.extra == extra, s.text.utf8.count == length, TextKit.sameBytes(s.text, text) {
                return s.value
            }
            i = (i + 1) & t.mask
        }
        let v = make()
        if t.count >= capacity {
            // Full: start again, small.
            let start = min(maxSlots, 64)
            t.slots = [Slot?](repeating: nil, count: start)
            t.mask = start - 1
            t.count = 0
        } else if 4 * (t.count + 1) > t.slots.count && t.slots.count < maxSlots {
            // At most a quarter full while growing (short runs of taken slots).
            grow(t)
        }
        i = Int(truncatingIfNeeded: h) & t.mask
        var placed = false
        for _ in 0..<SampledMemo.maxProbe {
            if t.slots[i] == nil {
                t.slots[i] = Slot(hash: h, extra: extra, text: text, value: v)
                t.count += 1
                placed = true
                break
            }
            i = (i + 1) & t.mask
        }
        if !placed {
            // The window is full: the newest entry takes its first slot.
            t.slots[Int(truncatingIfNeeded: h) & t.mask] = Slot(hash: h, extra: extra, text: text, value: v)
        }
        return v
    }

    /// Twice the slots, every entry placed again (an entry that finds no free slot in its window is dropped).
    private func grow(_ t: Table) {
        let old = t.slots
        let size = t.slots.count * 2
        t.slots = [Slot?](repeating: nil, count: size)
        t.mask = size - 1
        t.count = 0
        for case let e? in old {
            var i = Int(truncatingIfNeeded: e.hash) & t.mask
            for _ in 0..<SampledMemo.maxProbe {
                if t.slots[i] == nil {
                    t.slots[i] = e
                    t.count += 1
                    break
                }
                i = (i + 1) & t.mask
            }
        }
    }

    /// The number of entries the calling thread remembers (tests).
    var entries: Int { tables.value.count }
}

/// The per-process seed of `SampledMemo` hashes (a generic class cannot hold a stored static).
enum SampledMemoSeed {
    static let value: UInt64 = UInt64.random(in: 0...UInt64.max)
}
