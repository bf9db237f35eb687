import Foundation
import SheetCore

/// Reads a ZIP archive held in memory. Entries come from the central directory (found by searching for the
/// end-of-central-directory record, ZIP64 aware, tolerant of a prefix before the archive); when that is
/// missing or damaged, from a scan of the local file headers.
///
/// Every error is a `JixiaoError` located at `Location(file: name, part: entryName)`.
public final class ZipReader: @unchecked Sendable {
    /// The file name used in error locations.
    public let name: String
    /// Entries in central-directory order.
    public private(set) var entries: [ZipEntry]
    let limits: ReadLimits

    /// Reads the whole file at `path` and opens it as an archive.
    /// - Throws: `JixiaoError` `.io`, `.notAWorkbook`, `.encrypted`, `.truncated`, `.corrupt`, `.limitExceeded`.
    public init(path: String, limits: ReadLimits = .default) throws {
        self.name = (path as NSString).lastPathComponent
        self.limits = limits
        self.entries = []
        throw JixiaoError(.unsupported, "ZipReader is not implemented yet", at: Location(file: name))
    }

    /// Opens an archive held in `bytes`; `name` is used in error locations.
    public init(bytes: [UInt8], name: String, limits: ReadLimits = .default) throws {
        self.name = name
        self.limits = limits
        self.entries = []
        throw JixiaoError(.unsupported, "ZipReader is not implemented yet", at: Location(file: name))
    }

    /// The entry called `named`: case-insensitive, `/` and `\` alike, a leading `/` ignored. Of two names that
    /// differ only in case, the first in the central directory wins.
    public func entry(named: String) -> ZipEntry? { nil }

    /// The whole uncompressed part. Checks the limits while inflating and the CRC at the end.
    public func read(_ entry: ZipEntry) throws -> [UInt8] { [] }

    /// The part called `named` (see `entry(named:)`), or nil when there is none.
    public func read(named: String) throws -> [UInt8]? {
        guard let e = entry(named: named) else { return nil }
        return try read(e)
    }

    /// Inflates in chunks of about `chunkSize` bytes (for feeding a SAX parser); checks limits while
    /// inflating and the CRC at the end. The buffer lent to `body` is reused: do not keep it.
    public func stream(_ entry: ZipEntry, chunkSize: Int = 65_536,
                       _ body: (UnsafeRawBufferPointer) throws -> Void) throws {}

    /// The entry's compressed bytes exactly as stored (to copy a part byte for byte into a new archive).
    public func rawData(_ entry: ZipEntry) throws -> [UInt8] { [] }
}
