#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore
import XMLStream

/// What a worksheet's cells need from the rest of the workbook.
struct SheetContext {
    var sharedStrings: [String]
    var formats: LazyCellFormats
    var date1904: Bool
    var limits: ReadLimits
    var location: Location
}

/// Streams a worksheet part (`<sheetData>` rows, then `<mergeCells>`) and hands up one row at a time.
///
/// Handles: cells and rows without `r` (position = previous + 1), malformed `r` (treated as missing),
/// cells of a row out of order or repeated (sorted, the later wins), cells whose `r` names another row,
/// shared/inline/formula strings, numbers, booleans, errors, ISO dates (`t="d"`), date formats,
/// formulas (shared formulas: dependents get the master's text with relative references moved), merged
/// ranges (malformed ones skipped).
/// Memory: one row plus the merged ranges.
final class SheetParser: XMLStreamDelegate {
    private let ctx: SheetContext
    private let emit: (Row) throws -> Void

    // Row state.
    @exclusivity(unchecked) private var inSheetData = false
    @exclusivity(unchecked) private var nextRow: UInt32 = 0          // row of the next <row> without r
    @exclusivity(unchecked) private var currentRow: UInt32 = 0
    @exclusivity(unchecked) private var nextCol: UInt32 = 0          // column of the next <c> without r
    @exclusivity(unchecked) private var cells: [Cell] = []
    /// Row of each buffered cell, kept only once they are `mixedRows`; before, every buffered cell is in
    /// `bufferRow`.
    @exclusivity(unchecked) private var cellRows: [UInt32] = []
    @exclusivity(unchecked) private var bufferRow: UInt32 = 0
    @exclusivity(unchecked) private var mixedRows = false

    // Cell state.
    private enum CellType { case number, shared, inline, bool, error, string, date, unknown }
    @exclusivity(unchecked) private var inCell = false
    @exclusivity(unchecked) private var cellRow: UInt32 = 0
    @exclusivity(unchecked) private var cellCol: UInt32 = 0
    @exclusivity(unchecked) private var cellType = CellType.number
    @exclusivity(unchecked) private var cellStyle: UInt32 = 0
    @exclusivity(unchecked) private var value: [UInt8] = []
    @exclusivity(unchecked) private var hasValue = false
    @exclusivity(unchecked) private var formula: [UInt8] = []
    @exclusivity(unchecked) private var hasFormula = false
    @exclusivity(unchecked) private var sharedIndex: Int?
    @exclusivity(unchecked) private var sharedIsMaster = false
    @exclusivity(unchecked) private var inV = false
    @exclusivity(unchecked) private var inF = false
    @exclusivity(unchecked) private var inIs = false
    @exclusivity(unchecked) private var inlineText: RichTextCollector
    @exclusivity(unchecked) private var hasInline = false
    /// Texts seen before (in this or an earlier workbook) are taken from the cache while it pays.
    @exclusivity(unchecked) private var strings = CellStringCache.Reader()
    /// Master text and position of each shared-formula group.
    @exclusivity(unchecked) private var sharedFormulas: [Int: (text: String, row: UInt32, col: UInt16)] = [:]
    /// Bytes of formula text made so far by expanding shared formulas (limit maxFormulaExpansion: a long
    /// master with many dependents would otherwise make gigabytes from a small part).
    @exclusivity(unchecked) private var formulaExpansion = 0

    // Merged ranges.
    @exclusivity(unchecked) private(set) var merged: [CellRange] = []

    /// Pending row for merging consecutive repeats of the same row: repeats are appended and sorted out
    /// (later cells win) when the row is emitted or grows past `pendingCompactAt`.
    @exclusivity(unchecked) private var pending: Row?
    @exclusivity(unchecked) private var pendingSorted = true
    @exclusivity(unchecked) private var pendingCompactAt = SheetParser.compactThreshold
    /// Buffered cells of the current `<row>` element past which repeats are dropped (hostile files repeat
    /// one cell millions of times: memory stays at the distinct cells).
    @exclusivity(unchecked) private var cellsCompactAt = SheetParser.compactThreshold
    static let compactThreshold = 65_536
    /// Excel's limit on the length of a formula, in characters.
    static let maxFormulaCharacters = 8_192

    init(context: SheetContext, emit: @escaping (Row) throws -> Void) {
        self.ctx = context
        self.emit = emit
        inlineText = RichTextCollector(maxLength: context.limits.maxStringLength)
        value.reserveCapacity(64)
        cells.reserveCapacity(64)
    }

