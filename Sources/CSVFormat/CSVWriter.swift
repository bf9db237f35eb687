#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// Writes grids as CSV.
///
/// RFC 4180: a field is quoted when it holds the delimiter, a quote, CR or LF, starts or ends with a space or
/// tab, or starts with `sep=` (Excel's delimiter directive); quotes are doubled. Numbers are written in their shortest round-trip text (`CellValue.format`), booleans as
/// `TRUE`/`FALSE`, dates in ISO form, errors as their text. Lines end with CRLF. Every row is as wide as the widest
/// (as Excel saves a CSV).
///
/// UTF-8 with a BOM is the default because Excel needs the BOM to show Chinese text; `.gbk` and `.gb18030` suit
/// older Chinese Excel (GBK cannot hold every character: such a cell is an error, GB18030 can hold all).
public struct CSVWriter: Sendable {
    public var encoding: CSVEncoding
    public var delimiter: UInt8

    public init(encoding: CSVEncoding = .utf8BOM, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.encoding = encoding
        self.delimiter = delimiter
    }

    /// What goes before the first line: the byte-order mark, if the encoding has one.
    public var preamble: [UInt8] { encoding.byteOrderMark }

    /// The whole grid, from A1 (empty leading rows and columns are kept), BOM first.
    ///
    /// - Throws: `JixiaoError(.invalidValue)` naming the sheet and cell whose text the encoding cannot hold (the
    ///   location's file is empty: the caller knows it, `located(_:)` fills it in).
    public func write(_ grid: Grid) throws -> [UInt8] {
        var out = preamble
        guard let lastRow = grid.rows.last?.index else { return out }
        var width = 0
        for row in grid.rows { if let c = row.cells.last { width = max(width, Int(c.col) + 1) } }
        var encoder = try RowEncoder(encoding: encoding, delimiter: delimiter)
        var values = [CellValue](repeating: .empty, count: width)
        var next = 0
        for r in 0...lastRow {
            for k in 0..<width { values[k] = .empty }
            if next < grid.rows.count && grid.rows[next].index == r {
                for c in grid.rows[next].cells { values[Int(c.col)] = c.value }
                next += 1
            }
            do {
                try encoder.encode(values, row: r, into: &out)
            } catch let e as JixiaoError {
                throw e.located(Location(file: "", sheet: grid.name))
            }
        }
        return out
    }

    /// One line (ending in CRLF) in the writer's encoding, without the BOM (see `preamble`), for streaming.
    /// `row` (0-based) only serves to name a cell in an error.
    public func encodeRow(_ values: [CellValue], row: UInt32 = 0) throws -> [UInt8] {
        var out: [UInt8] = []
        var encoder = try RowEncoder(encoding: encoding, delimiter: delimiter)
        try encoder.encode(values, row: row, into: &out)
        return out
    }

    /// Writes the grid to a file atomically (a temporary file beside it, then a rename): the target is either
    /// untouched or complete.
    ///
    /// - Throws: `JixiaoError(.io)` naming the path, or the encoding errors of `write(_:)`.
    public func write(_ grid: Grid, toFile path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = try write(grid)
        } catch let e as JixiaoError {
            throw e.located(Location(file: path))
        }
        try AtomicFile.write(bytes, to: path)
    }
}

/// An `iconv` conversion from UTF-8, closed when the last user is gone.
final class IconvEncoder {
    let cd: iconv_t

    init(to encoding: CSVEncoding) throws {
        let h = iconv_open(encoding.iconvName, "UTF-8")
        if h == iconv_t(bitPattern: -1) {
            throw JixiaoError(.unsupported, "this system's iconv cannot encode \(encoding.iconvName) / 系统 iconv 不支持该编码",
                              underlying: String(cString: strerror(errno)))
        }
        cd = h!
    }

    deinit { iconv_close(cd) }
}

/// Builds lines: UTF-8 straight into the output, other encodings through a UTF-8 line buffer.
struct RowEncoder {
    let encoding: CSVEncoding
    let delimiter: UInt8
    private var line: [UInt8] = []
    private var fieldStarts: [Int] = []
    private var converted: [UInt8] = []
    private let iconv: IconvEncoder?

    init(encoding: CSVEncoding, delimiter: UInt8) throws {
        self.encoding = encoding
        self.delimiter = delimiter
        iconv = encoding == .gbk || encoding == .gb18030 ? try IconvEncoder(to: encoding) : nil
    }

