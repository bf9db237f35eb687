#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A memo key for texts that hashes a sample of the UTF-8 bytes (the length, the first, middle and last eight
/// bytes) and compares all of them: `TextKey` hashes every byte, which costs more than the lookup it serves
/// for the long 评分标准 texts looked up once per leaf. Equality is byte equality, so a weaker hash only costs
/// probing, never a wrong answer; the memo tables are bounded, so probing stays short.
struct SampledKey: Hashable, @unchecked Sendable {
    let text: String

    @inline(__always)
    init(_ text: String) { self.text = text }

    static func == (a: SampledKey, b: SampledKey) -> Bool {
        // Most probes meet a text of another length (O(1) for native strings).
        guard a.text.utf8.count == b.text.utf8.count else { return false }
        var x = a.text, y = b.text
        return x.withUTF8 { p in y.withUTF8 { q in
            p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0)
        } }
    }

    func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { u in
            let n = u.count
            hasher.combine(n)
            guard n > 0 else { return }
            let raw = UnsafeRawBufferPointer(u)
            if n <= 24 {
                hasher.combine(bytes: raw)
            } else {
                hasher.combine(raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
                hasher.combine(raw.loadUnaligned(fromByteOffset: n / 2 - 4, as: UInt64.self))
                hasher.combine(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
            }
        }
    }
}
