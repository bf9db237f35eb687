import CZlib

/// CRC-32 (ISO-HDLC, as in ZIP and gzip): folded with PCLMULQDQ where the CPU has it, else zlib's `crc32`.
public enum CRC32 {
    /// The CRC of `bytes`, continuing from `seed` (the CRC of what came before; 0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard bytes.count >= 64, CRC32.clmul, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return zlibChecksum(bytes, seed: seed)
        }
        // Whole 16-byte blocks folded with PCLMULQDQ; zlib does the rest.
        let n = bytes.count & ~15
        let folded = ~CZlib_crc32_clmul(base, n, ~seed)
        return zlibChecksum(UnsafeRawBufferPointer(rebasing: bytes[n...]), seed: folded)
    }

    /// The CPU can fold with carry-less multiplication (x86-64 PCLMULQDQ and SSE4.1).
    static let clmul = CZlib_crc32_clmul_available() != 0

    /// zlib's table-driven CRC (the reference for the folded one).
    static func zlibChecksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        var crc = UInt(seed)
        guard var p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return seed }
        var left = bytes.count
        while left > 0 {
            let n = min(left, 1 << 30)
            crc = CZlib.crc32(crc, p, uInt(n))
            p += n
            left -= n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// Convenience for arrays.
    public static func checksum(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, seed: seed) }
    }
}