    mutating func encode(_ values: [CellValue], row: UInt32, into out: inout [UInt8]) throws {
        switch encoding {
        case .utf8, .utf8BOM:
            var none: [Int] = []
            RowEncoder.appendLine(values, delimiter: delimiter, to: &out, starts: &none, record: false)
        case .utf16le, .utf16be:
            line.removeAll(keepingCapacity: true)
            RowEncoder.appendLine(values, delimiter: delimiter, to: &line, starts: &fieldStarts, record: false)
            let be = encoding == .utf16be
            // The line is valid UTF-8 (built from Strings), so decoding cannot fail.
            for u in String(decoding: line, as: UTF8.self).utf16 {
                if be { out.append(UInt8(u >> 8)); out.append(UInt8(u & 0xFF)) } else { out.append(UInt8(u & 0xFF)); out.append(UInt8(u >> 8)) }
            }
        case .gbk, .gb18030:
            line.removeAll(keepingCapacity: true)
            fieldStarts.removeAll(keepingCapacity: true)
            RowEncoder.appendLine(values, delimiter: delimiter, to: &line, starts: &fieldStarts, record: true)
            try convert(row: row, into: &out)
        }
    }

    /// Appends one line (CRLF included); with `record`, the offset where each field starts goes to `starts`.
    static func appendLine(_ values: [CellValue], delimiter: UInt8, to out: inout [UInt8], starts: inout [Int], record: Bool) {
        for (k, v) in values.enumerated() {
            if k > 0 { out.append(delimiter) }
            if record { starts.append(out.count) }
            switch v {
            case .empty: break
            case .number(let d): out.append(contentsOf: CellValue.format(d).utf8)
            case .bool(let b): out.append(contentsOf: (b ? "TRUE" : "FALSE").utf8)
            case .date(let d): appendText(d.isoString, delimiter: delimiter, to: &out)
            case .error(let e): appendText(e, delimiter: delimiter, to: &out)
            case .string(let s): appendText(s, delimiter: delimiter, to: &out)
            }
        }
        out.append(ASCII.cr)
        out.append(ASCII.lf)
    }

    static func appendText(_ s: String, delimiter: UInt8, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            guard let first = u.first, let last = u.last else { return }
            var needsQuotes = first == ASCII.space || first == ASCII.tab || last == ASCII.space || last == ASCII.tab
            // Text that starts like Excel's `sep=` directive is quoted, so that it never reads back as one.
            if u.count >= 4 && u[0] | 0x20 == UInt8(ascii: "s") && u[1] | 0x20 == UInt8(ascii: "e")
                && u[2] | 0x20 == UInt8(ascii: "p") && u[3] == UInt8(ascii: "=") { needsQuotes = true }
            if !needsQuotes {
                for b in u where b == delimiter || b == ASCII.quote || b == ASCII.cr || b == ASCII.lf {
                    needsQuotes = true
                    break
                }
            }
            if !needsQuotes { out.append(contentsOf: u); return }
            out.append(ASCII.quote)
            var start = 0
            for (k, b) in u.enumerated() where b == ASCII.quote {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start...k]))   // through the quote
                out.append(ASCII.quote)                                               // doubled
                start = k + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start...]))
            out.append(ASCII.quote)
        }
    }

    private mutating func convert(row: UInt32, into out: inout [UInt8]) throws {
        guard let cd = iconv?.cd else { return }
        if converted.count < line.count * 4 + 16 { converted = [UInt8](repeating: 0, count: line.count * 4 + 16) }
        let total = converted.count
        let (result, done, at) = line.withUnsafeMutableBufferPointer { inp in
            converted.withUnsafeMutableBufferPointer { o -> (Int, Int, Int) in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inp.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inp.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = total
                let r = Glibc.iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                // Reset the conversion state for the next line.
                _ = Glibc.iconv(cd, nil, nil, nil, nil)
                return (r, total - outLeft, inp.count - inLeft)
            }
        }
        if result == -1 {
            var k = 0
            while k + 1 < fieldStarts.count && fieldStarts[k + 1] <= at { k += 1 }
            var end = at + 1
            while end < line.count && line[end] & 0xC0 == 0x80 { end += 1 }
            let ch = String(decoding: line[at..<end], as: UTF8.self)
            throw JixiaoError(.invalidValue,
                              "the character “\(ch)” cannot be written in \(encoding.iconvName); write GB18030 or UTF-8 instead / 该字符无法用 \(encoding.iconvName) 编码，请改用 GB18030 或 UTF-8",
                              at: Location(file: "", cell: CellRef(row: row, col: UInt16(clamping: k))))
        }
        out.append(contentsOf: converted[0..<done])
    }
}
