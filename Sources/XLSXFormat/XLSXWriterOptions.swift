import SheetCore

/// How cell strings are stored.
public enum XLSXStringStorage: String, Sendable, Hashable {
    /// One `xl/sharedStrings.xml` table, cells hold indices: Excel's own choice, smallest files when texts repeat
    /// (indicator tables repeat 产出指标, 效益指标, ...). The table is held in memory until ``XLSXWriter/finish()``.
    case shared
    /// `t="inlineStr"` in the cell: nothing is held, so a sheet of millions of rows streams in constant memory
    /// (what xlsxwriter's `constant_memory` mode does). Read by Excel, LibreOffice, WPS, calamine, openpyxl.
    case inline
}

/// Workbook-wide settings of an ``XLSXWriter``.
public struct XLSXWriterOptions: Sendable, Hashable {
    /// deflate level 0–9 for the parts (1 is about twice as fast as 6 and some 15% larger on sheet XML).
    public var compressionLevel: Int32 = 6
    /// Write serials in the 1904 date system (`<workbookPr date1904="1"/>`). Dates of the other system are
    /// converted.
    public var date1904: Bool = false
    /// `dc:creator` of `docProps/core.xml`.
    public var creator: String = "jixiao"
    /// `dcterms:created` / `dcterms:modified`: fixed so that the same input gives the same bytes.
    public var timestamp: String = "1980-01-01T00:00:00Z"
    /// Build a part's XML on a second thread while this one compresses it (same bytes, less time on two or
    /// more cores). The rows a streaming sheet's closure appends are then produced on that thread.
    public var compressInParallel: Bool = true

    public init(compressionLevel: Int32 = 6, date1904: Bool = false, creator: String = "jixiao",
                timestamp: String = "1980-01-01T00:00:00Z", compressInParallel: Bool = true) {
        self.compressInParallel = compressInParallel
        self.compressionLevel = compressionLevel
        self.date1904 = date1904
        self.creator = creator
        self.timestamp = timestamp
    }
}

/// Print settings of a sheet.
public struct PrintSetup: Sendable, Hashable {
    public enum Orientation: String, Sendable, Hashable { case portrait, landscape }

    public var orientation: Orientation
    /// SpreadsheetML paper size code: 9 = A4, 8 = A3, 1 = Letter.
    public var paperSize: Int
    /// Scale to one page wide (as many pages tall as needed).
    public var fitToWidth: Bool
    /// Rows repeated at the top of each printed page (0-based, inclusive): `_xlnm.Print_Titles`.
    public var titleRows: ClosedRange<UInt32>?
    public var centerHorizontally: Bool
    /// Margins in inches: left, right, top, bottom.
    public var margins: (left: Double, right: Double, top: Double, bottom: Double) {
        get { (marginLeft, marginRight, marginTop, marginBottom) }
        set { (marginLeft, marginRight, marginTop, marginBottom) = newValue }
    }
    var marginLeft = 0.5, marginRight = 0.5, marginTop = 0.75, marginBottom = 0.75

    public init(orientation: Orientation = .landscape, paperSize: Int = 9, fitToWidth: Bool = true,
                titleRows: ClosedRange<UInt32>? = nil, centerHorizontally: Bool = true) {
        self.orientation = orientation
        self.paperSize = paperSize
        self.fitToWidth = fitToWidth
        self.titleRows = titleRows
        self.centerHorizontally = centerHorizontally
    }

    /// A4 landscape, one page wide, the given header rows repeated on each page.
    public static func a4Landscape(titleRows: ClosedRange<UInt32>? = nil) -> PrintSetup {
        PrintSetup(titleRows: titleRows)
    }
}

/// Layout of one written sheet: column widths, row heights, frozen panes, print setup.
public struct SheetOptions: Sendable, Hashable {
    /// Column widths in character units (Excel's `width`), by 0-based column.
    public var columnWidths: [UInt16: Double]
    /// Row heights in points, by 0-based row.
    public var rowHeights: [UInt32: Double]
    /// The top-left cell of the scrolling area: `A3` freezes rows 1–2, `B2` freezes row 1 and column A.
    public var freeze: CellRef?
    public var print: PrintSetup?
    public var showGridLines: Bool
    /// The used range, written as `<dimension>` when known. The Grid API computes it; streaming callers may
    /// pass it (some readers size their buffers from it), or leave it out.
    public var dimension: CellRange?

    public init(columnWidths: [UInt16: Double] = [:], rowHeights: [UInt32: Double] = [:], freeze: CellRef? = nil,
                print: PrintSetup? = nil, showGridLines: Bool = true, dimension: CellRange? = nil) {
        self.columnWidths = columnWidths
        self.rowHeights = rowHeights
        self.freeze = freeze
        self.print = print
        self.showGridLines = showGridLines
        self.dimension = dimension
    }
}
