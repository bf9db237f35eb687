import Foundation
import SheetCore

/// Writes a ZIP archive, in memory or streamed to a file. Deterministic: the same parts in the same order
/// give the same bytes (fixed DOS timestamp 1980-01-01 00:00, no extra fields, fixed version and attribute
/// fields). ZIP64 records are written only when an entry or offset needs them (WPS cannot open ZIP64).
///
/// Errors are `JixiaoError`s located at `Location(file: "", part: name)`; the caller that knows the output
/// file fills it in with `located(_:)`.
///
/// ```swift
/// var zip = ZipWriter()
/// try zip.add("[Content_Types].xml", Array(xml.utf8))
/// let bytes = try zip.finish()
/// ```
///
/// A writer is a value holding an output position: do not copy it and use both copies.
public struct ZipWriter {
    struct Record {
        var rawName: [UInt8]
        var flags: UInt16
        var method: UInt16
        var time: UInt16
        var date: UInt16
        var crc: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var offset: UInt64
    }

    /// 1980-01-01 00:00 in MS-DOS format.
    static let dosTime: UInt16 = 0
    static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    private let handle: FileHandle?
    /// In memory: the whole archive. Streaming: bytes not yet written to the file.
    private var buffer: [UInt8] = []
    /// Archive offset of `buffer[0]` (always 0 in memory).
    private var flushed: UInt64 = 0
    /// The file position where the archive starts (streaming).
    private var origin: UInt64 = 0
    private var records: [Record] = []
    private var keys: Set<String> = []
    private var finished = false
    private var broken = false
    /// Sizes and offsets from this value on get ZIP64 fields. Always 0xFFFFFFFF except in tests, which lower it
    /// to exercise the ZIP64 paths without writing 4 GiB.
    var zip64Threshold: UInt64 = 0xFFFF_FFFF

    /// Builds the archive in memory; `finish()` returns it.
    public init() {
        handle = nil
    }

    /// Streams the archive to an open file, starting at its current position; `finish()` returns `[]`.
    /// The file must be seekable when parts are added with `add(_:level:produce:)` (their sizes are filled
    /// in afterwards).
    public init(fileHandle: FileHandle) {
        handle = fileHandle
        origin = (try? fileHandle.offset()) ?? 0
        // Room for a small workbook (the buffer is written out at 4 MiB): no regrowing while it is put together.
        buffer.reserveCapacity(1 << 16)
        records.reserveCapacity(16)
        keys.reserveCapacity(16)
    }

    /// Archive bytes written so far.
    public var count: UInt64 { flushed + UInt64(buffer.count) }

    // MARK: - Adding parts

    /// Adds a part. Deterministic: fixed DOS timestamp 1980-01-01 00:00, no extra fields, UTF-8 flag only
    /// when the name is not ASCII; deflate level 6 by default; stored when `compress` is false.
    /// - Throws: `.invalidValue` for an empty, too long or duplicate name (compared case-insensitively) or a
    ///   bad level; `.io` when writing fails.
    public mutating func add(_ name: String, _ data: [UInt8], compress: Bool = true, level: Int32 = 6) throws {
        let (raw, flags) = try begin(name, level: compress ? level : 0)
        let crc = data.withUnsafeBytes { CRC32.checksum($0) }
        var payload: [UInt8]
        if compress {
            payload = []
            payload.reserveCapacity(data.count / 3 + 64)
            let deflater = try Deflater(level: level)
            try data.withUnsafeBytes { input in
                try deflater.compress(input, finish: true) { payload.append(contentsOf: $0) }
            }
        } else {
            payload = data
        }
        var r = Record(rawName: raw, flags: flags, method: compress ? 8 : 0, time: ZipWriter.dosTime,
                       date: ZipWriter.dosDate, crc: crc, compressedSize: UInt64(payload.count),
                       uncompressedSize: UInt64(data.count), offset: count)
        try writeLocalHeader(&r)
        try append(payload)
        records.append(r)
        keys.insert(ZipNames.key(name))
    }

