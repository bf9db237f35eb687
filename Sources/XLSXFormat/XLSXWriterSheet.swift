import SheetCore
import XMLStream

/// The rows of one worksheet being written, pushed one at a time (see ``XLSXWriter/addSheet(_:options:strings:_:)``).
/// Only valid inside the closure that receives it.
public final class SheetStream {
    public let name: String
    let xml: XMLWriter
    let strings: XLSXStringStorage
    unowned let book: XLSXWriter
    private var lastRow: Int64 = -1
    private var nextRowIndex: UInt32 = 0
    private(set) var merged: [CellRange] = []
    private var heights: [(UInt32, Double)]
    private var heightCursor = 0
    private var rowDigits: [UInt8] = []
    var isOpen = true
    private(set) var cellCount = 0

    init(name: String, xml: XMLWriter, strings: XLSXStringStorage, book: XLSXWriter, options: SheetOptions) {
        self.name = name
        self.xml = xml
        self.strings = strings
        self.book = book
        heights = options.rowHeights.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        rowDigits.reserveCapacity(8)
    }

    /// Appends a row. Rows must come in increasing index order; the cells sorted by column, one per column.
    /// A cell's ``Cell/style`` is an index returned by ``XLSXWriter/addStyle(_:)`` (unknown indices fall back to
    /// the default style, so grids read from another workbook can be written as they are).
    ///
    /// - Throws: `JixiaoError.invalidValue` for rows out of order, unsorted cells, a string longer than Excel's
    ///   32,767 characters; `.io` when the output cannot be written.
    public func append(_ row: Row, height: Double? = nil) throws {
        guard isOpen else { throw JixiaoError(.usage, "sheet \(name) is already finished", at: location(nil)) }
        guard Int64(row.index) > lastRow, row.index <= CellRef.maxRow else {
            throw JixiaoError(.invalidValue, "row \(row.index + 1) comes after row \(lastRow + 1) or past Excel's last row",
                              at: location(CellRef(row: row.index, col: 0)))
        }
        lastRow = Int64(row.index)
        nextRowIndex = row.index &+ 1
        writeHeightOnlyRows(below: row.index)
        var h = height
        if heightCursor < heights.count, heights[heightCursor].0 == row.index {
            if h == nil { h = heights[heightCursor].1 }
            heightCursor += 1
        }
        if row.cells.isEmpty && h == nil { return }
        setRowDigits(row.index)
        try xml.withBuffer { b in
            b.raw("<row r=\"")
            b.raw(rowDigits)
            b.byte(UInt8(ascii: "\""))
            if let h { writeHeight(h, &b) }
            b.byte(UInt8(ascii: ">"))
            var lastCol = -1
            for c in row.cells {
                guard Int(c.col) > lastCol, c.col <= CellRef.maxCol else {
                    throw JixiaoError(.invalidValue, "cells of a row must be sorted by column, one per column",
                                      at: location(CellRef(row: row.index, col: c.col)))
                }
                lastCol = Int(c.col)
                try writeCell(c, row: row.index, &b)
            }
            b.raw("</row>")
        }
        try xml.flushIfNeeded()
    }

    /// Appends the next row (the one after the last appended) from plain values, starting at column A.
    public func append(values: [CellValue], style: UInt32 = 0, height: Double? = nil) throws {
        var cells: [Cell] = []
        cells.reserveCapacity(values.count)
        for (i, v) in values.enumerated() where !(v.isEmpty && style == 0) {
            cells.append(Cell(col: UInt16(truncatingIfNeeded: i), value: v, style: style))
        }
        guard values.count <= Int(CellRef.maxCol) + 1 else {
            throw JixiaoError(.invalidValue, "a row has \(values.count) cells; Excel allows 16,384 columns",
                              at: location(CellRef(row: nextRowIndex, col: 0)))
        }
        try append(Row(index: nextRowIndex, cells: cells), height: height)
    }

    /// Merges a range (written after the rows). Single-cell ranges are ignored; overlapping ranges are refused
    /// when the sheet ends.
    public func merge(_ range: CellRange) {
        if range.first != range.last { merged.append(range) }
    }

    /// Ends the sheet data: rows that only have a height.
    func finishRows() {
        writeHeightOnlyRows(below: UInt32.max)
        isOpen = false
    }

    func location(_ cell: CellRef?) -> Location {
        Location(file: book.displayName, sheet: name, cell: cell)
    }

    // MARK: - Cells

    private func writeHeightOnlyRows(below index: UInt32) {
        while heightCursor < heights.count, heights[heightCursor].0 < index {
            let (r, h) = heights[heightCursor]
            heightCursor += 1
            setRowDigits(r)
            xml.withBuffer { b in
                b.raw("<row r=\"")
                b.raw(rowDigits)
                b.byte(UInt8(ascii: "\""))
                writeHeight(h, &b)
                b.raw("/>")
            }
        }
    }

    private func writeHeight(_ h: Double, _ b: inout XMLBuffer) {
        b.attribute("ht", min(max(h, 0), 409))  // Excel: 0…409 points
        b.raw(" customHeight=\"1\"")
    }

    @inline(__always)
    private func setRowDigits(_ index: UInt32) {
        rowDigits.removeAll(keepingCapacity: true)
        var n = index + 1
        repeat {
            rowDigits.append(UInt8(truncatingIfNeeded: 48 + n % 10))
            n /= 10
        } while n > 0
        rowDigits.reverse()
    }

