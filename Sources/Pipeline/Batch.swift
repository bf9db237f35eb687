import CSVFormat
import Foundation
import IndicatorModel
import Scoring
import SheetCore
import XLSXFormat

/// `jixiao batch`: each input is read, normalised, scored, validated and written by the same code as the
/// single-file commands (`check`, `score -o`, `convert`).
public enum BatchPipeline {
    /// Runs a whole batch and writes its summary.
    public static func run(_ options: BatchOptions, log: @escaping (String) -> Void = {
        FileHandle.standardError.write(Data(($0 + "\n").utf8))
    }) throws -> BatchReport {
        let measures = try MeasuresLocator(options.measures)
        let runner = BatchRunner(options: options, process: { item, bytes, options in
            try process(item, bytes: bytes, options: options, measures: measures)
        }, writeSummary: { records, path in
            try writeSummary(records, to: path, inputs: [])
        }, log: log)
        return try runner.run()
    }

    /// Processes one input: the scored output in the batch's format, and the summary fields.
    public static func process(_ item: BatchItem, bytes: [UInt8], options: BatchOptions,
                               measures: MeasuresLocator) throws -> BatchResult {
        let input = try loadInput(bytes: bytes, name: item.input, limits: options.limits)
        let wb = input.workbook
        var framework = try ScorePipeline.framework(in: wb)
        framework.file = item.displayPath
        var m = Measures.empty
        let measuresPath = measures.path(for: item)
        if let path = measuresPath {
            m = try ScorePipeline.measures(path: path, limits: options.limits)
        }
        let scored = Scorer.score(framework, measures: m)
        // The JSON extras of the report matter only to the JSON output.
        var report = scored.report(details: options.format == .json)
        if measuresPath == nil {
            // Without measures the table's own scores stand, and the batch must report what `check` reports:
            // "no measured value, not scored" is then no fault of the table (a blank 得分 column is allowed).
            report.findings.removeAll { $0.rule == "unscored" }
        }
        let ext: String
        // Not URL: `URL(fileURLWithPath:)` stats the file to see whether it is a folder.
        let inputExt = PathText.pathExtension(item.input).lowercased()
        let isXLSXInput = InputFormat.xlsxExtensions.contains(inputExt)
        switch options.format {
        case .xlsx: ext = isXLSXInput ? inputExt : "xlsx"
        case .csv: ext = "csv"
        case .json: ext = "json"
        }
        let relative = item.relativeStem + "." + ext
        // Inside the output folder whatever the input's name (no `..`, no absolute path, no links followed).
        let output = try OutputPaths.file(in: options.outDir, relative: item.relativeStem, extension: ext)
        var located = report.framework
        located.file = item.input
        // Outputs are not fsynced one by one: the runner syncs the output file system once at the end.
        var convertOptions = Convert.Options()
        convertOptions.sync = false
        convertOptions.temporaryDirectory = options.temporaryDirectory
        switch options.format {
        case .xlsx where isXLSXInput:
            // The department's own workbook with only the score cells changed.
            // The grid read above serves the fill (it is what FillSource.grid would read again from disk).
            try fillScores(framework: located, findings: report.findings, source: item.input, output: output,
                           formulas: options.formulas, findingsSheet: options.findingsSheet,
                           original: wb.sheets.first { $0.info.name == framework.sheet },
                           compressionLevel: 1,  // thousands of files: deflate level 1 is twice as fast
                           limits: options.limits, sync: false, sourceBytes: bytes, sourceZip: input.zip,
                           temporaryDirectory: options.temporaryDirectory)
        case .xlsx:
            _ = try Convert.write(located, to: output, format: .xlsx, input: item.input, options: convertOptions)
        case .csv:
            _ = try Convert.write(located, to: output, format: .csv, input: item.input, options: convertOptions)
        case .json:
            try AtomicFile.write(Array(report.jsonText().utf8), to: output, inputs: [item.input], sync: false,
                                 temporaryDirectory: options.temporaryDirectory)
        }
        let errors = report.findings.filter { $0.severity == .error }
        let warnings = report.findings.filter { $0.severity == .warning }.count
        return BatchResult(status: errors.isEmpty ? .ok : .findings, output: relative, sheet: framework.sheet,
                           title: framework.title, totalWeight: report.framework.totals.weight,
                           totalScore: report.framework.totals.score, grade: scored.grade?.rawValue,
                           errors: errors.count, warnings: warnings,
                           message: errors.first.map { finding in
                               (finding.location.map { "\($0): " } ?? "") + finding.message
                           })
    }

    /// The summary columns (bilingual headers; the CSV keeps the same order).
    public static let summaryHeader = ["文件 file", "工作表 sheet", "标题 title", "总分值 total weight", "总得分 total score",
                                       "等级 grade", "错误 errors", "警告 warnings", "状态 status", "说明 first error"]

