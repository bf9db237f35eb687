import ArgumentParser
import CSVFormat
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Pipeline
import SheetCore
import XLSXFormat

/// `jixiao dump FILE [--sheet NAME] (--json | --csv)`: the cells of a workbook as JSON (every sheet, the
/// corpus "Expected JSON" shape) or one sheet as UTF-8 CSV (streamed row by row).
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print a workbook's cells as JSON, or one sheet as CSV.",
        discussion: """
        --json: {"sheets":[{"name","type","visible","merged","start","rows"}]}; numbers as JSON numbers, \
        dates as ISO text, empty and error cells as null, rows trimmed of trailing empties, start = 0-based \
        [row, col] of rows[0][0]. --csv: the first worksheet (or --sheet NAME) as RFC 4180 CSV from A1.
        """)

    @Argument(help: "The .xlsx (or .csv) file.")
    var file: String

    @Option(help: "Only this sheet (by name).")
    var sheet: String?

    @Flag(help: "Write JSON (all sheets, or --sheet).")
    var json = false

    @Flag(help: "Write CSV (one sheet: the first worksheet, or --sheet).")
    var csv = false

    @Option(help: "CSV input: the encoding (utf8, utf8-bom, gb18030, gbk, utf16le, utf16be); default: detect.")
    var encoding: String?

    @Option(help: "CSV input: the delimiter (',', ';', 'tab' or one character); default: detect.")
    var delimiter: String?

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func validate() throws {
        if json == csv { throw ValidationError("give exactly one of --json and --csv") }
        _ = try csvOptions()
    }

    /// The explicit CSV reading options (nil fields are detected).
    func csvOptions() throws -> CSVOptions {
        var o = CSVOptions(limits: limitOptions.limits)
        if let encoding {
            guard let e = CSVEncoding(rawValue: encoding.lowercased()) else {
                throw ValidationError("--encoding must be one of \(CSVEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            o.encoding = e
        }
        if let delimiter {
            switch delimiter.lowercased() {
            case "tab", "\\t", "\t": o.delimiter = 9
            case let d where d.utf8.count == 1: o.delimiter = d.utf8.first
            default: throw ValidationError("--delimiter must be one ASCII character or 'tab'")
            }
        }
        return o
    }

    func run() throws {
        let out = OutputBuffer()
        do {
            switch try InputFormat.detect(path: file) {
            case .xlsx:
                let reader = try XLSXReader(path: file, limits: limitOptions.limits)
                if json { try dumpJSON(reader, out) } else { try dumpCSV(reader, out) }
            case .csv:
                let options = try csvOptions()
                if json {
                    let wb = try loadWorkbook(path: file, limits: limitOptions.limits, csv: options)
                    try writeJSON(try selected(wb.sheets.map(\.info)).map { wb.sheets[$0] }, out)
                } else {
                    // Streaming: one line in memory at a time.
                    if let sheet, sheet != CSVReader.sheetName(forFile: file) {
                        throw JixiaoError(.usage, "no sheet named \"\(sheet)\" (a CSV file has one sheet, \"\(CSVReader.sheetName(forFile: file))\")",
                                          at: Location(file: file))
                    }
                    // CSV to CSV: fields stay bytes (no cell values, no Strings); the output is what the row
                    // path writes. A record is written whole or not at all: on an error the partial one is dropped.
                    var nextRow: UInt32 = 0
                    var current = UInt32.max
                    var col = 0
                    do {
                        try CSVReader.forEachRawField(path: file, options: options, field: { record, c, bytes, number in
                            if record != current {
                                out.markRecord()
                                while nextRow < record {
                                    out.appendUnflushed(UInt8(ascii: "\n"))
                                    nextRow += 1
                                }
                                current = record
                                col = 0
                            }
                            while col < c { out.appendUnflushed(UInt8(ascii: ",")); col += 1 }
                            out.rawField(bytes, number)
                        }, endRecord: { record in
                            out.appendUnflushed(UInt8(ascii: "\n"))
                            nextRow = record + 1
                            current = .max
                            try out.flushIfFull()
                        })
                    } catch {
                        if current != .max { out.dropToMark() }
                        throw error
                    }
                }
            }
            try out.flush()
        } catch let e as JixiaoError {
            try? out.flush()
            var one = e.located(Location(file: file))
            one.message = Dump.oneLine(one.message)
            one.underlying = one.underlying.map(Dump.oneLine)
            fail(one)
        } catch {
            try? out.flush()
            fail(error)
        }
    }

    /// Indexes of the sheets to dump: all (JSON) or the first visible worksheet (CSV: what the sender sees first;
    /// the first worksheet when all are hidden), or the one named by --sheet.
    private func selected(_ infos: [SheetInfo]) throws -> [Int] {
        if let sheet {
            guard let i = infos.firstIndex(where: { $0.name == sheet }) else {
                let names = infos.map { "\"\($0.name)\"" }.joined(separator: ", ")
                throw JixiaoError(.usage, "no sheet named \"\(sheet)\" (sheets: \(names))", at: Location(file: file))
            }
            return [i]
        }
        if json { return Array(infos.indices) }
        guard let i = infos.firstIndex(where: { $0.kind == .worksheet && $0.visibility == .visible })
                ?? infos.firstIndex(where: { $0.kind == .worksheet }) ?? (infos.isEmpty ? nil : 0) else {
            throw JixiaoError(.noTable, "the workbook has no sheets", at: Location(file: file))
        }
        return [i]
    }

    private func dumpJSON(_ reader: XLSXReader, _ out: OutputBuffer) throws {
        var grids: [Grid] = []
        for i in try selected(reader.sheets) { grids.append(try reader.readGrid(sheet: i)) }
        try writeJSON(grids, out)
    }

    /// Rows out of order (or one row split over several `<row>` elements) in a streamed sheet.
    private struct RowsOutOfOrder: Error {
        var row: UInt32
        var after: UInt32
    }

    private func dumpCSV(_ reader: XLSXReader, _ out: OutputBuffer) throws {
        guard let index = try selected(reader.sheets).first else { return }
        var nextRow: UInt32 = 0
        do {
            try reader.forEachRow(sheet: index) { row in
                if row.index < nextRow { throw RowsOutOfOrder(row: row.index, after: nextRow - 1) }
                while nextRow < row.index {
                    try out.append(UInt8(ascii: "\n"))
                    nextRow += 1
                }
                try writeCSVRow(row, out)
                nextRow = row.index + 1
            }
        } catch let e as RowsOutOfOrder {
            // Streaming writes rows as they come; rows out of order or repeated are put in place (the later
            // cell wins) by reading the sheet whole, as --json does, when nothing was written yet.
            guard !out.flushedAny else {
                let name = reader.sheets[index].name
                throw JixiaoError(.unsupported,
                                  "row \(e.row + 1) comes after row \(e.after + 1) in the sheet, past what was already written; use --json, or jixiao convert to .csv / 工作表行顺序错乱",
                                  at: Location(file: file, sheet: name))
            }
            out.discard()
            nextRow = 0
            for row in try reader.readGrid(sheet: index).rows {
                while nextRow < row.index {
                    try out.append(UInt8(ascii: "\n"))
                    nextRow += 1
                }
                try writeCSVRow(row, out)
                nextRow = row.index + 1
            }
        }
    }

    private func writeCSVRow(_ row: Row, _ out: OutputBuffer) throws {
        var col: UInt16 = 0
        for cell in row.cells {
            while col < cell.col { try out.append(UInt8(ascii: ",")); col += 1 }
            try out.csvField(cell.value)
        }
        try out.append(UInt8(ascii: "\n"))
    }

    private func writeJSON(_ grids: [Grid], _ out: OutputBuffer) throws {
        try out.append("{\"sheets\":[")
        for (k, g) in grids.enumerated() {
            try out.append(k == 0 ? "\n{" : ",\n{")
            try out.append("\"name\":"); try out.jsonString(g.info.name)
            try out.append(",\"type\":\"\(g.info.kind.rawValue)\",\"visible\":\"\(g.info.visibility.rawValue)\",\"merged\":[")
            for (j, m) in g.merged.enumerated() {
                if j > 0 { try out.append(",") }
                try out.append("\"\(m.first.a1):\(m.last.a1)\"")
            }
            try out.append("]")
            // Used range: every cell that holds a value, even one written as null (an error, an empty string),
            // as the reference reader counts them.
            var minRow = UInt32.max, maxRow: UInt32 = 0, minCol = UInt16.max
            for row in g.rows {
                for c in row.cells where c.value != .empty {
                    minRow = min(minRow, row.index); maxRow = max(maxRow, row.index); minCol = min(minCol, c.col)
                }
            }
            guard minRow != UInt32.max else {
                try out.append(",\"start\":null,\"rows\":[]}")
                continue
            }
            try out.append(",\"start\":[\(minRow),\(minCol)],\"rows\":[")
            var r = minRow
            var ri = g.rows.firstIndex { $0.index >= minRow } ?? g.rows.count
            while r <= maxRow {
                try out.append(r == minRow ? "\n[" : ",\n[")
                if ri < g.rows.count, g.rows[ri].index == r {
                    let cells = g.rows[ri].cells
                    let last = cells.lastIndex { Dump.shown($0.value) && $0.col >= minCol }
                    if let last {
                        var col = minCol
                        for c in cells[...last] where c.col >= minCol {
                            while col < c.col { try out.append(col == minCol ? "null" : ",null"); col += 1 }
                            if col > minCol { try out.append(",") }
                            try out.jsonValue(c.value)
                            col += 1
                        }
                    }
                    ri += 1
                }
                try out.append("]")
                r += 1
            }
            try out.append("]}")
        }
        try out.append("\n]}\n")
    }

    /// The error line must stay one line.
    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// Values that are not null in the JSON.
    static func shown(_ v: CellValue) -> Bool {
        switch v {
        case .empty, .error: return false
        case .string(let s): return !s.isEmpty
        case .number(let d): return d.isFinite
        default: return true
        }
    }
}

/// Buffered standard output (64 KiB writes).
final class OutputBuffer {
    /// Unchecked: the buffer is touched once per byte or field, and the dynamic exclusivity check cost more
    /// than the append (it is never accessed re-entrantly).
    @exclusivity(unchecked) private var buf: [UInt8] = []

    init() { buf.reserveCapacity(1 << 16) }

    func append(_ b: UInt8) throws {
        buf.append(b)
        if buf.count >= 1 << 16 { try flush() }
    }

    func append(_ s: String) throws {
        buf.append(contentsOf: s.utf8)
        if buf.count >= 1 << 16 { try flush() }
    }

    /// Where the record being written started (see ``dropToMark()``).
    private var mark = 0

    func markRecord() { mark = buf.count }

    /// Removes what was written since ``markRecord()`` (a record cut short by an error).
    func dropToMark() { if mark <= buf.count { buf.removeSubrange(mark...) } }

    /// Appends without flushing (a record is flushed whole, see ``flushIfFull()``).
    @inline(__always)
    func appendUnflushed(_ b: UInt8) { buf.append(b) }

    func flushIfFull() throws {
        if buf.count >= 1 << 16 { try flush() }
    }

    /// A CSV input field written back: its number as `csvField` writes numbers, else its bytes, quoted when
    /// needed. No flush.
    func rawField(_ bytes: UnsafeBufferPointer<UInt8>, _ number: Double?) {
        if let d = number {
            if d.isFinite, d == d.rounded(), abs(d) < 1e16 {
                appendInteger(Int64(d))
            } else if DecimalText.isShortestForm(bytes) {
                // "1234.56" is already what formatting its Double would print: copy it.
                buf.append(contentsOf: bytes)
            } else if d.isFinite {
                buf.append(contentsOf: CellValue.format(d).utf8)
            }
        } else {
            appendQuotedIfNeeded(bytes)
        }
    }

    /// Whether anything has gone to standard output yet.
    private(set) var flushedAny = false

    /// Drops everything not yet written.
    func discard() { buf.removeAll(keepingCapacity: true) }

    func flush() throws {
        guard !buf.isEmpty else { return }
        flushedAny = true
        let n = buf.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stdout) }
        buf.removeAll(keepingCapacity: true)
        if n == 0 || fflush(stdout) != 0 {
            throw JixiaoError(.io, "cannot write to standard output", at: Location(file: "<stdout>"))
        }
    }

    /// A JSON string literal: `"`, `\` and control characters escaped, everything else as UTF-8.
    func jsonString(_ s: String) throws {
        JSONLine.appendString(s, to: &buf)
        if buf.count >= 1 << 16 { try flush() }
    }

    func jsonValue(_ v: CellValue) throws {
        switch v {
        case .empty, .error: try append("null")
        case .string(let s): if s.isEmpty { try append("null") } else { try jsonString(s) }
        case .number(let d): try append(d.isFinite ? OutputBuffer.number(d) : "null")
        case .bool(let b): try append(b ? "true" : "false")
        case .date(let d): try jsonString(d.isoString)
        }
    }

    /// Shortest round-trip text; integers without `.0`.
    static func number(_ d: Double) -> String {
        CellValue.format(d)
    }

    /// An RFC 4180 field: quoted when it holds `,`, `"`, CR or LF, or starts or ends with a space.
    func csvField(_ v: CellValue) throws {
        switch v {
        case .empty:
            return
        case .number(let d):
            // Integers (most cells) as digits straight into the buffer; the same text as CellValue.format.
            if d.isFinite, d == d.rounded(), abs(d) < 1e16 {
                appendInteger(Int64(d))
            } else if d.isFinite {
                buf.append(contentsOf: CellValue.format(d).utf8)
            }
        case .bool(let b):
            if b {
                buf.append(0x54); buf.append(0x52); buf.append(0x55); buf.append(0x45)  // TRUE
            } else {
                buf.append(0x46); buf.append(0x41); buf.append(0x4C); buf.append(0x53); buf.append(0x45)  // FALSE
            }
        case .string(var s):
            s.withUTF8 { appendQuotedIfNeeded($0) }
        case .date(let date) where !date.isDuration && date.serial >= 1 && date.serial == date.serial.rounded(.down):
            // A whole day: YYYY-MM-DD, as ExcelDate.isoString writes it (never quoted).
            let c = date.components
            appendPadded(c.year, 4); buf.append(UInt8(ascii: "-"))
            appendPadded(c.month, 2); buf.append(UInt8(ascii: "-"))
            appendPadded(c.day, 2)
        default:
            var t = v.text
            t.withUTF8 { appendQuotedIfNeeded($0) }
        }
        if buf.count >= 1 << 16 { try flush() }
    }

    /// Decimal digits of an integer, `-` first when negative.
    @inline(__always)
    private func appendInteger(_ v: Int64) {
        if v >= 0 && v < 10 { buf.append(UInt8(48 + v)); return }
        var m = v.magnitude
        if v < 0 { buf.append(UInt8(ascii: "-")) }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &tmp) { t in
            var i = 20
            repeat {
                i -= 1
                t[i] = UInt8(48 + m % 10)
                m /= 10
            } while m > 0
            buf.append(contentsOf: UnsafeRawBufferPointer(rebasing: t[i...]))
        }
    }

    /// A non-negative number with leading zeros to `width` digits (more digits are all written).
    @inline(__always)
    private func appendPadded(_ v: Int, _ width: Int) {
        var digits = 1
        var p = 10
        while p <= v { digits += 1; p *= 10 }
        if digits < width { for _ in 0..<(width - digits) { buf.append(48) } }
        appendInteger(Int64(v))
    }

    private func appendQuotedIfNeeded(_ u: UnsafeBufferPointer<UInt8>) {
        guard !u.isEmpty else { return }
        var needsQuotes = u[0] == 0x20 || u[u.count - 1] == 0x20
        if !needsQuotes {
            for b in u where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else { buf.append(contentsOf: u); return }
        buf.append(UInt8(ascii: "\""))
        for b in u {
            if b == UInt8(ascii: "\"") { buf.append(b) }
            buf.append(b)
        }
        buf.append(UInt8(ascii: "\""))
    }
}
