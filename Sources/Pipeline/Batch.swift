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
    /// Lower-cased relative stems (`城区/教育局_measures`) → file.
    let byRelative: [String: String]
    /// Lower-cased bare stems (`教育局_measures`) → the first file with that name and its folder, relative to
    /// the measures folder (`郊区`, or "" at the top).
    let byName: [String: (path: String, folder: String)]
    /// Lower-cased bare stems → in how many places (sub-folders) a measures file has that name.
    let nameCount: [String: Int]
    /// Lower-cased sub-folders of the measures folder that hold a measures file.
    let folders: Set<String>

    public static let suffixes = ["", "_measures", "-measures", ".measures", "_测量值", "_指标值", "_实际值", "_完成值"]

    public init(_ option: String?) throws {
        guard let option else { single = nil; byRelative = [:]; byName = [:]; nameCount = [:]; folders = []; return }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: option, isDirectory: &isDir) else {
            throw JixiaoError(.usage, "no such measures file or folder: \(option)")
        }
        if !isDir.boolValue { single = option; byRelative = [:]; byName = [:]; nameCount = [:]; folders = []; return }
        single = nil
        var relative: [String: String] = [:], names: [String: (path: String, folder: String)] = [:]
        var counts: [String: Int] = [:]
        var dirs = Set<String>()
        let root = URL(fileURLWithPath: option).standardizedFileURL.path
        for rel in ((try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? []).sorted() {
            let url = URL(fileURLWithPath: rel)
            guard ["csv", "xlsx"].contains(url.pathExtension.lowercased()),
                  !url.lastPathComponent.hasPrefix("."), !url.lastPathComponent.hasPrefix("~$") else { continue }
            let stemRel = String(rel.dropLast(url.pathExtension.count + 1)).lowercased()
            let stemName = url.deletingPathExtension().lastPathComponent.lowercased()
            if relative[stemRel] == nil {
                relative[stemRel] = root + "/" + rel
                counts[stemName, default: 0] += 1
            }
            if names[stemName] == nil { names[stemName] = (root + "/" + rel, MeasuresLocator.folder(of: rel)) }
            let dir = MeasuresLocator.folder(of: stemRel)
            if !dir.isEmpty { dirs.insert(dir) }
        }
        byRelative = relative
        byName = names
        nameCount = counts
        folders = dirs
    }

    /// The measures file of one input: the one at the input's relative path (with or without a suffix); else the
    /// one file anywhere with the input's name, unless several measures files share that name, or the measures
    /// folder has the input's own sub-folder (then only that folder counts), or the file sits in a sub-folder
    /// named like another folder of the inputs (`郊区/教育局.csv` belongs to 郊区's 教育局, never to 城区's).
    public func path(for item: BatchItem) -> String? {
        if let single { return single }
        // No measures folder (or an empty one): nothing to find, and no name to work out (the URL below stats).
        if byRelative.isEmpty && nameCount.isEmpty { return nil }
        let rel = item.relativeStem.lowercased()
        for s in MeasuresLocator.suffixes {
            if let p = byRelative[rel + s], p != item.input { return p }
        }
        let dir = MeasuresLocator.folder(of: rel)
        if !dir.isEmpty && folders.contains(dir) { return nil }
        let name = URL(fileURLWithPath: item.input).deletingPathExtension().lastPathComponent.lowercased()
        for s in MeasuresLocator.suffixes {
            guard let count = nameCount[name + s] else { continue }
            guard count == 1, let (p, folder) = byName[name + s], p != item.input else { return nil }
            if !folder.isEmpty && folder.lowercased() != dir && MeasuresLocator.inputTree(of: item, has: folder) {
                return nil
            }
            return p
        }
        return nil
    }

    /// `a/b/c` → `a/b`, `c` → "" (not `NSString.deletingLastPathComponent`, which traps on some short strings).
    static func folder(of relative: String) -> String {
        guard let slash = relative.lastIndex(of: "/") else { return "" }
        return String(relative[..<slash])
    }

    /// Whether the folder the input was found in (the input's path less its relative stem) has a sub-folder
    /// `folder`: then a measures file in `folder` is that folder's departments'.
    static func inputTree(of item: BatchItem, has folder: String) -> Bool {
        let depth = item.relativeStem.split(separator: "/").count
        var root = item.input
        for _ in 0..<depth { root = PathText.split(root).dir }
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: root + "/" + folder, isDirectory: &isDir) && isDir.boolValue
    }
}

extension InputFormat {
    static let xlsxExtensions: Set<String> = ["xlsx", "xlsm", "xltx", "xltm"]
}
