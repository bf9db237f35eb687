/// One entry of a ZIP archive's central directory (or, when the central directory is missing or damaged,
/// of a local file header found by scanning).
public struct ZipEntry: Sendable, Hashable {
    /// The decoded name: UTF-8 (flag bit 11 or valid UTF-8 bytes), otherwise GB18030/CP437 as best effort;
    /// every `\` replaced by `/`.
    public var name: String
    /// The name bytes exactly as stored.
    public var rawName: [UInt8]
    /// Compression method: 0 stored, 8 deflate.
    public var method: UInt16
    /// General-purpose bit flags (bit 0 encrypted, bit 3 data descriptor, bit 11 UTF-8 name).
    public var flags: UInt16
    public var crc32: UInt32
    public var compressedSize: UInt64
    public var uncompressedSize: UInt64
    /// Offset of the local file header in the file (already corrected for any prefix before the archive).
    public var localHeaderOffset: UInt64
    /// MS-DOS time and date.
    public var modTime: UInt16, modDate: UInt16

    public init(name: String, rawName: [UInt8], method: UInt16, flags: UInt16, crc32: UInt32,
                compressedSize: UInt64, uncompressedSize: UInt64, localHeaderOffset: UInt64,
                modTime: UInt16, modDate: UInt16) {
        self.name = name
        self.rawName = rawName
        self.method = method
        self.flags = flags
        self.crc32 = crc32
        self.compressedSize = compressedSize
        self.uncompressedSize = uncompressedSize
        self.localHeaderOffset = localHeaderOffset
        self.modTime = modTime
        self.modDate = modDate
    }

    /// True for a directory entry (name ends with `/`).
    public var isDirectory: Bool { name.hasSuffix("/") }
    /// True when flag bit 0 (traditional PKWARE or strong encryption) is set.
    public var isEncrypted: Bool { flags & 1 != 0 }
    /// True when flag bit 3 is set: sizes and CRC follow the data in a data descriptor.
    public var hasDataDescriptor: Bool { flags & 8 != 0 }
}
