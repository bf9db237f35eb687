import CZlib

/// CRC-32 (ISO-HDLC, as in ZIP and gzip), computed by zlib's `crc32`.
public enum CRC32 {
    /// The CRC of `bytes`, continuing from `seed` (the CRC of what came before; 0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        var crc = UInt(seed)
        guard var p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return seed }
        var left = bytes.count
        // zlib takes a 32-bit length: feed very large buffers in pieces.
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