    /// The summary as a grid: a header row and one row per input, sorted by input path.
    public static func summaryGrid(_ records: [BatchRecord]) -> Grid {
        var rows: [[CellValue]] = [summaryHeader.map { .string($0) }]
        for r in records.sorted(by: { $0.input < $1.input }) {
            rows.append([
                .string(r.input), r.sheet.map { .string($0) } ?? .empty, r.title.map { .string($0) } ?? .empty,
                r.totalWeight.map { .number($0) } ?? .empty, r.totalScore.map { .number($0) } ?? .empty,
                r.grade.map { .string($0) } ?? .empty, .number(Double(r.errors)), .number(Double(r.warnings)),
                .string(r.status.rawValue), r.message.map { .string($0) } ?? .empty,
            ])
        }
        return Grid(name: "汇总", values: rows)
    }

    /// Writes the summary (`.xlsx` styled like the 附件 tables, or `.csv` UTF-8 with BOM) atomically. When the
    /// file already holds exactly these bytes it is left alone, so an unchanged rerun writes nothing.
    public static func writeSummary(_ records: [BatchRecord], to path: String, inputs: [String]) throws {
        let grid = summaryGrid(records)
        let bytes: [UInt8]
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv":
            bytes = try CSVWriter(encoding: .utf8BOM).write(grid)
        case "xlsx":
            let w = XLSXWriter(displayName: path)
            let styles = IndicatorTable.Styles(registeringWith: w)
            var styled = grid
            for i in styled.rows.indices {
                for j in styled.rows[i].cells.indices {
                    let isNumber: Bool
                    if case .number = styled.rows[i].cells[j].value { isNumber = true } else { isNumber = false }
                    styled.rows[i].cells[j].style = i == 0 ? styles.header : isNumber ? styles.number : styles.text
                }
            }
            var widths: [UInt16: Double] = [:]
            for (c, h) in summaryHeader.enumerated() {
                var w = Double(IndicatorTable.displayWidth(h))
                for r in grid.rows.dropFirst() { w = max(w, Double(IndicatorTable.displayWidth(r.cell(at: UInt16(c))?.value.text ?? ""))) }
                widths[UInt16(c)] = min(max(w + 2, 8), 60)
            }
            try w.addSheet(styled, options: SheetOptions(columnWidths: widths, freeze: CellRef(row: 1, col: 0),
                                                         print: .a4Landscape(titleRows: 0...0)))
            bytes = try w.finish()
        default:
            throw JixiaoError(.usage, "the summary must end in .xlsx or .csv / 汇总文件扩展名应为 .xlsx 或 .csv", at: Location(file: path))
        }
        if let existing = FileManager.default.contents(atPath: path), existing.elementsEqual(bytes) { return }
        try AtomicFile.write(bytes, to: path, inputs: inputs)
    }
}

/// Finds a department's measures file: `--measures FILE` serves every input; `--measures DIR` is searched for a
/// file named like the input (same relative path or same name, optionally with a `_measures`/`-measures`/
/// `.measures`/`_测量值`/`_指标值`/`_实际值` suffix), `.csv` or `.xlsx`.
public struct MeasuresLocator: Sendable {
    public let single: String?
    /// Lower-cased stems (relative path and bare name) → file.
    let byStem: [String: String]

    public static let suffixes = ["", "_measures", "-measures", ".measures", "_测量值", "_指标值", "_实际值", "_完成值"]

    public init(_ option: String?) throws {
        guard let option else { single = nil; byStem = [:]; return }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: option, isDirectory: &isDir) else {
            throw JixiaoError(.usage, "no such measures file or folder: \(option)")
        }
        if !isDir.boolValue { single = option; byStem = [:]; return }
        single = nil
        var map: [String: String] = [:]
        let root = URL(fileURLWithPath: option).standardizedFileURL.path
        for rel in ((try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? []).sorted() {
            let url = URL(fileURLWithPath: rel)
            guard ["csv", "xlsx"].contains(url.pathExtension.lowercased()),
                  !url.lastPathComponent.hasPrefix("."), !url.lastPathComponent.hasPrefix("~$") else { continue }
            let stemRel = String(rel.dropLast(url.pathExtension.count + 1)).lowercased()
            let stemName = url.deletingPathExtension().lastPathComponent.lowercased()
            for key in [stemRel, stemName] where map[key] == nil { map[key] = root + "/" + rel }
        }
        byStem = map
    }

    public func path(for item: BatchItem) -> String? {
        if let single { return single }
        let rel = item.relativeStem.lowercased()
        let name = URL(fileURLWithPath: item.input).deletingPathExtension().lastPathComponent.lowercased()
        for base in [rel, name] {
            for s in MeasuresLocator.suffixes {
                if let p = byStem[base + s], p != item.input { return p }
            }
        }
        return nil
    }
}

extension InputFormat {
    static let xlsxExtensions: Set<String> = ["xlsx", "xlsm", "xltx", "xltm"]
}
