import Foundation
import SheetCore

/// Reads a ZIP archive held in memory. Entries come from the central directory (found by searching for the
/// end-of-central-directory record; ZIP64 aware; tolerant of a prefix before the archive); when that is
/// missing or damaged, from a scan of the local file headers.
///
/// Every error is a `JixiaoError` located at `Location(file: name, part: entryName)`:
/// `.notAWorkbook` (empty file, not a ZIP, an Excel lock file), `.encrypted` (OLE/CFB container),
/// `.truncated`, `.corrupt` (bad CRC, bad deflate data, sizes that do not match), `.unsafe` (overlapping
/// entries), `.limitExceeded` (naming the `ReadLimits` field), `.unsupported` (encrypted entries, methods
/// other than stored and deflate), `.io`.
///
/// Reading is thread-safe: entries may be read or streamed from several threads at once.
///
/// ```swift
/// let zip = try ZipReader(path: "附件2.xlsx")
/// if let workbook = try zip.read(named: "xl/workbook.xml") { … }
/// ```
public final class ZipReader: @unchecked Sendable {
    /// The file name used in error locations.
    public let name: String
    /// Entries in central-directory order.
    public private(set) var entries: [ZipEntry]
    /// The limits this reader enforces.
    public let limits: ReadLimits
    /// True when the entries were recovered by scanning local headers because the central directory was
    /// missing or damaged (the caller may want to warn).
    public let recoveredFromLocalHeaders: Bool

    let storage: ZipStorage
    /// Lookup key (see `ZipNames.key`) → index into `entries`; the first of several equal keys.
    let index: [String: Int]
    private let lock = NSLock()
    private var totalRead: UInt64 = 0
    /// See `retainParts(upTo:)`: the largest part kept (0: none), and the parts kept by local-header offset.
    private var retainLimit: UInt64 = 0
    private var retained: [UInt64: [UInt8]] = [:]

    /// Reads the whole file at `path` and opens it as an archive. `name` (for error locations) is `path`.
    /// - Throws: `JixiaoError` `.io`, `.notAWorkbook`, `.encrypted`, `.truncated`, `.corrupt`, `.unsafe`,
    ///   `.limitExceeded`.
    public convenience init(path: String, limits: ReadLimits = .default) throws {
        try self.init(storage: try ZipStorage(path: path, displayName: path), name: path, limits: limits)
    }

    /// Opens an archive held in `bytes`; `name` is used in error locations.
    /// - Throws: as `init(path:limits:)`.
    public convenience init(bytes: [UInt8], name: String, limits: ReadLimits = .default) throws {
        try self.init(storage: ZipStorage(copying: bytes), name: name, limits: limits)
    }

    init(storage: ZipStorage, name: String, limits: ReadLimits) throws {
        self.storage = storage
        self.name = name
        self.limits = limits
        let parsed = try ZipDirectory(storage: storage, name: name, limits: limits).parse()
        self.entries = parsed.entries
        self.recoveredFromLocalHeaders = parsed.recovered
        var index: [String: Int] = [:]
        index.reserveCapacity(parsed.entries.count)
        for (i, e) in parsed.entries.enumerated() {
            let k = ZipNames.key(e.name)
            if index[k] == nil { index[k] = i }
        }
        self.index = index
    }

    /// The entry called `named`: case-insensitive, `/` and `\` alike, a leading `/` ignored. Of two names that
    /// differ only in case, the first in the central directory wins.
    public func entry(named: String) -> ZipEntry? {
        index[ZipNames.key(named)].map { entries[$0] }
    }

    /// Uncompressed bytes read so far by this reader (what `maxTotalSize` limits).
    public var bytesRead: UInt64 {
        lock.lock(); defer { lock.unlock() }
        return totalRead
    }

    // MARK: - Reading

    /// Keeps every part of at most `limit` uncompressed bytes that `read` returns, and returns it again from
    /// memory when it is read again (not inflated, CRC-checked or counted against `maxTotalSize` twice). For
    /// a caller that reads a part and later reads it again through other code: the batch reads a worksheet
    /// for its cells and then again to fill in the scores. Memory: the kept parts live as long as the reader.
    public func retainParts(upTo limit: UInt64) {
        lock.lock(); defer { lock.unlock() }
        retainLimit = limit
    }

    /// The whole uncompressed part. Checks the limits while inflating and the CRC at the end.
    /// - Throws: `JixiaoError` `.unsupported`, `.truncated`, `.corrupt`, `.limitExceeded`.
    public func read(_ entry: ZipEntry) throws -> [UInt8] {
        lock.lock()
        let keep = retainLimit > 0 && entry.uncompressedSize <= retainLimit
        let kept = keep ? retained[entry.localHeaderOffset] : nil
        lock.unlock()
        if let kept { return kept }
        let bytes = try readUncached(entry)
        if keep {
            lock.lock()
            retained[entry.localHeaderOffset] = bytes
            lock.unlock()
        }
        return bytes
    }

