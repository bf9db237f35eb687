import CZlib
import Foundation
import SheetCore
import TestSupport
import Testing
@testable import ZipArchive

typealias SplitMix64 = SeededRNG

func fixtureBytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Fixtures.data(relative))
}

/// Runs `body`, expects a `JixiaoError` of `kind`, and returns it.
@discardableResult
func expectJixiaoError<T>(_ kind: JixiaoError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
                          _ body: () throws -> T) -> JixiaoError? {
    do {
        _ = try body()
        Issue.record("expected a \(kind) error, got success", sourceLocation: sourceLocation)
    } catch let e as JixiaoError {
        #expect(e.kind == kind, "got \(e.kind): \(e)", sourceLocation: sourceLocation)
        return e
    } catch {
        Issue.record("expected JixiaoError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Opens a fixture by path (so that the error names the file as a user would see it).
func openFixture(_ relative: String, limits: ReadLimits = .default) throws -> ZipReader {
    try ZipReader(path: Fixtures.url(relative).path, limits: limits)
}

/// Reads every entry with both `read` and `stream` and checks they agree.
func readAll(_ zip: ZipReader) throws -> [String: [UInt8]] {
    var out: [String: [UInt8]] = [:]
    for e in zip.entries {
        let whole = try zip.read(e)
        var streamed: [UInt8] = []
        try zip.stream(e, chunkSize: 4096) { streamed.append(contentsOf: $0) }
        #expect(whole == streamed, "read and stream differ for \(e.name)")
        out[e.name] = whole
    }
    return out
}

/// A one-entry archive holding `size` zero bytes deflated, about 1 MB per GB, built without deflating
/// everything: after a sync flush the window is all zeros, so every further megabyte compresses to the same
/// bytes; those are repeated. The CRC is computed for the real content.
func zeroBomb(size: UInt64, name: String = "xl/worksheets/sheet1.xml") throws -> [UInt8] {
    let segment = 1 << 20
    precondition(size % UInt64(segment) == 0 && size >= 4 * UInt64(segment))
    let zeros = [UInt8](repeating: 0, count: segment)
    let strm = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    strm.initialize(to: z_stream())
    defer { deflateEnd(strm); strm.deallocate() }
    #expect(CZlib_deflateInit2(strm, 9, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK)
    var out = [UInt8](repeating: 0, count: 1 << 20)
    func run(_ flush: Int32, input: Bool) -> [UInt8] {
        zeros.withUnsafeBufferPointer { z in
            out.withUnsafeMutableBufferPointer { o in
                strm.pointee.next_in = input ? UnsafeMutablePointer(mutating: z.baseAddress) : nil
                strm.pointee.avail_in = input ? uInt(z.count) : 0
                strm.pointee.next_out = o.baseAddress
                strm.pointee.avail_out = uInt(o.count)
                _ = deflate(strm, flush)
                return Array(o[0..<(o.count - Int(strm.pointee.avail_out))])
            }
        }
    }
    let first = run(Z_SYNC_FLUSH, input: true)
    let second = run(Z_SYNC_FLUSH, input: true)
    let third = run(Z_SYNC_FLUSH, input: true)
    #expect(second == third, "zlib's output for a zero megabyte after a sync flush should repeat")
    let last = run(Z_FINISH, input: false)
    var payload = first
    for _ in 1..<(size / UInt64(segment)) { payload += second }
    payload += last
    var crc: UInt32 = 0
    zeros.withUnsafeBytes { z in for _ in 0..<(size / UInt64(segment)) { crc = CRC32.checksum(z, seed: crc) } }

    let raw = Array(name.utf8)
    var a: [UInt8] = []
    func u16(_ v: Int) { a += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func u32(_ v: UInt64) { for k in 0..<4 { a.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
    u32(0x0403_4B50); u16(20); u16(0); u16(8); u16(0); u16(0x21); u32(UInt64(crc)); u32(UInt64(payload.count))
    u32(size); u16(raw.count); u16(0); a += raw
    a += payload
    let cd = a.count
    u32(0x0201_4B50); u16(20); u16(20); u16(0); u16(8); u16(0); u16(0x21); u32(UInt64(crc)); u32(UInt64(payload.count))
    u32(size); u16(raw.count); u16(0); u16(0); u16(0); u16(0); u32(0); u32(0); a += raw
    let cdSize = a.count - cd
    u32(0x0605_4B50); u16(0); u16(0); u16(1); u16(1); u32(UInt64(cdSize)); u32(UInt64(cd)); u16(0)
    return a
}