    /// Adds a part whose bytes are produced in pieces (large worksheets): `produce` calls `write` repeatedly.
    /// The part is deflated as it comes; its CRC and sizes are patched into the local header afterwards.
    /// If `produce` throws, the writer cannot be used any more.
    public mutating func add(_ name: String, level: Int32 = 6,
                             produce: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let (raw, flags) = try begin(name, level: level)
        let deflater = try Deflater(level: level)
        var r = Record(rawName: raw, flags: flags, method: 8, time: ZipWriter.dosTime, date: ZipWriter.dosDate,
                       crc: 0, compressedSize: 0, uncompressedSize: 0, offset: count)
        broken = true  // until the part is complete
        try writeLocalHeader(&r)
        let dataStart = count
        var crc: UInt32 = 0
        var size: UInt64 = 0
        try produce { piece in
            crc = CRC32.checksum(piece, seed: crc)
            size += UInt64(piece.count)
            try deflater.compress(piece, finish: false) { try self.append($0) }
        }
        try deflater.compress(UnsafeRawBufferPointer(start: nil, count: 0), finish: true) { try self.append($0) }
        r.crc = crc
        r.uncompressedSize = size
        r.compressedSize = count - dataStart
        try patchLocalHeader(r, headerLength: Int(dataStart - r.offset))
        records.append(r)
        keys.insert(ZipNames.key(name))
        broken = false
    }

    /// Copies an entry from another archive byte for byte (compressed data, CRC, sizes, method, name, times).
    /// The data is not inflated, so its CRC is not checked here. Flag bit 3 is dropped (sizes go in the header).
    /// - Throws: as `ZipReader.rawData(_:)`, and `.invalidValue` for a duplicate name.
    public mutating func copy(_ entry: ZipEntry, from reader: ZipReader) throws {
        // Straight from the reader's bytes into the output (no copy of the part in between).
        try reader.withRawData(entry) { data in
            let loc = Location(file: "", part: entry.name)
            try checkUsable(loc)
            let key = ZipNames.key(entry.name)
            if keys.contains(key) {
                throw JixiaoError(.invalidValue, "duplicate part name \(entry.name) in the archive being written", at: loc)
            }
            guard entry.rawName.count <= 0xFFFF else {
                throw JixiaoError(.invalidValue, "part name too long", at: loc)
            }
            var r = Record(rawName: entry.rawName, flags: entry.flags & ~0x0008, method: entry.method,
                           time: entry.modTime, date: entry.modDate, crc: entry.crc32,
                           compressedSize: UInt64(data.count), uncompressedSize: entry.uncompressedSize, offset: count)
            try writeLocalHeader(&r)
            try append(data)
            records.append(r)
            keys.insert(key)
        }
    }

    // MARK: - Finishing

