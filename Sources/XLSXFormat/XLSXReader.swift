import SheetCore
import XMLStream
import ZipArchive

/// Reads an XLSX/XLSM workbook (OPC package): sheet list, then each sheet row by row.
///
/// Finds the workbook through `_rels/.rels` (it may live outside `xl/`), resolves relationship targets
/// (absolute and relative), reads Transitional and Strict OOXML and prefixed elements. Shared strings and
/// cell formats are read once, on the first sheet read. Worksheets are streamed: memory holds the shared
/// strings and one row.
///
/// ```swift
/// let reader = try XLSXReader(path: "附件2.xlsx")
/// for (i, sheet) in reader.sheets.enumerated() where sheet.kind == .worksheet {
///     let merged = try reader.forEachRow(sheet: i) { row in print(row.index, row.cells.count) }
/// }
/// ```
public final class XLSXReader {
    /// Sheets in workbook order (worksheets, chartsheets, dialog sheets, macro sheets); sheets listed without
    /// a relationship to a part are left out.
    public private(set) var sheets: [SheetInfo]
    /// true when the workbook uses the 1904 date system.
    public private(set) var date1904: Bool
    /// The file name used in error locations.
    public var fileName: String { source.fileName }

    let source: PartSource
    let limits: ReadLimits
    let workbookPart: String
    private let sheetParts: [String?]
    private let sharedStringsPart: String?
    private let stylesPart: String?
    private var sharedStrings: [String]?
    /// The cell formats of `styles.xml`, read when the first number needs its format.
    private var formats: LazyCellFormats!
    /// Worksheets at least this large (uncompressed) are inflated on a second thread and pulled by libxml2
    /// (tests lower it to run that path on small files).
    var pipelineThreshold: UInt64 = PipelinedStream.threshold
    /// Zipped worksheets up to this size (uncompressed, as declared; the reader holds the part to it) that are not
    /// pipelined are inflated whole and parsed from memory: what a caller that wants to keep the inflated sheet
    /// passes to `ZipReader.retainParts(upTo:)`.
    public static let wholeSheetLimit: UInt64 = 1 << 20
    /// Small worksheets are scanned by `XMLFastScan` when they lie in its subset of XML (tests turn it off to
    /// compare with libxml2's reading).
    var fastScan = true

    /// Opens the workbook at `path`.
    /// - Throws: `JixiaoError`: `.io`, `.notAWorkbook`, `.encrypted` (OLE container), `.truncated`, `.corrupt`
    ///   (damaged ZIP or XML, missing workbook parts), `.unsafe` (DTD in a part), `.limitExceeded`.
    public convenience init(path: String, limits: ReadLimits = .default) throws {
        try self.init(source: ZipPartSource(ZipReader(path: path, limits: limits)), limits: limits)
    }

    /// Opens a workbook held in memory; `name` is used in error locations.
    public convenience init(bytes: [UInt8], name: String, limits: ReadLimits = .default) throws {
        try self.init(source: ZipPartSource(ZipReader(bytes: bytes, name: name, limits: limits)), limits: limits)
    }

    /// Reads the workbook in an archive the caller has opened (and may go on using: the batch fills the scores
    /// in through the same reader, see `ZipReader.retainParts(upTo:)`).
    public convenience init(zip: ZipReader, limits: ReadLimits = .default) throws {
        try self.init(source: ZipPartSource(zip), limits: limits)
    }

    /// Opens a package given as parts (tests): `["xl/workbook.xml": bytes, ...]`.
    convenience init(parts: [String: [UInt8]], name: String = "test.xlsx", limits: ReadLimits = .default) throws {
        try self.init(source: MemoryPartSource(fileName: name, parts: parts), limits: limits)
    }

