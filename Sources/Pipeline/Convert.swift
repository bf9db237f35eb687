import CSVFormat
import Foundation
import IndicatorModel
import Scoring
import SheetCore
import XLSXFormat

/// `jixiao convert IN OUT`: an indicator table in any supported form (XLSX, CSV, the `check --json` object)
/// becomes a styled 附件 workbook, a CSV or the check object; anything that is not an indicator table is copied
/// as it is (a streaming path for large CSV files).
public enum Convert {
    /// Output kinds, from the output file's extension.
    public enum OutputFormat: String, Sendable {
        case xlsx, csv, json

        /// - Throws: `JixiaoError.usage` for an extension other than `.xlsx`, `.csv`, `.json`.
        public static func from(path: String) throws -> OutputFormat {
            switch (path as NSString).pathExtension.lowercased() {
            case "xlsx": return .xlsx
            case "csv": return .csv
            case "json": return .json
            default:
                throw JixiaoError(.usage, "the output must end in .xlsx, .csv or .json / 输出文件扩展名应为 .xlsx、.csv 或 .json",
                                  at: Location(file: path))
            }
        }
    }

    /// What the input is taken as.
    public enum Mode: String, Sendable {
        /// An indicator table when one is found, else the grid as it is.
        case auto
        /// An indicator table, or an error.
        case table
        /// The cells as they are, even when they form an indicator table.
        case grid
    }

    public struct Options: Sendable {
        public var mode: Mode = .auto
        /// The input sheet holding the table (XLSX); nil picks it.
        public var sheet: String?
        /// Encoding of a CSV output.
        public var csvEncoding: CSVEncoding = .utf8BOM
        /// deflate level of an XLSX output; nil: 6 for tables, 1 for large grids (speed).
        public var compressionLevel: Int32?
        public var limits: ReadLimits = .default
        /// Rows per sheet when a long CSV is split over several sheets (Excel's 1,048,576; smaller in tests).
        var rowsPerSheet: UInt32 = CellRef.maxRow + 1
        /// fsync each output (see `AtomicFile.write`); the batch syncs once at the end instead.
        var sync = true
        /// Where temporary outputs go before they are renamed into place (a batch worker's own folder); nil:
        /// beside the output.
        var temporaryDirectory: String?

        public init(mode: Mode = .auto, sheet: String? = nil, csvEncoding: CSVEncoding = .utf8BOM,
                    compressionLevel: Int32? = nil, limits: ReadLimits = .default) {
            self.mode = mode
            self.sheet = sheet
            self.csvEncoding = csvEncoding
            self.compressionLevel = compressionLevel
            self.limits = limits
        }
    }

    /// What was written.
    public struct Result: Sendable {
        /// The framework when the input was an indicator table (nil for a grid copied as it is).
        public var framework: Framework?
        public var sheets: Int
        public var rows: Int
        public var output: String
    }

    /// Converts `input` into `output` (written atomically; never over the input).
    ///
    /// - Throws: `JixiaoError`: `.usage` for an unknown output extension, `.noTable` when a table is required
    ///   (mode `.table`, or a `.json` output) and none is found, `.io` when the output is the input or cannot be
    ///   written, and any read error of the input, located at file!sheet!cell or file:line.
    @discardableResult
    public static func run(input: String, output: String, options: Options = Options()) throws -> Result {
        let format = try OutputFormat.from(path: output)
        let mode = format == .json && options.mode == .auto ? .table : options.mode
        if format == .json && mode == .grid {
            throw JixiaoError(.usage, "a .json output is the check object of an indicator table; --grid cannot write it",
                              at: Location(file: output))
        }
        try AtomicFile.refuseInputs(output: output, inputs: [input])

        // The check object.
        if (input as NSString).pathExtension.lowercased() == "json" {
            guard mode != .grid else {
                throw JixiaoError(.usage, "a .json input is an indicator table; --grid does not apply", at: Location(file: input))
            }
            let f = try FrameworkJSON.read(path: input)
            return try write(f, to: output, format: format, input: input, options: options)
        }

        switch try InputFormat.detect(path: input) {
        case .csv:
            let csvOptions = CSVOptions(limits: options.limits)
            if mode != .grid, let f = try csvFramework(input, csvOptions, required: mode == .table) {
                return try write(f, to: output, format: format, input: input, options: options)
            }
            return try streamCSV(input, csvOptions, to: output, format: format, options: options)
        case .xlsx:
            let reader = try XLSXReader(path: input, limits: options.limits)
            if mode != .grid, mode == .table || xlsxMayHoldTable(reader, sheet: options.sheet) {
                let wb = try loadWorkbook(path: input, limits: options.limits)
                do {
                    // The table as check and score read it: a 项目支出绩效自评表 keeps its 预算执行率 row.
                    let f = try ScorePipeline.framework(in: wb, sheet: options.sheet)
                    return try write(f, to: output, format: format, input: input, options: options)
                } catch let e as JixiaoError where e.kind == .noTable && mode == .auto {
                    // Not an indicator table: copy the cells.
                }
                return try writeGrids(wb, to: output, format: format, input: input, options: options)
            }
            if format == .xlsx, options.sheet == nil {
                do {
                    return try streamXLSX(reader, input: input, to: output, options: options)
                } catch let e as JixiaoError where e.kind == .invalidValue && e.message.hasPrefix("row ") {
                    // Rows out of order in the source: fall back to reading it whole (the reader sorts them).
                }
            }
            return try writeGrids(loadWorkbook(path: input, limits: options.limits), to: output, format: format,
                                  input: input, options: options)
        }
    }

