import Foundation
import SheetCore
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A tiny RFC 4180 reader for the CSV fixtures, so that the normaliser can be tested on CSV grids before the
/// CSVFormat module is merged. Strings only (as a CSV reader hands them up), no merges.
enum TinyCSV {
    static func grid(_ relative: String, gbk: Bool = false) throws -> Workbook {
        var data = try Fixtures.data(relative)
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        let text = gbk ? try decodeGB18030(data) : String(decoding: data, as: UTF8.self)
        var rows: [[CellValue]] = []
        var row: [CellValue] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(.string(field)); field = ""
            } else if c == "\r" || c == "\n" {
                if c == "\r", chars.first == "\n" { chars.removeFirst() }
                row.append(.string(field)); field = ""
                rows.append(row); row = []
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(.string(field)); rows.append(row) }
        let name = (relative as NSString).lastPathComponent
        return Workbook(file: name, sheets: [Grid(name: (name as NSString).deletingPathExtension, values: rows)])
    }

    static func decodeGB18030(_ data: Data) throws -> String {
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { throw CocoaError(.fileReadUnknownStringEncoding) }
        defer { iconv_close(cd) }
        var input = [UInt8](data)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var inLeft = input.count, outLeft = output.count
        let ok = input.withUnsafeMutableBufferPointer { ib -> Bool in
            output.withUnsafeMutableBufferPointer { ob -> Bool in
                var ip: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ib.baseAddress!).assumingMemoryBound(to: CChar.self)
                var op: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ob.baseAddress!).assumingMemoryBound(to: CChar.self)
                return iconv(cd, &ip, &inLeft, &op, &outLeft) != -1
            }
        }
        guard ok else { throw CocoaError(.fileReadInapplicableStringEncoding) }
        return String(decoding: output[0..<(output.count - outLeft)], as: UTF8.self)
    }
}