    /// What a ZIP that is no workbook is, with what to do (a Word or PowerPoint file, an OpenDocument
    /// spreadsheet, a ZIP of workbooks), from its part names; nil when it may be a workbook.
    static func otherPackageKind(_ source: PartSource, officeDocument: String?) -> String? {
        let main = officeDocument.map { MemoryPartSource.key($0) }
        if main == "word/document.xml" || (main == nil && source.contains("word/document.xml")) {
            return "it is a Word document (.docx) / 这是 Word 文档，不是 Excel 工作簿"
        }
        if main == "ppt/presentation.xml" || (main == nil && source.contains("ppt/presentation.xml")) {
            return "it is a PowerPoint file (.pptx) / 这是 PowerPoint 文件，不是 Excel 工作簿"
        }
        guard main == nil, !source.contains("xl/workbook.xml") else { return nil }
        if source.contains("mimetype") && source.contains("content.xml") {
            return "it is an OpenDocument file (.ods, from LibreOffice or WPS): open it and save it as .xlsx / 这是 ODS 格式，请另存为 .xlsx"
        }
        let inner = source.partNames.filter {
            ["xlsx", "xlsm", "xls", "csv", "et"].contains(PathText.pathExtension($0).lowercased())
        }
        if !inner.isEmpty {
            let shown = inner.prefix(3).map { PathText.lastPathComponent($0) }.joined(separator: ", ")
            return "it is a ZIP archive holding \(inner.count) spreadsheet file\(inner.count == 1 ? "" : "s") (\(shown)\(inner.count > 3 ? ", …" : "")): unpack it first / 这是压缩包，请先解压"
        }
        return nil
    }

    init(source: PartSource, limits: ReadLimits) throws {
        self.source = source
        self.limits = limits
        let file = Location(file: source.fileName)

        // 1. The officeDocument part, from the package relationships (fallbacks: the content types' workbook
        //    override, then xl/workbook.xml).
        var wbPart: String?
        if let rels = try Relationships.read(for: "", from: source, limits: limits) {
            wbPart = rels.first { $0.kind == "officeDocument" && !$0.external && source.contains($0.target) }?.target
        }
        if wbPart == nil, let ct = try ContentTypes.workbookPart(from: source, limits: limits), source.contains(ct) {
            wbPart = ct
        }
        if let other = XLSXReader.otherPackageKind(source, officeDocument: wbPart) {
            throw JixiaoError(.notAWorkbook, "not an XLSX workbook: \(other)", at: file)
        }
        if wbPart == nil {
            if source.contains("xl/workbook.xml") {
                wbPart = "xl/workbook.xml"
            } else if !source.contains("_rels/.rels") {
                throw JixiaoError(.corrupt, "not an XLSX workbook: the package has no _rels/.rels and no xl/workbook.xml",
                                  at: file)
            } else {
                throw JixiaoError(.corrupt, "the package relationships (_rels/.rels) name no workbook part that exists", at: file)
            }
        }
        let workbookPart = wbPart!
        self.workbookPart = workbookPart
        guard let wb = try source.parsedPart(workbookPart, purpose: .workbook, context: "", limits: limits, { wbBytes in
            try WorkbookPart.parse(wbBytes, location: file.with(part: workbookPart), limits: limits)
        }) else {
            throw JixiaoError(.corrupt, "workbook part is missing", at: file.with(part: workbookPart))
        }
        date1904 = wb.date1904

        // 2. The workbook's relationships: sheets, shared strings, styles.
        let relsName = Relationships.relsPart(of: workbookPart)
        let rels = try Relationships.read(for: workbookPart, from: source, limits: limits)
        if rels == nil, !wb.sheets.isEmpty {
            throw JixiaoError(.corrupt, "the workbook's relationships part is missing, so its sheets cannot be found",
                              at: file.with(part: relsName))
        }
        var byId: [String: Relationship] = [:]
        for r in rels ?? [] where byId[r.id] == nil { byId[r.id] = r }
        let folder = Relationships.folder(of: workbookPart)
        // The kind of each relationship, once (not per lookup).
        let kinds = (rels ?? []).map { $0.kind }
        func part(_ kind: String, fallback: String) -> String? {
            if let rels, let i = rels.indices.first(where: { kinds[$0] == kind && !rels[$0].external }),
               source.contains(rels[i].target) { return rels[i].target }
            return source.contains(folder + fallback) ? folder + fallback : nil
        }
        sharedStringsPart = part("sharedStrings", fallback: "sharedStrings.xml")
        stylesPart = part("styles", fallback: "styles.xml")

        var infos: [SheetInfo] = []
        var parts: [String?] = []
        var used = Set<String>()
        for s in wb.sheets {
            let rel = s.rid.flatMap { byId[$0] }
            // A sheet whose relationship is missing (LibreOffice writes `r:id=""` for VBA module sheets) has
            // no part to read: it is left out, as Excel and openpyxl do.
            guard let rel, !rel.external else { continue }
            // A second sheet on a part already listed is left out too: a hostile workbook lists one sheet
            // part thousands of times to multiply the work and memory of reading it.
            guard used.insert(MemoryPartSource.key(rel.target)).inserted else { continue }
            let target: String? = rel.target
            let kind = SheetKind(relationshipKind: rel.kind) ?? target.map { SheetKind(partName: $0) } ?? .worksheet
            infos.append(SheetInfo(name: s.name, kind: kind, visibility: SheetVisibility(state: s.state)))
            parts.append(target)
        }
        sheets = infos
        sheetParts = parts
        let stylesPart = self.stylesPart
        formats = LazyCellFormats { [source, limits] in
            try stylesPart.map { try CellFormats.read(part: $0, from: source, limits: limits) } ?? CellFormats()
        }
    }