    /// true when the top rows of some worksheet (or of `sheet`) hold an indicator header.
    static func xlsxMayHoldTable(_ reader: XLSXReader, sheet: String?) -> Bool {
        struct Enough: Error {}
        for (i, info) in reader.sheets.enumerated() where info.kind == .worksheet && (sheet == nil || info.name == sheet) {
            var probe: [Row] = []
            do {
                try reader.forEachRow(sheet: i) { row in
                    guard row.index < Normaliser.headerSearchRows + 50 else { throw Enough() }
                    probe.append(row)
                }
            } catch is Enough {
            } catch {
                return true  // let the whole read report it
            }
            if (try? Normaliser.normalise(Grid(info: info, rows: XLSXReaderRows.sorted(probe)), file: reader.fileName)) != nil {
                return true
            }
        }
        return false
    }

    /// Every worksheet of an XLSX copied row by row (values, formulas, merges, visibility; not the styles).
    static func streamXLSX(_ reader: XLSXReader, input: String, to output: String, options: Options) throws -> Result {
        var rows = 0
        var sheets = 0
        try AtomicFile.write(to: output, inputs: [input]) { handle in
            let w = XLSXWriter(fileHandle: handle,
                               options: XLSXWriterOptions(compressionLevel: options.compressionLevel ?? 1, date1904: reader.date1904),
                               displayName: output)
            var anyVisible = reader.sheets.contains { $0.kind == .worksheet && $0.visibility == .visible }
            var used = Set<String>()
            for (i, var info) in reader.sheets.enumerated() where info.kind == .worksheet {
                if !anyVisible { info.visibility = .visible; anyVisible = true }
                info.kind = .worksheet
                info.name = uniqueSheetName(info.name, used: &used)
                try w.addSheet(info, strings: .shared) { sheet in
                    let merged = try reader.forEachRow(sheet: i) { row in
                        var row = row
                        for c in row.cells.indices { row.cells[c].style = 0 }
                        try sheet.append(row)
                        rows += 1
                    }
                    for m in merged { sheet.merge(m) }
                }
                sheets += 1
            }
            if sheets == 0 { try w.addSheet(Grid(name: "Sheet1", values: [])); sheets = 1 }
            _ = try w.finish()
        }
        return Result(framework: nil, sheets: sheets, rows: rows, output: output)
    }

    // MARK: - Tables

    /// The framework of a CSV file, or nil when its first rows hold no indicator header.
    static func csvFramework(_ input: String, _ options: CSVOptions, required: Bool) throws -> Framework? {
        // Probe the top rows first, so that a large plain CSV is not loaded just to find it holds no table.
        var probe: [Row] = []
        struct Enough: Error {}
        do {
            try CSVReader.forEachRow(path: input, options: options) { row in
                guard row.index < Normaliser.headerSearchRows + 50 else { throw Enough() }
                probe.append(row)
            }
        } catch is Enough {}
        let name = CSVReader.sheetName(forFile: input)
        do {
            _ = try Normaliser.normalise(Grid(info: SheetInfo(name: name), rows: probe), file: input)
        } catch let e as JixiaoError where e.kind == .noTable && !required {
            return nil
        }
        let grid = try CSVReader.read(path: input, options: options)
        if SelfEvaluationForm.detect(grid) { return try SelfEvaluationForm.read(grid: grid, file: input) }
        return try Normaliser.normalise(grid, file: input)
    }

