import CZlib
import Foundation
import SheetCore

/// The large hostile files of issue 8, built at run time (they are not committed): the same files as
/// `scripts/make-hostile.py --big DIR` writes.
enum HostileFiles {
    static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// A workbook whose `part` inflates to `head` + `size` bytes of `fill` + `tail` (1 GiB: about 1 MB on
    /// disk), with true sizes and CRC in its headers; the other parts make a normal one-sheet workbook.
    static func bomb(part: String, fill: UInt8, head: String = "", tail: String = "", size: Int = 1 << 30) throws -> [UInt8] {
        let segment = 1 << 20
        precondition(size % segment == 0)
        let block = [UInt8](repeating: fill, count: segment)
        let deflater = RawDeflater()
        var payload = deflater.run(Array(head.utf8), flush: Z_SYNC_FLUSH)
        let first = deflater.run(block, flush: Z_SYNC_FLUSH)
        let repeated = deflater.run(block, flush: Z_SYNC_FLUSH)
        payload += first
        payload.reserveCapacity(payload.count + repeated.count * (size / segment))
        for _ in 1..<(size / segment) { payload += repeated }
        payload += deflater.run(Array(tail.utf8), flush: Z_FINISH)
        var crc = crc32(0, nil, 0)
        crc = Array(head.utf8).withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        block.withUnsafeBufferPointer { b in for _ in 0..<(size / segment) { crc = crc32(crc, b.baseAddress, uInt(b.count)) } }
        crc = Array(tail.utf8).withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        let total = UInt64(head.utf8.count + size + tail.utf8.count)

        var parts: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#.utf8)),
            ("_rels/.rels", Array(#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.utf8)),
            ("xl/workbook.xml", Array(#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\#(ns)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8)),
            ("xl/worksheets/sheet1.xml", Array(#"<worksheet xmlns="\#(ns)"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#.utf8)),
        ]
        parts.removeAll { $0.0 == part }
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ a: inout [UInt8], _ v: Int) { a += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ a: inout [UInt8], _ v: UInt64) { for k in 0..<4 { a.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
        func add(_ name: String, _ comp: [UInt8], _ crc: UInt32, _ usize: UInt64) {
            let raw = Array(name.utf8)
            let offset = out.count
            u32(&out, 0x0403_4B50); u16(&out, 20); u16(&out, 0); u16(&out, 8); u16(&out, 0); u16(&out, 0x21)
            u32(&out, UInt64(crc)); u32(&out, UInt64(comp.count)); u32(&out, usize); u16(&out, raw.count); u16(&out, 0)
            out += raw
            out += comp
            u32(&central, 0x0201_4B50); u16(&central, 20); u16(&central, 20); u16(&central, 0); u16(&central, 8)
            u16(&central, 0); u16(&central, 0x21); u32(&central, UInt64(crc)); u32(&central, UInt64(comp.count))
            u32(&central, usize); u16(&central, raw.count); for _ in 0..<4 { u16(&central, 0) }; u32(&central, 0)
            u32(&central, UInt64(offset))
            central += raw
        }
        for (name, data) in parts {
            let d = RawDeflater()
            let crc = data.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
            add(name, d.run(data, flush: Z_FINISH), UInt32(crc), UInt64(data.count))
        }
        add(part, payload, UInt32(crc), total)
        let cdOffset = out.count
        out += central
        u32(&out, 0x0605_4B50); u16(&out, 0); u16(&out, 0); u16(&out, parts.count + 1); u16(&out, parts.count + 1)
        u32(&out, UInt64(central.count)); u32(&out, UInt64(cdOffset)); u16(&out, 0)
        return out
    }

    /// 1 GiB of zeros as the workbook part (read whole: refused from its headers before inflating).
    static func zeroBombWorkbook() throws -> [UInt8] { try bomb(part: "xl/workbook.xml", fill: 0) }

    /// 1 GiB of spaces inside `<sheetData>` (streamed: stopped while inflating).
    static func spaceBombSheet() throws -> [UInt8] {
        try bomb(part: "xl/worksheets/sheet1.xml", fill: 0x20,
                 head: #"<?xml version="1.0"?><worksheet xmlns="\#(ns)"><sheetData>"#, tail: "</sheetData></worksheet>")
    }

    /// A CSV whose second record holds one quoted field of `megabytes` MiB.
    static func csvWithHugeField(at url: URL, megabytes: Int = 100) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let h = try FileHandle(forWritingTo: url)
        defer { try? h.close() }
        try h.write(contentsOf: Data("一级指标,二级指标,三级指标\n产出,\"".utf8))
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<megabytes { try h.write(contentsOf: chunk) }
        try h.write(contentsOf: Data("\",end\n".utf8))
    }
}

/// Raw deflate (no zlib header) at level 9, one call per piece.
final class RawDeflater {
    private let strm: UnsafeMutablePointer<z_stream>

    init() {
        strm = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        strm.initialize(to: z_stream())
        _ = CZlib_deflateInit2(strm, 9, -15, 9, Z_DEFAULT_STRATEGY)
    }

    deinit {
        deflateEnd(strm)
        strm.deallocate()
    }

    func run(_ input: [UInt8], flush: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        input.withUnsafeBufferPointer { inp in
            strm.pointee.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            strm.pointee.avail_in = uInt(inp.count)
            repeat {
                buffer.withUnsafeMutableBufferPointer { o in
                    strm.pointee.next_out = o.baseAddress
                    strm.pointee.avail_out = uInt(o.count)
                    _ = deflate(strm, flush)
                    out += o[0..<(o.count - Int(strm.pointee.avail_out))]
                }
            } while strm.pointee.avail_out == 0 || (flush == Z_FINISH && strm.pointee.avail_in > 0)
        }
        return out
    }
}
