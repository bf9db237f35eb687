import Foundation
import SheetCore
import XMLStream
import ZipArchive

/// Writes an XLSX workbook: sheets from grids or streamed row by row, a deduplicated style table, shared or
/// inline strings, merged ranges, column widths, row heights, frozen panes, print setup, hidden sheets.
///
/// Output is deterministic: the same calls give the same bytes (fixed ZIP and document times, parts in a fixed
/// order: the worksheets as added, then `[Content_Types].xml`, `_rels/.rels`, `docProps/app.xml`,
/// `docProps/core.xml`, `xl/workbook.xml`, `xl/_rels/workbook.xml.rels`, `xl/styles.xml`,
/// `xl/sharedStrings.xml`). Worksheets go straight into the ZIP stream, so a sheet of millions of rows is never
/// held in memory (with ``XLSXStringStorage/inline`` strings not even its texts are).
///
/// ```swift
/// let w = XLSXWriter()
/// let bold = w.addStyle(CellStyle(font: .init(bold: true)))
/// try w.addSheet(Grid(name: "附件", values: [[.string("指标"), .number(20)]]))
/// try w.addSheet(SheetInfo(name: "big")) { sheet in
///     for i in 0..<1_000_000 { try sheet.append(values: [.number(Double(i))]) }
/// }
/// let bytes = try w.finish()
/// ```
///
/// After a method throws, the writer is unusable (the partial output is to be discarded).
public final class XLSXWriter {
    public let options: XLSXWriterOptions
    /// Name used in error locations (the output file's name).
    public var displayName: String
    private var zip: ZipWriter
    /// Test hook: when set, parts are collected here instead of zipped.
    var collectedParts: [(name: String, bytes: [UInt8])]?
    private(set) var styles = StyleTable()
    /// Style indices below this are registered (kept apart so the row loop does not touch the table).
    private(set) var styleLimit: UInt32 = 1
    let sharedStrings = SharedStringTable()
    var hasFormulas = false
    private(set) var sheets: [WrittenSheet] = []
    private var inSheet = false
    private var finished = false

    struct WrittenSheet {
        var info: SheetInfo
        var part: String
        var titleRows: ClosedRange<UInt32>?
    }

    /// A writer that builds the workbook in memory; ``finish()`` returns its bytes.
    public init(options: XLSXWriterOptions = XLSXWriterOptions(), displayName: String = "output.xlsx") {
        self.options = options
        self.displayName = displayName
        zip = ZipWriter()
    }

    /// A writer that streams the workbook into an open file (``finish()`` returns `[]`).
    public init(fileHandle: FileHandle, options: XLSXWriterOptions = XLSXWriterOptions(), displayName: String) {
        self.options = options
        self.displayName = displayName
        zip = ZipWriter(fileHandle: fileHandle)
    }

    /// A writer that keeps the parts unzipped (for tests comparing part by part).
    init(collectingPartsWith options: XLSXWriterOptions = XLSXWriterOptions()) {
        self.options = options
        displayName = "output.xlsx"
        zip = ZipWriter()
        collectedParts = []
    }

    private func addPart(_ name: String, _ bytes: [UInt8]) throws {
        if collectedParts != nil { collectedParts!.append((name, bytes)); return }
        try zip.add(name, bytes, compress: options.compressionLevel > 0, level: options.compressionLevel)
    }

    private func addPart(_ name: String, produce: (XMLWriter) throws -> Void) throws {
        if collectedParts != nil {
            let xml = XMLWriter()
            try produce(xml)
            collectedParts!.append((name, xml.finish()))
            return
        }
        let parallel = options.compressInParallel
        try zip.add(name, level: options.compressionLevel) { write in
            if parallel {
                try ParallelPart.run(chunkSize: 256 * 1024, produce: produce, consume: write)
                return
            }
            try withoutActuallyEscaping(write) { write in
                let xml = XMLWriter(chunkSize: 256 * 1024) { bytes in try bytes.withUnsafeBytes { try write($0) } }
                try produce(xml)
                try xml.flush()
            }
        }
    }

    /// Registers a style and returns the index for ``Cell/style``. The same style always gets the same index;
    /// index 0 is ``CellStyle/default``.
    public func addStyle(_ style: CellStyle) -> UInt32 {
        let i = styles.add(style)
        styleLimit = UInt32(styles.count)
        return i
    }

    /// The style for a date value in a cell styled `index` (see ``StyleTable/dateStyle(_:for:)``).
    func dateStyle(_ index: UInt32, for date: ExcelDate) -> UInt32 {
        let i = styles.dateStyle(index, for: date)
        styleLimit = UInt32(styles.count)
        return i
    }

    /// The number of registered styles (cell styles are valid below this).
    public var styleCount: Int { styles.count }

    // MARK: - Sheets

    /// Writes a whole grid as a sheet: its rows, its merged ranges and its visibility.
    ///
    /// - Parameters:
    ///   - grid: cells with values, formulas (cached values kept) and style indices from ``addStyle(_:)``.
    ///   - options: widths, heights, frozen pane, print setup; `dimension` is computed when not given.
    ///   - strings: shared (default) or inline strings.
    /// - Throws: `JixiaoError.invalidValue` for a bad or duplicate sheet name, overlapping merged ranges or a
    ///   cell Excel cannot hold; `.io` when the output cannot be written.
    public func addSheet(_ grid: Grid, options: SheetOptions = SheetOptions(), strings: XLSXStringStorage = .shared) throws {
        var options = options
        if options.dimension == nil, let first = grid.rows.first, let last = grid.rows.last {
            var minCol = UInt16.max, maxCol: UInt16 = 0
            for r in grid.rows {
                if let a = r.cells.first { minCol = min(minCol, a.col) }
                if let b = r.cells.last { maxCol = max(maxCol, b.col) }
            }
            if minCol != UInt16.max {
                options.dimension = CellRange(first: CellRef(row: first.index, col: minCol),
                                              last: CellRef(row: last.index, col: maxCol))
            }
        }
        try addSheet(grid.info, options: options, strings: strings) { sheet in
            for row in grid.rows { try sheet.append(row) }
            for m in grid.merged { sheet.merge(m) }
        }
    }