    /// The part name of a sheet.
    public func partName(sheet index: Int) -> String? { sheetParts.indices.contains(index) ? sheetParts[index] : nil }

    private func loadSharedStrings() throws -> [String] {
        if let sharedStrings { return sharedStrings }
        let strings = try sharedStringsPart.map { try SharedStrings.read(part: $0, from: source, limits: limits) } ?? []
        sharedStrings = strings
        return strings
    }

    /// Streams the rows of a sheet in document order: each row has cells sorted by column without repeats,
    /// consecutive repeats of a row are merged (later cells win). Chartsheets have no rows.
    /// - Returns: the sheet's merged ranges, sorted by top-left (malformed ones skipped).
    /// - Throws: `JixiaoError` naming file, part, sheet (and cell where known).
    @discardableResult
    public func forEachRow(sheet index: Int, _ body: (Row) throws -> Void) throws -> [CellRange] {
        guard sheets.indices.contains(index) else {
            throw JixiaoError(.invalidValue, "no sheet number \(index + 1): the workbook has \(sheets.count)",
                              at: Location(file: source.fileName))
        }
        let info = sheets[index]
        let location = Location(file: source.fileName, part: sheetParts[index], sheet: info.name)
        guard let part = sheetParts[index] else {
            throw JixiaoError(.corrupt, "the sheet's relationship is missing from the workbook", at: location)
        }
        if info.kind == .chartsheet {
            guard source.contains(part) else {
                throw JixiaoError(.corrupt, "the sheet's part \(part) is missing", at: location)
            }
            return []
        }
        let strings = try loadSharedStrings()
        let ctx = SheetContext(sharedStrings: strings, formats: formats, date1904: date1904, limits: limits, location: location)
        return try withoutActuallyEscaping(body) { body in
            let sheet = SheetParser(context: ctx, emit: body)
            do {
                let zipEntry = (source as? ZipPartSource).flatMap { z in z.zip.entry(named: part).map { (z.zip, $0) } }
                if let (zip, entry) = zipEntry, PipelinedStream.worthIt(entry, threshold: pipelineThreshold) {
                    // A big worksheet: inflated on a second thread, pulled by libxml2 (no push look-ahead).
                    try PipelinedStream.pull(zip, entry) { read in
                        try XMLPushParser.parse(pull: read, delegate: sheet, location: location, limits: limits)
                    }
                } else if let (zip, entry) = zipEntry, entry.uncompressedSize <= XLSXReader.wholeSheetLimit {
                    // A small worksheet, inflated whole.
                    let bytes = try zip.read(entry)
                    if fastScan, XMLFastScan.enabled {
                        // Scanned in one pass (`XMLFastScan.parseOnce`) by a parser that collects its rows, handed
                        // on when the whole sheet was in the scanner's subset of XML; else read by libxml2 below
                        // with the fresh parser (nothing was handed on).
                        var rows: [Row] = []
                        let fast = SheetParser(context: ctx, emit: { rows.append($0) })
                        if try bytes.withUnsafeBytes({ try XMLFastScan.parseOnce($0, delegate: fast, limits: limits) }) {
                            try fast.finish()
                            for row in rows { try body(row) }
                            return fast.merged
                        }
                    }
                    // Pulled by libxml2 from memory (its pull mode costs less than pushing: no look-ahead for the
                    // end of each tag and text).
                    try bytes.withUnsafeBytes { src in
                        try XMLPushParser.parse(memory: src, delegate: sheet, location: location, limits: limits)
                    }
                } else {
                    let parser = XMLPushParser(delegate: sheet, location: location, limits: limits)
                    guard try source.stream(part, { try parser.feed($0) }) else {
                        throw JixiaoError(.corrupt, "the sheet's part \(part) is missing", at: location)
                    }
                    try parser.finish()
                }
                try sheet.finish()
            } catch let f as LazyCellFormats.Failure {
                // styles.xml's own error, located at styles.xml as when it was read before the sheet.
                throw f.error
            } catch let e as JixiaoError {
                throw e.located(location)
            }
            return sheet.merged
        }
    }

