import SheetCore

/// One cell to change in a template fill.
///
/// The cell keeps its style (`s`) and every other attribute; only its value (and, when `formula` is given,
/// its formula) changes. A cell that holds a formula and gets an update without one keeps the formula, with
/// `value` as its new cached result.
public struct CellUpdate: Hashable, Sendable {
    public var ref: CellRef
    public var value: CellValue
    /// Formula text without the leading `=` (e.g. `SUM(F3:F34)`); `value` is then its cached result.
    public var formula: String?

    public init(ref: CellRef, value: CellValue, formula: String? = nil) {
        self.ref = ref
        self.value = value
        self.formula = formula
    }
}

/// A worksheet the filler appends to the workbook (the 校验结果 findings sheet).
public struct FillNewSheet: Hashable, Sendable {
    /// The tab name. When the workbook already has a worksheet of this name, that sheet's content is
    /// replaced (so filling a filled workbook again does not pile up copies).
    public var name: String
    /// Rows from A1 down; strings go in as inline strings.
    public var rows: [[CellValue]]
    /// Internal hyperlinks: the cell that carries the link and its target, e.g. `'附件2'!F23`.
    public var links: [FillLink]
    /// Column widths in characters, from column A (optional).
    public var columnWidths: [Double]

    public init(name: String, rows: [[CellValue]], links: [FillLink] = [], columnWidths: [Double] = []) {
        self.name = name
        self.rows = rows
        self.links = links
        self.columnWidths = columnWidths
    }
}

/// An internal hyperlink from a cell of a new sheet to a place in the workbook.
public struct FillLink: Hashable, Sendable {
    public var ref: CellRef
    /// The target as Excel writes it in `location`: `'附件2'!F23`.
    public var location: String
    public var tooltip: String?

    public init(ref: CellRef, location: String, tooltip: String? = nil) {
        self.ref = ref
        self.location = location
        self.tooltip = tooltip
    }

    /// `'附件2'!F23` for a sheet name and cell (quotes doubled inside the name).
    public static func location(sheet: String, cell: CellRef) -> String {
        var quoted = "'"
        for ch in sheet {
            quoted.append(ch)
            if ch == "'" { quoted.append("'") }
        }
        return quoted + "'!" + cell.a1
    }
}

/// Options of a template fill.
public struct FillOptions: Sendable {
    /// A sheet to add (or replace) after the existing ones.
    public var newSheet: FillNewSheet?
    /// Limits for reading the source package.
    public var limits: ReadLimits
    /// zlib level for the parts that are rewritten (copied parts keep their original compressed bytes).
    public var compressionLevel: Int32

    public init(newSheet: FillNewSheet? = nil, limits: ReadLimits = .default, compressionLevel: Int32 = 6) {
        self.newSheet = newSheet
        self.limits = limits
        self.compressionLevel = compressionLevel
    }
}

/// What a fill changed, for reports and tests.
public struct FillReport: Sendable, Hashable {
    /// Package parts rewritten (worksheets with updates, and the workbook parts patched for a new sheet or a
    /// dropped calculation chain).
    public var rewrittenParts: [String] = []
    /// Parts added (the new sheet).
    public var addedParts: [String] = []
    /// Parts dropped (`xl/calcChain.xml` when a formula cell changed).
    public var droppedParts: [String] = []
    /// Cells written (replaced or inserted).
    public var cellsWritten: Int = 0
    /// Cells that did not exist and were inserted.
    public var cellsInserted: Int = 0

    public init() {}
}