    /// Writes the central directory; ZIP64 records only when an entry or offset needs them
    /// (WPS cannot open ZIP64). Returns the archive bytes for the in-memory writer ([] when streaming).
    /// - Throws: `.io` when writing fails, `.invalidValue` when called twice.
    public mutating func finish() throws -> [UInt8] {
        try checkUsable(Location(file: ""))
        let cdStart = count
        for r in records {
            let z64Size = r.uncompressedSize >= zip64Threshold || r.compressedSize >= zip64Threshold
            let z64Offset = r.offset >= zip64Threshold
            var extra: [UInt8] = []
            if z64Size { put64(&extra, r.uncompressedSize); put64(&extra, r.compressedSize) }
            if z64Offset { put64(&extra, r.offset) }
            var h = [UInt8](repeating: 0, count: 46 + r.rawName.count + (extra.isEmpty ? 0 : extra.count + 4))
            h.withUnsafeMutableBytes { p in
                var w = FieldWriter(p)
                w.u32(0x0201_4B50)
                w.u16(extra.isEmpty ? 20 : 45)          // version made by (MS-DOS)
                w.u16(extra.isEmpty ? 20 : 45)          // version needed
                w.u16(r.flags)
                w.u16(r.method)
                w.u16(r.time)
                w.u16(r.date)
                w.u32(r.crc)
                w.u32(z64Size ? 0xFFFF_FFFF : UInt32(r.compressedSize))
                w.u32(z64Size ? 0xFFFF_FFFF : UInt32(r.uncompressedSize))
                w.u16(UInt16(r.rawName.count))
                w.u16(UInt16(extra.isEmpty ? 0 : extra.count + 4))
                w.u16(0)                                 // comment length
                w.u16(0)                                 // disk number start
                w.u16(0)                                 // internal attributes
                w.u32(0)                                 // external attributes
                w.u32(z64Offset ? 0xFFFF_FFFF : UInt32(r.offset))
                w.bytes(r.rawName)
                if !extra.isEmpty {
                    w.u16(0x0001)
                    w.u16(UInt16(extra.count))
                    w.bytes(extra)
                }
            }
            try append(h)
        }
        let cdEnd = count
        let cdSize = cdEnd - cdStart
        let n = UInt64(records.count)
        var tail: [UInt8] = []
        if n >= 0xFFFF || cdStart >= zip64Threshold || cdSize >= zip64Threshold {
            put32(&tail, 0x0606_4B50)                    // ZIP64 end of central directory record
            put64(&tail, 44)
            put16(&tail, 45)
            put16(&tail, 45)
            put32(&tail, 0)
            put32(&tail, 0)
            put64(&tail, n)
            put64(&tail, n)
            put64(&tail, cdSize)
            put64(&tail, cdStart)
            put32(&tail, 0x0706_4B50)                    // ZIP64 locator
            put32(&tail, 0)
            put64(&tail, cdEnd)
            put32(&tail, 1)
        }
        put32(&tail, 0x0605_4B50)
        put16(&tail, 0)
        put16(&tail, 0)
        put16(&tail, UInt16(min(n, 0xFFFF)))
        put16(&tail, UInt16(min(n, 0xFFFF)))
        put32(&tail, UInt32(min(cdSize, 0xFFFF_FFFF)))
        put32(&tail, UInt32(min(cdStart, 0xFFFF_FFFF)))
        put16(&tail, 0)
        try append(tail)
        finished = true
        if handle != nil {
            try flush()
            return []
        }
        let out = buffer
        buffer = []
        return out
    }

    // MARK: - Internals

    private func checkUsable(_ loc: Location) throws {
        if finished { throw JixiaoError(.invalidValue, "the ZIP archive is already finished", at: loc) }
        if broken {
            throw JixiaoError(.invalidValue, "the ZIP archive is incomplete: adding an earlier part failed", at: loc)
        }
    }

    private func begin(_ name: String, level: Int32) throws -> ([UInt8], UInt16) {
        let loc = Location(file: "", part: name)
        try checkUsable(loc)
        let raw = Array(name.utf8)
        guard !raw.isEmpty, raw.count <= 0xFFFF else {
            throw JixiaoError(.invalidValue, "a part name must have 1 to 65535 bytes", at: loc)
        }
        guard (-1...9).contains(level) else {
            throw JixiaoError(.invalidValue, "deflate level \(level) is not in -1…9", at: loc)
        }
        if keys.contains(ZipNames.key(name)) {
            throw JixiaoError(.invalidValue, "duplicate part name \(name) in the archive being written", at: loc)
        }
        let flags: UInt16 = raw.contains { $0 >= 0x80 } ? 0x0800 : 0
        return (raw, flags)
    }

    private mutating func writeLocalHeader(_ r: inout Record) throws {
        try append(localHeader(r))
    }

    private func localHeader(_ r: Record) -> [UInt8] {
        let z64 = r.uncompressedSize >= zip64Threshold || r.compressedSize >= zip64Threshold
        var h = [UInt8](repeating: 0, count: 30 + r.rawName.count + (z64 ? 20 : 0))
        h.withUnsafeMutableBytes { p in
            var w = FieldWriter(p)
            w.u32(0x0403_4B50)
            w.u16(z64 ? 45 : 20)
            w.u16(r.flags)
            w.u16(r.method)
            w.u16(r.time)
            w.u16(r.date)
            w.u32(r.crc)
            w.u32(z64 ? 0xFFFF_FFFF : UInt32(r.compressedSize))
            w.u32(z64 ? 0xFFFF_FFFF : UInt32(r.uncompressedSize))
            w.u16(UInt16(r.rawName.count))
            w.u16(z64 ? 20 : 0)
            w.bytes(r.rawName)
            if z64 {
                w.u16(0x0001)
                w.u16(16)
                w.u64(r.uncompressedSize)
                w.u64(r.compressedSize)
            }
        }
        return h
    }