    /// Writes a (scored) framework as a new styled 附件 table, CSV or check JSON, chosen by the output's extension.
    @discardableResult
    public static func writeScored(_ f: Framework, to output: String, input: String, options: Options = Options()) throws -> Result {
        try write(f, to: output, format: try OutputFormat.from(path: output), input: input, options: options)
    }

    static func write(_ f: Framework, to output: String, format: OutputFormat, input: String, options: Options) throws -> Result {
        switch format {
        case .xlsx:
            try AtomicFile.write(to: output, inputs: [input], sync: options.sync,
                                 temporaryDirectory: options.temporaryDirectory) { handle in
                let w = XLSXWriter(fileHandle: handle, options: XLSXWriterOptions(compressionLevel: options.compressionLevel ?? 6),
                                   displayName: output)
                let table = IndicatorTable(f, sheetName: tableSheetName(f), styles: IndicatorTable.Styles(registeringWith: w))
                try w.addSheet(table.grid, options: table.options)
                _ = try w.finish()
            }
        case .csv:
            let table = IndicatorTable(f, sheetName: tableSheetName(f))
            // A character the encoding cannot hold is named at its cell of the table being written.
            let bytes = try locatingCSVErrors(at: output) { try CSVWriter(encoding: options.csvEncoding).write(table.grid) }
            try AtomicFile.write(bytes, to: output, inputs: [input], sync: options.sync,
                                 temporaryDirectory: options.temporaryDirectory)
        case .json:
            let report = CheckReport(validating: f)
            try AtomicFile.write(Array(report.jsonText().utf8), to: output, inputs: [input], sync: options.sync,
                                 temporaryDirectory: options.temporaryDirectory)
        }
        return Result(framework: f, sheets: 1, rows: f.leaves.count, output: output)
    }

    // MARK: - Grids as they are