    /// Flushes the last row; call after the parser finished.
    func finish() throws {
        try flushPending()
        merged.sort()
        var unique: [CellRange] = []
        unique.reserveCapacity(merged.count)
        for m in merged where unique.last != m { unique.append(m) }
        merged = unique
    }

    // MARK: XMLStreamDelegate

    func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        // Dispatch on the first byte of the local name, then compare the whole name.
        let first = name.firstByte
        if inCell {
            if inIs {
                inlineText.start(name, attributes)
            } else if first == UInt8(ascii: "v") {
                guard name.byte(1) == 0 else { return }
                inV = true
                hasValue = true
                if !value.isEmpty { value.removeAll(keepingCapacity: true) }
            } else if first == UInt8(ascii: "f") {
                guard name.byte(1) == 0 else { return }
                inF = true
                hasFormula = true
                if !formula.isEmpty { formula.removeAll(keepingCapacity: true) }
                startFormula(attributes)
            } else if first == UInt8(ascii: "i"), name.byte(1) == UInt8(ascii: "s"), name.byte(2) == 0 {
                inIs = true
                hasInline = true
                inlineText.reset()
            }
            return
        }
        if inSheetData {
            if first == UInt8(ascii: "c") {
                if name.byte(1) == 0 { startCell(attributes) }
            } else if first == UInt8(ascii: "r"), SheetParser.isRow(name) {
                try startRow(attributes)
            }
            return
        }
        if name.firstByte == UInt8(ascii: "s"), name.is("sheetData") {
            inSheetData = true
        } else if name.firstByte == UInt8(ascii: "m"), name.is("mergeCell") {
            if let raw = attributes.raw("ref"), let r = CellRange.parse(raw) {
                if merged.count >= ctx.limits.maxMergedRanges {
                    throw JixiaoError(.limitExceeded, "more than \(ctx.limits.maxMergedRanges) merged ranges (limit maxMergedRanges)",
                                      at: ctx.location)
                }
                merged.append(r)
            }
        }
    }

    func endElement(_ name: XMLName) throws {
        let first = name.firstByte
        if inCell {
            if inIs {
                if first == UInt8(ascii: "i"), name.byte(1) == UInt8(ascii: "s"), name.byte(2) == 0 { inIs = false } else { inlineText.end(name) }
            } else if first == UInt8(ascii: "c") {
                if name.byte(1) == 0 { try endCell() }
            } else if first == UInt8(ascii: "v") {
                if name.byte(1) == 0 { inV = false }
            } else if first == UInt8(ascii: "f"), name.byte(1) == 0 {
                inF = false
            }
            return
        }
        if inSheetData {
            if first == UInt8(ascii: "r") {
                if SheetParser.isRow(name) { try endRow() }
            } else if first == UInt8(ascii: "s"), name.is("sheetData") {
                inSheetData = false
                try endRow()
            }
        }
    }

    @inline(__always)
    private static func isRow(_ name: XMLName) -> Bool {
        name.byte(0) == UInt8(ascii: "r") && name.byte(1) == UInt8(ascii: "o") && name.byte(2) == UInt8(ascii: "w")
            && name.byte(3) == 0
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {
        if inV {
            value.append(contentsOf: text)
            if value.count > ctx.limits.maxStringLength { throw tooLong() }
        } else if inF {
            formula.append(contentsOf: text)
            if formula.count > ctx.limits.maxStringLength { throw tooLong() }
        } else if inIs {
            if !inlineText.characters(text) { throw tooLong() }
        }
    }

    private func tooLong() -> JixiaoError {
        JixiaoError(.limitExceeded, "a cell's text is longer than \(ctx.limits.maxStringLength) bytes (limit maxStringLength)",
                    at: ctx.location.with(cell: CellRef(row: cellRow, col: UInt16(min(cellCol, UInt32(CellRef.maxCol))))))
    }

    // MARK: Rows

    private func startRow(_ attributes: XMLAttributes) throws {
        currentRow = nextRow
        if let raw = attributes.raw("r"), let r = parseUInt(raw), r >= 1, r <= UInt64(CellRef.maxRow) + 1 {
            currentRow = UInt32(r - 1)
        }
        nextCol = 0
    }

    /// Emits the buffered cells (if any) and advances to the next row.
    private func endRow() throws {
        defer {
            nextRow = currentRow &+ 1
            nextCol = 0
        }
        guard !cells.isEmpty else { return }
        if mixedRows {
            // Cells naming other rows: group them by row, in row order.
            var groups: [UInt32: [Cell]] = [:]
            for (i, c) in cells.enumerated() { groups[cellRows[i], default: []].append(c) }
            for r in groups.keys.sorted() { try push(Row(index: r, cells: normalise(groups[r]!))) }
        } else {
            try push(Row(index: currentRow, cells: normalise(cells)))
        }
        cells.removeAll(keepingCapacity: cells.count <= SheetParser.compactThreshold)
        if !cellRows.isEmpty { cellRows.removeAll(keepingCapacity: cellRows.count <= SheetParser.compactThreshold) }
        cellsCompactAt = SheetParser.compactThreshold
        mixedRows = false
    }

    /// Drops the buffered cells of the current `<row>` that a later cell of the same row and column
    /// replaces (keeping their order by row, then column); refuses more distinct cells than
    /// `maxCellsInMemory`.
    private func compactCells() throws {
        if !mixedRows { cellRows = Array(repeating: bufferRow, count: cells.count) }
        defer { if !mixedRows { cellRows = [] } }
        let order = cells.indices.sorted {
            cellRows[$0] != cellRows[$1] ? cellRows[$0] < cellRows[$1]
                : cells[$0].col != cells[$1].col ? cells[$0].col < cells[$1].col : $0 < $1
        }
        var keptCells: [Cell] = []
        var keptRows: [UInt32] = []
        for i in order {
            if let r = keptRows.last, r == cellRows[i], keptCells[keptCells.count - 1].col == cells[i].col {
                keptCells[keptCells.count - 1] = cells[i]
            } else {
                keptCells.append(cells[i])
                keptRows.append(cellRows[i])
            }
        }
        cells = keptCells
        cellRows = keptRows
        if cells.count > ctx.limits.maxCellsInMemory {
            throw JixiaoError(.limitExceeded, "one row element holds more than \(ctx.limits.maxCellsInMemory) distinct cells (limit maxCellsInMemory)",
                              at: ctx.location.with(cell: CellRef(row: min(cellRow, CellRef.maxRow), col: 0)))
        }
        cellsCompactAt = max(SheetParser.compactThreshold, 2 * cells.count)
    }

    /// Cells sorted by column, the last of repeated columns kept.
    private func normalise(_ cs: [Cell]) -> [Cell] {
        var sorted = true
        for i in 1..<max(1, cs.count) where cs[i - 1].col >= cs[i].col { sorted = false; break }
        if sorted { return cs }
        if cs.count > 256 {
            // Linear: the last index of each column (columns are below 16,384).
            var last = [Int32](repeating: -1, count: Int(CellRef.maxCol) + 1)
            for (i, c) in cs.enumerated() { last[Int(c.col)] = Int32(i) }
            var out: [Cell] = []
            out.reserveCapacity(min(cs.count, last.count))
            for i in last where i >= 0 { out.append(cs[Int(i)]) }
            return out
        }
        let order = cs.indices.sorted { cs[$0].col != cs[$1].col ? cs[$0].col < cs[$1].col : $0 < $1 }
        var out: [Cell] = []
        out.reserveCapacity(cs.count)
        for i in order {
            if let last = out.last, last.col == cs[i].col { out[out.count - 1] = cs[i] } else { out.append(cs[i]) }
        }
        return out
    }

    /// Merges consecutive repeats of one row (later cells win), emits the previous row otherwise.
    /// Repeats are appended (no scan of the row per repeat: that was quadratic) and sorted out when the
    /// row is emitted, or when they pile up past `pendingCompactAt`.
    private func push(_ row: Row) throws {
        // No local copy of `pending`: it would share the cell buffer and make each append copy the row.
        if pending?.index == row.index {
            if let a = pending!.cells.last, let b = row.cells.first, a.col >= b.col { pendingSorted = false }
            pending!.cells.append(contentsOf: row.cells)
            if pending!.cells.count > pendingCompactAt {
                pending!.cells = normalise(pending!.cells)
                pendingSorted = true
                pendingCompactAt = max(SheetParser.compactThreshold, 2 * pending!.cells.count)
            }
            return
        }
        try flushPending()
        pending = row
    }

    private func flushPending() throws {
        guard var p = pending else { return }
        pending = nil
        if !pendingSorted { p.cells = normalise(p.cells) }
        pendingSorted = true
        pendingCompactAt = SheetParser.compactThreshold
        try emit(p)
    }

    // MARK: Cells

    private func startCell(_ attributes: XMLAttributes) {
        inCell = true
        cellRow = currentRow
        cellCol = nextCol
        cellType = .number
        cellStyle = 0
        hasValue = false
        hasFormula = false
        hasInline = false
        sharedIndex = nil
        sharedIsMaster = false
        var i = 0
        let count = attributes.count
        while i < count {
            defer { i += 1 }
            guard attributes.isUnprefixed(i) else { continue }
            // One-letter names only: the first byte and the terminator, no strlen.
            let name = attributes.localNameCString(i)
            guard name[0] != 0, name[1] == 0 else { continue }
            switch name[0] {
            case UInt8(ascii: "r"):
                let packed = SheetParser.parseRef(attributes.rawValue(i))
                if packed >= 0 {
                    cellRow = UInt32(truncatingIfNeeded: packed >> 16)
                    cellCol = UInt32(truncatingIfNeeded: packed & 0xFFFF)
                }
            case UInt8(ascii: "t"):
                cellType = SheetParser.type(attributes.rawValue(i))
            case UInt8(ascii: "s"):
                cellStyle = UInt32(truncatingIfNeeded: parseUInt(attributes.rawValue(i)) ?? 0)
            default:
                break
            }
        }
    }

    /// `CellRef.parse` of a cell's `r` on raw bytes, packed as `row << 16 | col` (0-based), -1 when it is not a
    /// reference: same grammar (`[$]LETTERS[$]DIGITS`, at most 3 letters and 7 digits, within the sheet).
    @inline(__always)
    static func parseRef(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let p = bytes.baseAddress else { return -1 }
        let n = bytes.count
        var i = 0
        if i < n, p[i] == UInt8(ascii: "$") { i += 1 }
        var col = 0
        let lettersStart = i
        while i < n {
            let b = p[i] | 0x20  // lower case; only letters are kept below
            guard b >= 97, b <= 122 else { break }
            col = col &* 26 &+ Int(b &- 96)
            i += 1
            if i - lettersStart > 3 { return -1 }
        }
        guard i > lettersStart else { return -1 }
        if i < n, p[i] == UInt8(ascii: "$") { i += 1 }
        var row = 0
        let digitsStart = i
        while i < n {
            let d = p[i] &- 48
            guard d <= 9 else { return -1 }
            row = row &* 10 &+ Int(d)
            i += 1
            if i - digitsStart > 7 { return -1 }
        }
        guard i > digitsStart, row >= 1, row <= Int(CellRef.maxRow) + 1, col >= 1, col <= Int(CellRef.maxCol) + 1 else {
            return -1
        }
        return (row - 1) << 16 | (col - 1)
    }

    private static func type(_ t: UnsafeBufferPointer<UInt8>) -> CellType {
        // The common spellings first, by length.
        if t.count == 1 {
            switch t[0] {
            case UInt8(ascii: "s"): return .shared
            case UInt8(ascii: "n"): return .number
            case UInt8(ascii: "b"): return .bool
            case UInt8(ascii: "e"): return .error
            case UInt8(ascii: "d"): return .date
            default: return .unknown
            }
        }
        if t.count == 9, t[0] == UInt8(ascii: "i"), XMLBytes.equal(t, "inlineStr") { return .inline }
        if XMLBytes.equal(t, "s") { return .shared }
        if XMLBytes.equal(t, "n") { return .number }
        if XMLBytes.equal(t, "str") { return .string }
        if XMLBytes.equal(t, "inlineStr") { return .inline }
        if XMLBytes.equal(t, "b") { return .bool }
        if XMLBytes.equal(t, "e") { return .error }
        if XMLBytes.equal(t, "d") { return .date }
        return .unknown
    }

    private func startFormula(_ attributes: XMLAttributes) {
        var isShared = false
        var si: Int?
        var hasRef = false
        for a in attributes where a.prefix.isEmpty {
            if a.is("t") { isShared = XMLBytes.equal(a.rawValue, "shared") }
            else if a.is("si") { si = parseUInt(a.rawValue).map { Int(truncatingIfNeeded: $0) } }
            else if a.is("ref") { hasRef = true }
        }
        if isShared, let si {
            sharedIndex = si
            sharedIsMaster = hasRef
        }
    }

    private func endCell() throws {
        inCell = false
        inV = false
        inF = false
        inIs = false
        defer { nextCol = cellCol &+ 1 }
        guard cellCol <= UInt32(CellRef.maxCol), cellRow <= CellRef.maxRow else { return }
        let ref = CellRef(row: cellRow, col: UInt16(cellCol))
        let v = try cellValue(ref)
        var f: String?
        if hasFormula {
            if !formula.isEmpty {
                let text = String(decoding: formula, as: UTF8.self)
                // A master longer than Excel's 8,192-character formula limit is not handed to its dependents
                // (each would cost a pass over it: a hostile part makes gigabytes that way).
                if let si = sharedIndex, sharedIsMaster {
                    if text.utf8.count <= SheetParser.maxFormulaCharacters || text.count <= SheetParser.maxFormulaCharacters {
                        sharedFormulas[si] = (text, ref.row, ref.col)
                    } else {
                        sharedFormulas[si] = nil
                    }
                }
                f = text
            } else if let si = sharedIndex, let master = sharedFormulas[si] {
                formulaExpansion += master.text.utf8.count
                if formulaExpansion > ctx.limits.maxFormulaExpansion {
                    throw JixiaoError(.limitExceeded, "shared formulas expand to more than \(ctx.limits.maxFormulaExpansion) bytes of formula text (limit maxFormulaExpansion) / 共享公式展开超过上限",
                                      at: ctx.location.with(cell: ref))
                }
                f = SharedFormula.shift(master.text, rows: Int(ref.row) - Int(master.row), cols: Int(ref.col) - Int(master.col))
            }
        }
        if case .empty = v, f == nil { return }
        if !mixedRows {
            if cells.isEmpty {
                bufferRow = cellRow
                if cellRow != currentRow { startMixedRows() }
            } else if cellRow != bufferRow {
                startMixedRows()
            }
        }
        cells.append(Cell(col: UInt16(cellCol), value: consume v, formula: consume f, style: cellStyle))
        if mixedRows { cellRows.append(cellRow) }
        if cells.count > cellsCompactAt { try compactCells() }
    }

    /// The buffered cells name more than one row (or another row than their `<row>`): their rows are kept
    /// from now on.
    @inline(never)
    private func startMixedRows() {
        mixedRows = true
        cellRows = Array(repeating: bufferRow, count: cells.count)
    }

    private func cellValue(_ ref: CellRef) throws -> CellValue {
        switch cellType {
        case .inline:
            if hasInline { return .string(inlineText.string(&strings)) }
            return hasValue && !value.isEmpty ? .string(OOXMLEscapes.decode(value, cache: &strings)) : .empty
        case .shared:
            guard hasValue, !value.isEmpty else { return .empty }
            guard let i = parseUInt(value), i < UInt64(ctx.sharedStrings.count) else {
                throw JixiaoError(.corrupt, "shared string index \(String(decoding: value, as: UTF8.self)) is out of range (\(ctx.sharedStrings.count) strings)",
                                  at: ctx.location.with(cell: ref))
            }
            return .string(ctx.sharedStrings[Int(i)])
        case .string, .unknown:
            guard hasValue else { return .empty }
            return .string(OOXMLEscapes.decode(value, cache: &strings))
        case .bool:
            guard hasValue, !value.isEmpty else { return .empty }
            let t = trimmed(value)
            return .bool(!(t.count == 1 && t[0] == UInt8(ascii: "0")) && !(t.elementsEqual("false".utf8)))
        case .error:
            guard hasValue, !value.isEmpty else { return .empty }
            return .error(String(decoding: value, as: UTF8.self))
        case .date:
            guard hasValue, !value.isEmpty else { return .empty }
            let text = String(decoding: value, as: UTF8.self)
            // Dates before 1900-01-01 have no serial in Excel: they stay text.
            if let serial = ISODate.serial(text), serial >= 1 || !text.contains("-") {
                return .date(ExcelDate(serial: ctx.date1904 ? serial - 1462 : serial, epoch1904: ctx.date1904))
            }
            return .string(text)
        case .number:
            guard hasValue, !value.isEmpty else { return .empty }
            guard let d = parseDouble(value) else { return .string(String(decoding: value, as: UTF8.self)) }
            switch try ctx.formats.kind(ofStyle: cellStyle) {
            case .number:
                return .number(d)
            case .date:
                // Like the reference reader: negative serials with a fraction show as a time of day;
                // negative whole serials and serials past 9999-12-31 stay numbers.
                guard d <= ExcelDate.maxSerial, d >= 0 || d != d.rounded(.down) else { return .number(d) }
                return .date(ExcelDate(serial: d, epoch1904: ctx.date1904))
            case .duration:
                guard d.isFinite, abs(d) <= ExcelDate.maxSerial else { return .number(d) }
                return .date(ExcelDate(serial: d, epoch1904: ctx.date1904, isDuration: true))
            }
        }
    }
}