    /// Streams a sheet: `body` appends rows one at a time (and may add merged ranges); each row goes out as it
    /// comes. Column widths, frozen pane and the like come from `options`, fixed before the first row.
    ///
    /// - Throws: as ``addSheet(_:options:strings:)``, plus whatever `body` throws.
    public func addSheet(_ info: SheetInfo, options: SheetOptions = SheetOptions(), strings: XLSXStringStorage = .inline,
                         _ body: (SheetStream) throws -> Void) throws {
        guard !inSheet, !finished else {
            throw JixiaoError(.usage, "addSheet called while another sheet is being written or after finish()",
                              at: Location(file: displayName))
        }
        try validateName(info.name)
        inSheet = true
        defer { inSheet = false }
        let part = "xl/worksheets/sheet\(sheets.count + 1).xml"
        let selected = info.visibility == .visible && !sheets.contains { $0.info.visibility == .visible }
        sheets.append(WrittenSheet(info: info, part: part, titleRows: options.print?.titleRows))
        let name = displayName
        try addPart(part) { xml in
            let sheet = SheetStream(name: info.name, xml: xml, strings: strings, book: self, options: options)
            defer { sheet.isOpen = false }
            writeWorksheetStart(xml, options: options, selected: selected)
            try body(sheet)
            sheet.finishRows()
            xml.raw("</sheetData>")
            try writeWorksheetEnd(xml, sheet: sheet, options: options, file: name)
        }
    }

    /// Writes the workbook parts and the ZIP directory.
    ///
    /// - Returns: the workbook bytes for an in-memory writer, `[]` for a file writer.
    /// - Throws: `JixiaoError.invalidValue` when there is no sheet or no visible sheet; `.io` on write errors.
    public func finish() throws -> [UInt8] {
        guard !finished else { throw JixiaoError(.usage, "finish() called twice", at: Location(file: displayName)) }
        guard !sheets.isEmpty else {
            throw JixiaoError(.invalidValue, "a workbook needs at least one sheet", at: Location(file: displayName))
        }
        guard sheets.contains(where: { $0.info.visibility == .visible }) else {
            throw JixiaoError(.invalidValue, "a workbook needs at least one visible sheet", at: Location(file: displayName))
        }
        finished = true
        try addPart("[Content_Types].xml", part { contentTypes($0) })
        try addPart("_rels/.rels", part { rootRelationships($0) })
        try addPart("docProps/app.xml", part { appProperties($0) })
        try addPart("docProps/core.xml", part { coreProperties($0) })
        try addPart("xl/workbook.xml", part { workbookPart($0) })
        try addPart("xl/_rels/workbook.xml.rels", part { workbookRelationships($0) })
        try addPart("xl/styles.xml", part { styles.write(to: $0) })
        if hasSharedStrings {
            try addPart("xl/sharedStrings.xml") { try sharedStrings.write(to: $0) }
        }
        if collectedParts != nil { return [] }
        return try zip.finish()
    }

    var hasSharedStrings: Bool { sharedStrings.references > 0 }

    private func part(_ body: (XMLWriter) -> Void) -> [UInt8] {
        let w = XMLWriter()
        body(w)
        return w.finish()
    }

    /// A date's serial in this workbook's date system.
    @inline(__always)
    func serial(_ d: ExcelDate) -> Double {
        if d.epoch1904 == options.date1904 || d.isDuration { return d.serial }
        return options.date1904 ? d.serial - 1462 : d.serial + 1462
    }

    /// Excel's rules: 1–31 characters, none of `[ ] : * ? / \`, not starting or ending with `'`, unique
    /// ignoring case, not `History`.
    private func validateName(_ name: String) throws {
        let loc = Location(file: displayName, sheet: name)
        let n = name.utf16.count
        guard n >= 1, n <= 31 else {
            throw JixiaoError(.invalidValue, "sheet name must have 1 to 31 characters (工作表名称应为1至31个字符)", at: loc)
        }
        if let bad = name.first(where: { "[]:*?/\\".contains($0) }) {
            throw JixiaoError(.invalidValue, "sheet name cannot contain '\(bad)' (工作表名称含有非法字符)", at: loc)
        }
        if name.hasPrefix("'") || name.hasSuffix("'") {
            throw JixiaoError(.invalidValue, "sheet name cannot start or end with an apostrophe", at: loc)
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            throw JixiaoError(.invalidValue, "sheet name cannot contain control characters", at: loc)
        }
        if name.lowercased() == "history" {
            throw JixiaoError(.invalidValue, "Excel reserves the sheet name History", at: loc)
        }
        if sheets.contains(where: { $0.info.name.lowercased() == name.lowercased() }) {
            throw JixiaoError(.invalidValue, "duplicate sheet name (工作表名称重复)", at: loc)
        }
    }
}