    /// A CSV copied row by row: nothing but the current row is held.
    static func streamCSV(_ input: String, _ csvOptions: CSVOptions, to output: String, format: OutputFormat,
                          options: Options) throws -> Result {
        var rows = 0
        var sheets = 1
        switch format {
        case .xlsx:
            try AtomicFile.write(to: output, inputs: [input]) { handle in
                let w = XLSXWriter(fileHandle: handle, options: XLSXWriterOptions(compressionLevel: options.compressionLevel ?? 1),
                                   displayName: output)
                // A sheet holds 1,048,576 rows: longer files continue on further sheets (名称 (2), ...), each
                // pass reading the file again and skipping the rows already written.
                let perSheet = options.rowsPerSheet
                let base = safeSheetName(CSVReader.sheetName(forFile: input))
                struct SheetFull: Error {}
                var part: UInt32 = 0
                var more = true
                while more {
                    more = false
                    let name = part == 0 ? base : String(base.prefix(24)) + " (\(part + 1))"
                    let first = part * perSheet
                    try w.addSheet(SheetInfo(name: name), strings: .inline) { sheet in
                        do {
                            try CSVReader.forEachRow(path: input, options: csvOptions) { row in
                                guard row.index >= first else { return }
                                guard row.index - first < perSheet else { more = true; throw SheetFull() }
                                var row = row
                                row.index -= first
                                try sheet.append(row)
                                rows += 1
                            }
                        } catch is SheetFull {}
                    }
                    part += 1
                }
                sheets = Int(part)
                _ = try w.finish()
            }
        case .csv:
            var stream = try CSVStreamWriter(CSVWriter(encoding: options.csvEncoding))
            try AtomicFile.write(to: output, inputs: [input]) { handle in
                var buffer = stream.preamble
                try CSVReader.forEachRow(path: input, options: csvOptions) { row in
                    // Blank records were skipped by the reader; the stream writer puts them back as empty lines.
                    // A character the encoding cannot hold is named at the input's cell (rows are the input's).
                    try locatingCSVErrors(at: input) { try stream.append(row, to: &buffer) }
                    rows += 1
                    if buffer.count >= 1 << 20 {
                        try AtomicFile.writeAll(buffer, to: handle, display: output)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                try AtomicFile.writeAll(buffer, to: handle, display: output)
            }
        case .json:
            throw JixiaoError(.noTable, "no indicator table in the input / 输入中没有指标体系表", at: Location(file: input))
        }
        return Result(framework: nil, sheets: sheets, rows: rows, output: output)
    }

    /// Runs a CSV write, filling the file into the location of its errors (the writer names sheet and cell only).
    static func locatingCSVErrors<T>(at file: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as JixiaoError { throw e.located(Location(file: file)) }
    }

    /// Every worksheet of a workbook (in memory) copied as it is (values, formulas, merges, visibility; not the styles).
    static func writeGrids(_ wb: Workbook, to output: String, format: OutputFormat, input: String,
                           options: Options) throws -> Result {
        var grids = wb.sheets.filter { $0.info.kind == .worksheet }
        if let name = options.sheet {
            guard let g = wb.sheet(named: name) else {
                throw JixiaoError(.noTable, "no sheet named “\(name)” / 没有名为“\(name)”的工作表", at: Location(file: input))
            }
            grids = [g]
        }
        let rows = grids.reduce(0) { $0 + $1.rows.count }
        switch format {
        case .xlsx:
            try AtomicFile.write(to: output, inputs: [input]) { handle in
                let level = options.compressionLevel ?? (rows > 100_000 ? 1 : 6)
                let w = XLSXWriter(fileHandle: handle, options: XLSXWriterOptions(compressionLevel: level, date1904: wb.date1904),
                                   displayName: output)
                var anyVisible = grids.contains { $0.info.visibility == .visible }
                var used = Set<String>()
                for var g in grids {
                    if !anyVisible { g.info.visibility = .visible; anyVisible = true }
                    g.info.name = uniqueSheetName(g.info.name, used: &used)
                    // Style indices of the input mean nothing here.
                    for r in g.rows.indices { for c in g.rows[r].cells.indices { g.rows[r].cells[c].style = 0 } }
                    try w.addSheet(g)
                }
                if grids.isEmpty { try w.addSheet(Grid(name: "Sheet1", values: [])) }
                _ = try w.finish()
            }
        case .csv:
            let g = grids.first ?? Grid(name: "Sheet1", values: [])
            // Cells are the input's: a character the encoding cannot hold is named at the input's sheet and cell.
            try AtomicFile.write(try locatingCSVErrors(at: input) { try CSVWriter(encoding: options.csvEncoding).write(g) },
                                 to: output, inputs: [input])
        case .json:
            throw JixiaoError(.noTable, "no indicator table in the input / 输入中没有指标体系表", at: Location(file: input))
        }
        return Result(framework: nil, sheets: format == .xlsx ? max(grids.count, 1) : 1, rows: rows, output: output)
    }

    static func tableSheetName(_ f: Framework) -> String {
        safeSheetName(f.sheet.isEmpty ? "指标体系" : f.sheet)
    }

    /// A valid sheet name from a file name: forbidden characters replaced, 31 characters at most.
    static func safeSheetName(_ s: String) -> String {
        var out = String(s.map { "[]:*?/\\".contains($0) || $0.unicodeScalars.contains { $0.value < 0x20 } ? "_" : $0 })
        while out.hasPrefix("'") { out.removeFirst() }
        while out.hasSuffix("'") { out.removeLast() }
        while out.utf16.count > 31 { out.removeLast() }
        if out.isEmpty || out.lowercased() == "history" { out = "Sheet1" }
        return out
    }

    /// A source sheet's name made valid for Excel (other writers, LibreOffice among them, allow names longer
    /// than 31 characters, and some allow `/` or control characters) and unique ignoring case: `名称 (2)`.
    static func uniqueSheetName(_ name: String, used: inout Set<String>) -> String {
        let base = safeSheetName(name)
        var out = base
        var n = 2
        while used.contains(out.lowercased()) {
            let suffix = " (\(n))"
            var stem = base
            while stem.utf16.count + suffix.utf16.count > 31 { stem.removeLast() }
            out = stem + suffix
            n += 1
        }
        used.insert(out.lowercased())
        return out
    }
}

/// Rows in index order with repeats merged (later cells win), as `XLSXReader.readGrid` does.
enum XLSXReaderRows {
    static func sorted(_ rows: [Row]) -> [Row] {
        var ordered = true
        for i in rows.indices.dropFirst() where rows[i - 1].index >= rows[i].index { ordered = false; break }
        if ordered { return rows }
        var byIndex: [UInt32: [UInt16: Cell]] = [:]
        for r in rows { for c in r.cells { byIndex[r.index, default: [:]][c.col] = c } }
        return byIndex.keys.sorted().map { i in Row(index: i, cells: byIndex[i]!.keys.sorted().map { byIndex[i]![$0]! }) }
    }
}