    /// Fills in CRC and sizes of a streamed part's local header (written with zeros and no extra field).
    /// A part that turned out to need ZIP64 gets its ZIP64 extra field inserted when its header is still in
    /// memory (always so for the in-memory writer); when it has already gone to the file, the sizes are
    /// written as 0xFFFFFFFF there and only the central directory carries them (readers that trust the
    /// central directory, which Excel and all the readers here do, are fine).
    private mutating func patchLocalHeader(_ r: Record, headerLength: Int) throws {
        let z64 = r.uncompressedSize >= zip64Threshold || r.compressedSize >= zip64Threshold
        if r.offset >= flushed {
            let i = Int(r.offset - flushed)
            buffer.replaceSubrange(i..<(i + headerLength), with: localHeader(r))
            return
        }
        var p: [UInt8] = []
        put32(&p, r.crc)
        put32(&p, z64 ? 0xFFFF_FFFF : UInt32(r.compressedSize))
        put32(&p, z64 ? 0xFFFF_FFFF : UInt32(r.uncompressedSize))
        guard let handle else { return }
        try flush()
        do {
            try handle.seek(toOffset: origin + r.offset + 14)
            try handle.write(contentsOf: p)
            if headerLength == 30 + r.rawName.count + 20 {  // the header already has a ZIP64 field: fill it
                var sizes: [UInt8] = []
                put64(&sizes, r.uncompressedSize)
                put64(&sizes, r.compressedSize)
                try handle.seek(toOffset: origin + r.offset + UInt64(30 + r.rawName.count + 4))
                try handle.write(contentsOf: sizes)
            }
            try handle.seekToEnd()
        } catch {
            throw JixiaoError(.io, "cannot update a ZIP header in the output file (is it seekable?)",
                              at: Location(file: "", part: String(decoding: r.rawName, as: UTF8.self)),
                              underlying: "\(error)")
        }
    }

    private mutating func append(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if handle != nil, buffer.count >= 4 << 20 { try flush() }
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if handle != nil, buffer.count >= 4 << 20 { try flush() }
    }

    private mutating func flush() throws {
        guard let handle, !buffer.isEmpty else { return }
        // Straight to the descriptor: `FileHandle.write(contentsOf:)` goes through `Data` (a copy and generic
        // code that cost more than the write itself for a small workbook).
        guard buffer.withUnsafeBytes({ AtomicFile.writeFully(handle.fileDescriptor, $0) }) else {
            throw JixiaoError(.io, "cannot write the ZIP archive / 无法写入文件", at: Location(file: ""),
                              underlying: String(cString: strerror(errno)))
        }
        flushed += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Little-endian fields stored one after another into a buffer made big enough for them (a ZIP header: one
/// store per field rather than an append, with its capacity and uniqueness checks, per byte).
struct FieldWriter {
    let p: UnsafeMutableRawBufferPointer
    var at = 0

    init(_ p: UnsafeMutableRawBufferPointer) { self.p = p }

    @inline(__always) mutating func u16(_ v: UInt16) {
        p.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt16.self)
        at += 2
    }

    @inline(__always) mutating func u32(_ v: UInt32) {
        p.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt32.self)
        at += 4
    }

    @inline(__always) mutating func u64(_ v: UInt64) {
        p.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt64.self)
        at += 8
    }

    @inline(__always) mutating func bytes(_ b: [UInt8]) {
        precondition(at + b.count <= p.count, "ZIP header field past its buffer")
        b.withUnsafeBytes { src in
            if let s = src.baseAddress, src.count > 0 { (p.baseAddress! + at).copyMemory(from: s, byteCount: src.count) }
        }
        at += b.count
    }
}

@inline(__always) func put16(_ a: inout [UInt8], _ v: UInt16) {
    a.append(UInt8(truncatingIfNeeded: v))
    a.append(UInt8(truncatingIfNeeded: v >> 8))
}

@inline(__always) func put32(_ a: inout [UInt8], _ v: UInt32) {
    put16(&a, UInt16(truncatingIfNeeded: v))
    put16(&a, UInt16(truncatingIfNeeded: v >> 16))
}

@inline(__always) func put64(_ a: inout [UInt8], _ v: UInt64) {
    put32(&a, UInt32(truncatingIfNeeded: v))
    put32(&a, UInt32(truncatingIfNeeded: v >> 32))
}