// MARK: Byte parsing

@inline(__always)
func parseUInt(_ b: UnsafeBufferPointer<UInt8>) -> UInt64? {
    var v: UInt64 = 0
    var i = 0
    let n = b.count
    while i < n, b[i] == 0x20 { i += 1 }
    var digits = 0
    while i < n {
        let c = b[i]
        guard c >= 48, c <= 57 else { break }
        if digits > 18 { return nil }
        v = v * 10 + UInt64(c - 48)
        digits += 1
        i += 1
    }
    while i < n, b[i] == 0x20 { i += 1 }
    return digits > 0 && i == n ? v : nil
}

func parseUInt(_ b: [UInt8]) -> UInt64? { b.withUnsafeBufferPointer { parseUInt($0) } }

private func trimmed(_ b: [UInt8]) -> ArraySlice<UInt8> {
    var s = b.startIndex, e = b.endIndex
    while s < e, b[s] == 0x20 || b[s] == 0x09 || b[s] == 0x0A || b[s] == 0x0D { s += 1 }
    while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 || b[e - 1] == 0x0A || b[e - 1] == 0x0D { e -= 1 }
    return b[s..<e]
}

/// Decimal text → Double, correctly rounded (`strtod`). Accepts `[+-]digits[.digits][e[+-]digits]` only
/// (plus `INF`/`NAN` spellings are refused), nothing around it.
func parseDouble(_ bytes: [UInt8]) -> Double? {
    let n = bytes.count
    guard n > 0, n < 400 else { return n >= 400 ? parseLongDouble(bytes) : nil }
    var digits = 0
    var i = 0
    if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
    while i < n, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
    if i < n, bytes[i] == UInt8(ascii: ".") {
        i += 1
        while i < n, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
    }
    guard digits > 0 else { return nil }
    if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
        i += 1
        if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var e = 0
        while i < n, bytes[i] >= 48, bytes[i] <= 57 { i += 1; e += 1 }
        guard e > 0 else { return nil }
    }
    guard i == n else { return nil }
    // Fast path: short integers.
    if digits == n, n <= 15 {
        var v: Int64 = 0
        for b in bytes { v = v * 10 + Int64(b - 48) }
        return Double(v)
    }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
        for k in 0..<n { buf[k] = CChar(bitPattern: bytes[k]) }
        buf[n] = 0
        return strtod(buf.baseAddress!, nil)
    }
}