    private func readUncached(_ entry: ZipEntry) throws -> [UInt8] {
        let loc = Location(file: name, part: entry.name)
        let (start, csize) = try dataRange(entry)
        let already = bytesRead
        let usize = entry.uncompressedSize
        // What the headers declare is checked first (cheap), what inflate produces is checked as it comes.
        try ZipReader.checkLimits(limits, out: usize, consumed: UInt64(csize), alreadyRead: already, declared: nil,
                                  location: loc)
        guard let capacity = intOrNil(usize) else { throw corrupt("impossible uncompressed size \(usize)", loc) }
        let bytes: [UInt8]
        var crc: UInt32 = 0
        if entry.method == 0 {
            guard UInt64(csize) == usize else {
                throw corrupt("stored part is \(csize) bytes but declares \(usize)", loc)
            }
            bytes = storage.array(start, csize)
            crc = bytes.withUnsafeBytes { CRC32.checksum($0) }
        } else {
            let inflater = try Inflater()
            let input = storage.slice(start, csize)
            let limits = self.limits
            bytes = try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = 0
                let raw = UnsafeMutableRawBufferPointer(buffer)
                let stop: Inflater.Stop
                do {
                    stop = try inflater.run(input, window: { UnsafeMutableRawBufferPointer(rebasing: raw[count...]) }) { n, consumed in
                        crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[count..<(count + n)]), seed: crc)
                        count += n
                        try ZipReader.checkLimits(limits, out: UInt64(count), consumed: UInt64(consumed),
                                                  alreadyRead: already, declared: nil, location: loc)
                    }.0
                } catch let f as InflateFailure {
                    throw JixiaoError(.corrupt, "the compressed data of this part is damaged / 数据损坏", at: loc,
                                      underlying: f.message)
                }
                switch stop {
                case .end: break
                case .inputExhausted: throw corrupt("the compressed data ends early", loc)
                case .outputFull: throw corrupt("the part is larger than its declared size (\(usize) bytes)", loc)
                }
            }
        }
        try finish(entry, size: UInt64(bytes.count), crc: crc, loc)
        return bytes
    }

    /// The part called `named` (see `entry(named:)`), or nil when there is none.
    public func read(named: String) throws -> [UInt8]? {
        guard let e = entry(named: named) else { return nil }
        return try read(e)
    }

    /// Inflates in chunks of about `chunkSize` bytes (for feeding a SAX parser); checks limits while
    /// inflating and the CRC at the end. The buffer lent to `body` is reused between calls: do not keep it.
    /// Stored parts are lent straight from the archive's memory.
    /// - Throws: as `read(_:)`, and whatever `body` throws.
    public func stream(_ entry: ZipEntry, chunkSize: Int = 65_536,
                       _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let loc = Location(file: name, part: entry.name)
        let (start, csize) = try dataRange(entry)
        let already = bytesRead
        let chunk = max(chunkSize, 512)
        var crc: UInt32 = 0
        var size: UInt64 = 0
        if entry.method == 0 {
            guard UInt64(csize) == entry.uncompressedSize else {
                throw corrupt("stored part is \(csize) bytes but declares \(entry.uncompressedSize)", loc)
            }
            var o = 0
            while o < csize {
                let n = min(chunk, csize - o)
                let piece = storage.slice(start + o, n)
                crc = CRC32.checksum(piece, seed: crc)
                size += UInt64(n)
                try ZipReader.checkLimits(limits, out: size, consumed: size, alreadyRead: already,
                                          declared: entry.uncompressedSize, location: loc)
                try body(piece)
                o += n
            }
        } else {
            let inflater = try Inflater()
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
            defer { buffer.deallocate() }
            let limits = self.limits
            let stop: Inflater.Stop
            do {
                stop = try inflater.run(storage.slice(start, csize), maxStep: chunk, window: { buffer }) { n, consumed in
                    let piece = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                    crc = CRC32.checksum(piece, seed: crc)
                    size += UInt64(n)
                    try ZipReader.checkLimits(limits, out: size, consumed: UInt64(consumed), alreadyRead: already,
                                              declared: entry.uncompressedSize, location: loc)
                    try body(piece)
                }.0
            } catch let f as InflateFailure {
                throw JixiaoError(.corrupt, "the compressed data of this part is damaged / 数据损坏", at: loc,
                                  underlying: f.message)
            }
            if stop != .end { throw corrupt("the compressed data ends early", loc) }
        }
        try finish(entry, size: size, crc: crc, loc)
    }

    /// The entry's compressed bytes exactly as stored (to copy a part byte for byte into a new archive).
    /// - Throws: `.corrupt` when its local header is missing, `.truncated` when the file ends inside it.
    public func rawData(_ entry: ZipEntry) throws -> [UInt8] {
        let (start, count) = try dataRange(entry)
        return storage.array(start, count)
    }

    /// Runs `body` over the entry's compressed bytes in place (no copy): for a caller that recognises a part
    /// it has read before from an identical entry (see `countAsRead`).
    /// - Throws: like `rawData`.
    public func withRawData<R>(_ entry: ZipEntry, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let (start, count) = try dataRange(entry)
        return try body(storage.slice(start, count))
    }

    /// Accounts for a part whose contents the caller already has, from an entry with the same method, CRC,
    /// sizes and compressed bytes that `read` inflated without error under the same limits: inflating it again
    /// would give the same bytes. Checks what `read` checks that depends on this archive (the total read so
    /// far against `maxTotalSize`) and counts the part's size as read.
    /// - Throws: `.limitExceeded` as `read` would.
    public func countAsRead(_ entry: ZipEntry) throws {
        let (_, csize) = try dataRange(entry)
        try ZipReader.checkLimits(limits, out: entry.uncompressedSize, consumed: UInt64(csize), alreadyRead: bytesRead,
                                  declared: nil, location: Location(file: name, part: entry.name))
        lock.lock()
        totalRead &+= entry.uncompressedSize
        lock.unlock()
    }

    // MARK: - Internals

    /// Where the entry's compressed data is, after checking that it can be read at all.
    func dataRange(_ entry: ZipEntry) throws -> (start: Int, count: Int) {
        let loc = Location(file: name, part: entry.name)
        if entry.flags & 1 != 0 {
            throw JixiaoError(.unsupported, "this part is encrypted (ZIP encryption) / 该部件已加密", at: loc)
        }
        if entry.method != 0 && entry.method != 8 {
            throw JixiaoError(.unsupported,
                              "compression method \(entry.method) is not supported (only stored and deflate) / 不支持的压缩方式",
                              at: loc)
        }
        let s = storage
        guard let lho = intOrNil(entry.localHeaderOffset), s.isSignature(lho, 3, 4), s.has(lho, 30) else {
            throw corrupt("its local header is missing", loc)
        }
        let dataStart = lho + 30 + Int(s.u16(lho + 26)) + Int(s.u16(lho + 28))
        guard let count = intOrNil(entry.compressedSize), let end = add(dataStart, count), end <= s.count else {
            throw JixiaoError(.truncated, "the file ends inside this part / 文件不完整", at: loc)
        }
        return (dataStart, count)
    }

    func corrupt(_ message: String, _ loc: Location) -> JixiaoError {
        JixiaoError(.corrupt, message + " / 数据损坏", at: loc)
    }

    /// Checks the size and CRC of what was read and counts it against `maxTotalSize`.
    private func finish(_ entry: ZipEntry, size: UInt64, crc: UInt32, _ loc: Location) throws {
        if size != entry.uncompressedSize {
            throw corrupt("the part is \(size) bytes but declares \(entry.uncompressedSize)", loc)
        }
        if crc != entry.crc32 {
            throw JixiaoError(.corrupt, "CRC mismatch: the part's data is damaged / 校验失败，数据损坏", at: loc,
                              underlying: "CRC-32 \(hex(crc)), expected \(hex(entry.crc32))")
        }
        lock.lock()
        totalRead &+= size
        lock.unlock()
    }

    private func hex(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: 8 - h.count) + h
    }

    /// The limits, checked while inflating: `out` bytes produced from `consumed` compressed bytes.
    static func checkLimits(_ limits: ReadLimits, out: UInt64, consumed: UInt64, alreadyRead: UInt64,
                            declared: UInt64?, location: Location) throws {
        if out > limits.maxPartSize {
            throw JixiaoError(.limitExceeded,
                              "limit maxPartSize exceeded: the part is larger than \(limits.maxPartSize) bytes / 超出大小限制",
                              at: location)
        }
        if out > limits.ratioGrace, out / max(consumed, 1) > limits.maxCompressionRatio {
            throw JixiaoError(.limitExceeded,
                              "limit maxCompressionRatio exceeded: the part inflates to more than \(limits.maxCompressionRatio) times its compressed size (a zip bomb?) / 压缩比超出限制，疑似压缩炸弹",
                              at: location)
        }
        let (total, overflow) = alreadyRead.addingReportingOverflow(out)
        if overflow || total > limits.maxTotalSize {
            throw JixiaoError(.limitExceeded,
                              "limit maxTotalSize exceeded: the parts read from this archive add up to more than \(limits.maxTotalSize) bytes / 超出总大小限制",
                              at: location)
        }
        if let declared, out > declared {
            throw JixiaoError(.corrupt, "the part is larger than its declared size (\(declared) bytes) / 数据损坏",
                              at: location)
        }
    }
}