    @inline(__always)
    private func writeRef(_ col: UInt16, _ xml: inout XMLBuffer) {
        let c = Int(col)
        if c < 26 {
            xml.byte(UInt8(truncatingIfNeeded: 65 + c))
        } else if c < 702 {
            xml.byte(UInt8(truncatingIfNeeded: 64 + c / 26))
            xml.byte(UInt8(truncatingIfNeeded: 65 + c % 26))
        } else {
            let d = c - 702
            xml.byte(UInt8(truncatingIfNeeded: 65 + d / 676))
            xml.byte(UInt8(truncatingIfNeeded: 65 + (d / 26) % 26))
            xml.byte(UInt8(truncatingIfNeeded: 65 + d % 26))
        }
        xml.raw(rowDigits)
    }

    private static let errorCodes: Set<String> = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                                                   "#GETTING_DATA"]

    private func writeCell(_ c: Cell, row: UInt32, _ xml: inout XMLBuffer) throws {
        var style = c.style < book.styleLimit ? c.style : 0
        var value = c.value
        // Values SpreadsheetML cannot hold as such.
        switch value {
        case .number(let d) where !d.isFinite:
            value = .error("#NUM!")
        case .error(let e) where !SheetStream.errorCodes.contains(e):
            value = .string(e)
        case .date(let d):
            style = book.dateStyle(style, for: d)
        case .string(let s) where s.utf8.count > 32_767 && s.utf16.count > 32_767:
            throw JixiaoError(.invalidValue, "text of \(s.utf16.count) characters; Excel allows 32,767 in a cell",
                              at: location(CellRef(row: row, col: c.col)))
        default:
            break
        }
        if value.isEmpty && c.formula == nil && style == 0 { return }
        cellCount += 1
        xml.raw("<c r=\"")
        writeRef(c.col, &xml)
        xml.byte(UInt8(ascii: "\""))
        if style != 0 {
            xml.raw(" s=\"")
            xml.integer(Int64(style))
            xml.byte(UInt8(ascii: "\""))
        }
        if let f = c.formula {
            book.hasFormulas = true
            switch value {
            case .string: xml.raw(" t=\"str\"")
            case .bool: xml.raw(" t=\"b\"")
            case .error: xml.raw(" t=\"e\"")
            default: break
            }
            xml.raw("><f>")
            xml.text(f.hasPrefix("=") ? String(f.dropFirst()) : f)
            xml.raw("</f>")
            switch value {
            case .empty: break
            case .string(let s): xml.raw("<v>"); xml.text(s); xml.raw("</v>")
            default: writeV(value, &xml)
            }
            xml.raw("</c>")
            return
        }
        switch value {
        case .empty:
            xml.raw("/>")
        case .string(let s):
            if s.isEmpty { xml.raw("/>"); return }
            switch strings {
            case .shared:
                let i = book.sharedStrings.index(of: s)
                xml.raw(" t=\"s\"><v>")
                xml.integer(Int64(i))
                xml.raw("</v></c>")
            case .inline:
                xml.raw(" t=\"inlineStr\"><is>")
                writeT(s, &xml)
                xml.raw("</is></c>")
            }
        case .number, .date:
            xml.byte(UInt8(ascii: ">"))
            writeV(value, &xml)
            xml.raw("</c>")
        case .bool:
            xml.raw(" t=\"b\">")
            writeV(value, &xml)
            xml.raw("</c>")
        case .error:
            xml.raw(" t=\"e\">")
            writeV(value, &xml)
            xml.raw("</c>")
        }
    }

    private func writeV(_ value: CellValue, _ xml: inout XMLBuffer) {
        xml.raw("<v>")
        switch value {
        case .number(let d): xml.number(d)
        case .date(let d): xml.number(book.serial(d))
        case .bool(let b): xml.byte(b ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        case .error(let e): xml.text(e)
        case .string(let s): xml.text(s)
        case .empty: break
        }
        xml.raw("</v>")
    }
}

/// `<t>text</t>`, with `xml:space="preserve"` when the text starts or ends with white space.
func writeT(_ s: String, _ xml: inout XMLBuffer) {
    if XMLBuffer.needsSpacePreserve(s) {
        xml.raw("<t xml:space=\"preserve\">")
    } else {
        xml.raw("<t>")
    }
    xml.text(s)
    xml.raw("</t>")
}

/// Shared strings in first-use order.
final class SharedStringTable {
    private(set) var strings: [String] = []
    private var index: [String: Int] = [:]
    /// References (the `count` attribute).
    private(set) var references = 0

    func index(of s: String) -> Int {
        references += 1
        if let i = index[s] { return i }
        let i = strings.count
        strings.append(s)
        index[s] = i
        return i
    }

    /// `xl/sharedStrings.xml`.
    func write(to w: XMLWriter) throws {
        w.declaration()
        w.start("sst")
        w.attribute("xmlns", raw: "http://schemas.openxmlformats.org/spreadsheetml/2006/main")
        w.attribute("count", references)
        w.attribute("uniqueCount", strings.count)
        w.endStart()
        for s in strings {
            w.withBuffer { b in
                b.raw("<si>")
                writeT(s, &b)
                b.raw("</si>")
            }
            try w.flushIfNeeded()
        }
        w.close("sst")
    }
}