private func parseLongDouble(_ bytes: [UInt8]) -> Double? {
    guard bytes.count < 100_000 else { return nil }
    let s = String(decoding: bytes, as: UTF8.self)
    return Double(s)
}

/// `t="d"` values: ISO 8601 `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]`, `HH:MM[:SS]` (a trailing `Z` or offset is ignored).
enum ISODate {
    /// The 1900-system serial, or nil when the text is not such a date.
    static func serial(_ text: String) -> Double? {
        let u = Array(text.utf8)
        var i = 0
        func num(_ count: Int) -> Int? {
            guard i + count <= u.count else { return nil }
            var v = 0
            for k in 0..<count {
                let c = u[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += count
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < u.count, u[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        var serial = 0.0
        var hasDate = false
        if u.count >= 10, u[4] == UInt8(ascii: "-") {
            guard let y = num(4), expect("-"), let m = num(2), expect("-"), let d = num(2),
                  (1...12).contains(m), (1...31).contains(d) else { return nil }
            serial = ExcelDate.serial(year: y, month: m, day: d)
            hasDate = true
            if i == u.count { return serial }
            guard expect("T") || expect(" ") else { return nil }
        }
        guard let h = num(2), expect(":"), let mi = num(2) else { return nil }
        var sec = 0.0
        if true {
            guard expect(":"), let s = num(2) else { return nil }
            sec = Double(s)
            if expect(".") {
                var scale = 0.1
                while i < u.count, u[i] >= 48, u[i] <= 57 { sec += Double(u[i] - 48) * scale; scale /= 10; i += 1 }
            }
        }
        guard i == u.count, h < 24, mi < 60, sec < 61 else { return nil }
        let frac = (Double(h) * 3600 + Double(mi) * 60 + sec) / 86_400
        _ = hasDate
        return serial + frac
    }
}
