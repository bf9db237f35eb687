import Foundation
import SheetCore

/// Writes a ZIP archive, in memory or streamed to a file. Deterministic: the same parts in the same order
/// give the same bytes (fixed DOS timestamp 1980-01-01 00:00, no extra fields). ZIP64 records are written
/// only when an entry or offset needs them (WPS cannot open ZIP64).
public struct ZipWriter {
    /// Builds the archive in memory; `finish()` returns it.
    public init() {}
    /// Streams the archive to an open file; `finish()` returns `[]`.
    public init(fileHandle: FileHandle) {}

    /// Adds a part. Deterministic: fixed DOS timestamp 1980-01-01 00:00, no extra fields, UTF-8 flag only
    /// when the name is not ASCII; deflate level 6 by default; stored when `compress` is false.
    public mutating func add(_ name: String, _ data: [UInt8], compress: Bool = true, level: Int32 = 6) throws {}

    /// Adds a part whose bytes are produced in pieces (large worksheets): `produce` calls `write` repeatedly.
    public mutating func add(_ name: String, level: Int32 = 6,
                             produce: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {}

    /// Copies an entry from another archive byte for byte (compressed data, CRC, sizes, method, name, times).
    public mutating func copy(_ entry: ZipEntry, from reader: ZipReader) throws {}

    /// Writes the central directory; ZIP64 records only when an entry or offset needs them
    /// (WPS cannot open ZIP64). Returns the archive bytes for the in-memory writer ([] when streaming).
    public mutating func finish() throws -> [UInt8] { [] }
}
