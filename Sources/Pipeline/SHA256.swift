import CSHA256

/// SHA-256 (FIPS 180-4), for the batch manifest's content hashes. Blocks go to the x86-64 SHA extensions
/// (`CSHA256`, about 1.8 GB/s) where the CPU has them, else to the Swift rounds here.
public struct SHA256 {
    var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The round constants where the compression loop reads them without bounds checks.
    private static let kp: UnsafeMutablePointer<UInt32> = {
        let p = UnsafeMutablePointer<UInt32>.allocate(capacity: 64)
        for i in 0..<64 { p[i] = k[i] }
        return p
    }()

    public init() { buffer.reserveCapacity(64) }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(bytes: $0) }
        if done != nil { return }
        update(Array(bytes))
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update(bytes: $0) }
    }

    /// Whole 64-byte blocks straight from the input; only the ragged ends go through `buffer`.
    private mutating func update(bytes: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        if !buffer.isEmpty {
            while i < n && buffer.count < 64 { buffer.append(bytes[i]); i += 1 }
            if buffer.count == 64 {
                buffer.withUnsafeBufferPointer { compress($0.baseAddress!, blocks: 1) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        let whole = (n - i) / 64
        if whole > 0 {
            compress(bytes.baseAddress! + i, blocks: whole)
            i += whole * 64
        }
        while i < n { buffer.append(bytes[i]); i += 1 }
    }

    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        buffer.append(0x80)
        while buffer.count % 64 != 56 {
            if buffer.count == 64 {
                buffer.withUnsafeBufferPointer { compress($0.baseAddress!, blocks: 1) }
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.append(0)
            }
        }
        for i in (0..<8).reversed() { buffer.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        buffer.withUnsafeBufferPointer { compress($0.baseAddress!, blocks: 1) }
        buffer.removeAll()
        var out: [UInt8] = []
        for v in [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7] {
            out += [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
        }
        return out
    }

    /// Lower-case hex digest of some bytes.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var s = SHA256()
        s.update(bytes)
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in s.finalize() { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// One round; the caller rotates the roles of the eight working variables instead of moving them.
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ kw
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) | (c & (a | b)))
        d = d &+ t1
        h = t1 &+ t2
    }

    /// The CPU has the SHA extensions (x86-64 SHA-NI): blocks go to `CSHA256` (about 15 times fewer
    /// instructions); the Swift rounds below are the fallback and the reference.
    static let hardware = jixiao_sha256_hw_available() != 0

    /// Compresses `blocks` consecutive 64-byte blocks.
    private mutating func compress(_ data: UnsafePointer<UInt8>, blocks: Int) {
        if SHA256.hardware {
            withUnsafeMutableBytes(of: &h) { state in
                jixiao_sha256_hw_blocks(state.baseAddress!.assumingMemoryBound(to: UInt32.self), data, blocks)
            }
        } else {
            compressInSwift(data, blocks: blocks)
        }
    }

    /// Compresses `blocks` consecutive 64-byte blocks, the state kept in locals between them.
    mutating func compressInSwift(_ data: UnsafePointer<UInt8>, blocks: Int) {
        let k = SHA256.kp
        var (h0, h1, h2, h3, h4, h5, h6, h7) = h
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wb in
            let w = wb.baseAddress!
            let raw = UnsafeRawPointer(data)
            for blk in 0..<blocks {
                let base = blk * 64
                for i in 0..<16 {
                    w[i] = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: base + i * 4, as: UInt32.self))
                }
                for i in 16..<64 {
                    let x = w[i - 15], y = w[i - 2]
                    let s0 = SHA256.rotr(x, 7) ^ SHA256.rotr(x, 18) ^ (x >> 3)
                    let s1 = SHA256.rotr(y, 17) ^ SHA256.rotr(y, 19) ^ (y >> 10)
                    w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                }
                var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, hh = h7
                var i = 0
                while i < 64 {
                    SHA256.round(a, b, c, &d, e, f, g, &hh, k[i] &+ w[i])
                    SHA256.round(hh, a, b, &c, d, e, f, &g, k[i + 1] &+ w[i + 1])
                    SHA256.round(g, hh, a, &b, c, d, e, &f, k[i + 2] &+ w[i + 2])
                    SHA256.round(f, g, hh, &a, b, c, d, &e, k[i + 3] &+ w[i + 3])
                    SHA256.round(e, f, g, &hh, a, b, c, &d, k[i + 4] &+ w[i + 4])
                    SHA256.round(d, e, f, &g, hh, a, b, &c, k[i + 5] &+ w[i + 5])
                    SHA256.round(c, d, e, &f, g, hh, a, &b, k[i + 6] &+ w[i + 6])
                    SHA256.round(b, c, d, &e, f, g, hh, &a, k[i + 7] &+ w[i + 7])
                    i += 8
                }
                h0 = h0 &+ a; h1 = h1 &+ b; h2 = h2 &+ c; h3 = h3 &+ d
                h4 = h4 &+ e; h5 = h5 &+ f; h6 = h6 &+ g; h7 = h7 &+ hh
            }
        }
        h = (h0, h1, h2, h3, h4, h5, h6, h7)
    }
}
