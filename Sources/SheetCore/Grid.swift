/// One stored cell of a row.
public struct Cell: Hashable, Sendable {
    /// 0-based column.
    public var col: UInt16
    public var value: CellValue
    /// The formula text without the leading `=`, when the cell holds one (value is then its cached result).
    public var formula: String?
    /// Index into the workbook's cell formats (`s` attribute in XLSX; 0 = default).
    public var style: UInt32

    public init(col: UInt16, value: CellValue, formula: String? = nil, style: UInt32 = 0) {
        self.col = col
        self.value = value
        self.formula = formula
        self.style = style
    }
}

/// One row as the streaming readers hand it up: cells sorted by column, no duplicates.
public struct Row: Hashable, Sendable {
    /// 0-based row index.
    public var index: UInt32
    public var cells: [Cell]

    public init(index: UInt32, cells: [Cell] = []) {
        self.index = index
        self.cells = cells
    }

    /// The cell in a column, by binary search.
    public func cell(at col: UInt16) -> Cell? {
        var lo = 0, hi = cells.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cells[mid].col < col { lo = mid + 1 } else { hi = mid }
        }
        return lo < cells.count && cells[lo].col == col ? cells[lo] : nil
    }
}

public enum SheetVisibility: String, Sendable, Hashable {
    case visible
    case hidden
    case veryHidden = "veryhidden"
}

public enum SheetKind: String, Sendable, Hashable {
    case worksheet, chartsheet, dialogsheet, macrosheet
}

/// Name, kind and visibility of a sheet, in workbook order.
public struct SheetInfo: Hashable, Sendable {
    public var name: String
    public var kind: SheetKind
    public var visibility: SheetVisibility

    public init(name: String, kind: SheetKind = .worksheet, visibility: SheetVisibility = .visible) {
        self.name = name
        self.kind = kind
        self.visibility = visibility
    }
}

/// A whole sheet in memory: sparse rows (sorted by index, unique), merged ranges.
/// This is what the indicator normaliser consumes and what the writers take.
public struct Grid: Hashable, Sendable {
    public var info: SheetInfo
    public var rows: [Row]
    /// Merged ranges, sorted by top-left.
    public var merged: [CellRange]

    public init(info: SheetInfo, rows: [Row] = [], merged: [CellRange] = []) {
        self.info = info
        self.rows = rows
        self.merged = merged
    }

    public var name: String { info.name }

    /// Builds a grid from plain values, top-left at A1: `rows[r][c]`. Strings that are empty become empty cells.
    public init(name: String, values: [[CellValue]], merged: [CellRange] = []) {
        var out: [Row] = []
        for (r, vals) in values.enumerated() {
            var cells: [Cell] = []
            for (c, v) in vals.enumerated() where !v.isEmpty {
                cells.append(Cell(col: UInt16(c), value: v))
            }
            if !cells.isEmpty { out.append(Row(index: UInt32(r), cells: cells)) }
        }
        self.init(info: SheetInfo(name: name), rows: out, merged: merged.sorted())
    }

    /// The row with a given index, by binary search.
    public func row(at index: UInt32) -> Row? {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid].index < index { lo = mid + 1 } else { hi = mid }
        }
        return lo < rows.count && rows[lo].index == index ? rows[lo] : nil
    }

    public func cell(at ref: CellRef) -> Cell? { row(at: ref.row)?.cell(at: ref.col) }

    /// The stored value at a cell (`.empty` where nothing is stored). Merges are not applied: see `mergedValue`.
    public subscript(ref: CellRef) -> CellValue { cell(at: ref)?.value ?? .empty }
    public subscript(row: UInt32, col: UInt16) -> CellValue { self[CellRef(row: row, col: col)] }

    /// The merged range that covers a cell, if any.
    public func mergedRange(containing ref: CellRef) -> CellRange? {
        merged.first { $0.contains(ref) }
    }

    /// The value shown at a cell: inside a merged range, the value of its top-left cell.
    public func mergedValue(at ref: CellRef) -> CellValue {
        if let m = mergedRange(containing: ref) { return self[m.first] }
        return self[ref]
    }

    /// Top-left and bottom-right of the cells that hold a non-empty value; nil for an empty sheet.
    public var usedRange: CellRange? {
        var minCol = UInt16.max, maxCol: UInt16 = 0
        var minRow = UInt32.max, maxRow: UInt32 = 0
        for row in rows {
            for c in row.cells where !c.value.isEmpty {
                minCol = min(minCol, c.col); maxCol = max(maxCol, c.col)
                minRow = min(minRow, row.index); maxRow = max(maxRow, row.index)
            }
        }
        guard minRow != UInt32.max else { return nil }
        return CellRange(first: CellRef(row: minRow, col: minCol), last: CellRef(row: maxRow, col: maxCol))
    }

    /// Sets a cell's value (keeping its formula and style unless given), inserting the row or cell as needed.
    public mutating func set(_ ref: CellRef, _ value: CellValue, formula: String?? = nil, style: UInt32? = nil) {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid].index < ref.row { lo = mid + 1 } else { hi = mid }
        }
        if lo == rows.count || rows[lo].index != ref.row {
            rows.insert(Row(index: ref.row), at: lo)
        }
        var cl = 0, ch = rows[lo].cells.count
        while cl < ch {
            let mid = (cl + ch) / 2
            if rows[lo].cells[mid].col < ref.col { cl = mid + 1 } else { ch = mid }
        }
        if cl < rows[lo].cells.count && rows[lo].cells[cl].col == ref.col {
            rows[lo].cells[cl].value = value
            if let f = formula { rows[lo].cells[cl].formula = f }
            if let s = style { rows[lo].cells[cl].style = s }
        } else {
            rows[lo].cells.insert(Cell(col: ref.col, value: value, formula: formula ?? nil, style: style ?? 0), at: cl)
        }
    }
}

/// A workbook in memory: every sheet, in workbook order. Chartsheets are present with no rows.
public struct Workbook: Sendable {
    /// The path or display name of the file it came from (used in error locations).
    public var file: String
    public var sheets: [Grid]
    public var date1904: Bool

    public init(file: String, sheets: [Grid], date1904: Bool = false) {
        self.file = file
        self.sheets = sheets
        self.date1904 = date1904
    }

    public func sheet(named name: String) -> Grid? { sheets.first { $0.info.name == name } }
}