    /// Reads a whole sheet into memory: rows sorted by index and unique (repeated rows merged, later cells
    /// win), merged ranges. Limited by `ReadLimits.maxRowsInMemory` / `maxCellsInMemory`.
    public func readGrid(sheet index: Int) throws -> Grid {
        var rows: [Row] = []
        var ordered = true
        var cellCount = 0
        let location = Location(file: source.fileName, part: sheetParts.indices.contains(index) ? sheetParts[index] : nil,
                                sheet: sheets.indices.contains(index) ? sheets[index].name : nil)
        let merged = try forEachRow(sheet: index) { row in
            if let last = rows.last, last.index >= row.index { ordered = false }
            cellCount += row.cells.count
            if rows.count >= limits.maxRowsInMemory {
                throw JixiaoError(.limitExceeded, "the sheet has more than \(limits.maxRowsInMemory) rows to hold in memory (limit maxRowsInMemory) / 行数超过上限",
                                  at: location)
            }
            if cellCount > limits.maxCellsInMemory {
                throw JixiaoError(.limitExceeded, "the sheet has more than \(limits.maxCellsInMemory) cells to hold in memory (limit maxCellsInMemory) / 单元格数超过上限",
                                  at: location)
            }
            rows.append(row)
        }
        if !ordered { rows = XLSXReader.mergeRows(rows) }
        return Grid(info: sheets[index], rows: rows, merged: merged)
    }

    /// Sorts rows by index (stable) and merges repeats: later cells win.
    static func mergeRows(_ rows: [Row]) -> [Row] {
        let order = rows.indices.sorted { rows[$0].index != rows[$1].index ? rows[$0].index < rows[$1].index : $0 < $1 }
        var out: [Row] = []
        for i in order {
            let r = rows[i]
            guard let last = out.last, last.index == r.index else { out.append(r); continue }
            var byCol: [UInt16: Cell] = [:]
            for c in last.cells { byCol[c.col] = c }
            for c in r.cells { byCol[c.col] = c }
            out[out.count - 1].cells = byCol.keys.sorted().map { byCol[$0]! }
        }
        return out
    }

    /// Reads every sheet. The in-memory limits hold for each sheet and for all of them together.
    public func readWorkbook() throws -> Workbook {
        var grids: [Grid] = []
        var rows = 0, cells = 0
        for i in sheets.indices {
            let g = try readGrid(sheet: i)
            rows += g.rows.count
            cells += g.rows.reduce(0) { $0 + $1.cells.count }
            let location = Location(file: source.fileName, part: sheetParts[i], sheet: sheets[i].name)
            if rows > limits.maxRowsInMemory {
                throw JixiaoError(.limitExceeded, "the workbook's sheets have more than \(limits.maxRowsInMemory) rows together to hold in memory (limit maxRowsInMemory) / 行数超过上限",
                                  at: location)
            }
            if cells > limits.maxCellsInMemory {
                throw JixiaoError(.limitExceeded, "the workbook's sheets have more than \(limits.maxCellsInMemory) cells together to hold in memory (limit maxCellsInMemory) / 单元格数超过上限",
                                  at: location)
            }
            grids.append(g)
        }
        return Workbook(file: source.fileName, sheets: grids, date1904: date1904)
    }
}
