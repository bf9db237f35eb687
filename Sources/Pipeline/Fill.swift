import Foundation
import IndicatorModel
import SheetCore
import XLSXFormat
import ZipArchive

/// Fills the scores of a framework into a copy of the department's own workbook: only the score cells
/// change (see `XLSXFill`). Leaves get their scores, parents that have a score cell their rolled-up score, and
/// the 合计 row's score cell the total, written in the form the cell had ("99分" stays text with the new
/// number, a number stays a number).
///
/// - Parameters:
///   - framework: the scored, rolled-up framework (`RollUp.apply`); its `file` and `sheet` name the table.
///   - findings: written to a 校验结果 sheet when `findingsSheet` is true, with links to their cells.
///   - source: the workbook the framework was read from (XLSX); never modified.
///   - output: the filled copy; written atomically; must not be `source`.
///   - formulas: parents and the total as live `SUM` formulas (with cached values) instead of numbers.
///   - findingsSheet: add the 校验结果 sheet.
///   - original: the grid of the table's sheet as read, when the caller has it (else it is read again, to
///     see the form of the 合计 cell).
///   - compressionLevel: deflate level of the rewritten parts (the batch uses 1: twice as fast, a little larger).
///   - sync: fsync the output (see `AtomicFile.write`); the batch syncs once at the end instead.
///   - sourceBytes: the source's bytes when the caller has them (the batch): the file is then not read again.
///   - sourceZip: the archive reader the caller read `original` through (the batch, see `loadInput`): the fill
///     goes through it and finds the parts it kept.
///   - temporaryDirectory: where the temporary output goes before it is renamed into place (see
///     `AtomicFile.write`); nil: beside the output.
/// - Returns: what was rewritten.
/// - Throws: `JixiaoError` — `.io` when output is the source (or a link to it), `.unsupported` for a CSV source, and the
///   reader's and `XLSXFill`'s errors.
@discardableResult
public func fillScores(framework: Framework, findings: [Finding], source: String, output: String,
                       formulas: Bool, findingsSheet: Bool, original: Grid? = nil,
                       compressionLevel: Int32 = 6, limits: ReadLimits = .default, sync: Bool = true,
                       sourceBytes: [UInt8]? = nil, sourceZip: ZipReader? = nil,
                       temporaryDirectory: String? = nil) throws -> FillReport {
    if let sourceBytes {
        try FillSource.requireXLSX(head: sourceBytes, path: source)
    } else {
        try FillSource.requireXLSX(source)
    }
    try AtomicFile.refuseInputs(output: output, inputs: [source])
    let grid = try original ?? FillSource.grid(path: source, sheet: framework.sheet)
    let updates = ScoreFill.updates(framework: framework, original: grid, formulas: formulas)
    var options = FillOptions(limits: limits)
    options.compressionLevel = compressionLevel
    if findingsSheet {
        options.newSheet = ScoreFill.findingsSheet(findings, framework: framework)
    }
    let prepared: XLSXFill.Prepared
    if let sourceZip {
        prepared = try XLSXFill.prepare(zip: sourceZip, name: source, updates: [framework.sheet: updates], options: options)
    } else if let sourceBytes {
        prepared = try XLSXFill.prepare(bytes: sourceBytes, name: source, updates: [framework.sheet: updates], options: options)
    } else {
        prepared = try XLSXFill.prepare(source: source, updates: [framework.sheet: updates], options: options)
    }
    // The output was checked against the source above.
    try AtomicFile.write(to: output, inputs: [], sync: sync, temporaryDirectory: temporaryDirectory) { handle in
        try prepared.write(to: handle)
    }
    return prepared.report
}

/// The cell updates and the findings sheet of a score fill (pure; tested on golden grids).
public enum ScoreFill {
    /// The tab name of the findings sheet.
    public static let findingsSheetName = "校验结果"

    /// Updates for the leaves' score cells, the parents' (where the table has them) and the 合计 cell.
    /// Leaves without a score are left alone, and so is every cell of `original` that already holds the value
    /// it would get (see `isUnchanged`). With `formulas`, parents and the total become `SUM`s over the
    /// cells below them, with the computed values cached.
    public static func updates(framework: Framework, original: Grid?, formulas: Bool) -> [CellUpdate] {
        // The tree is walked in place (no `leaves`/`parents` arrays of copied indicators), and the updates are
        // collected in assignment order (a later one for the same cell wins, as in a dictionary).
        var list: [CellUpdate] = []
        list.reserveCapacity(64)
        framework.roots.withUnsafeBufferPointer { roots in
            for i in roots.indices { collectLeaves(roots.baseAddress! + i, into: &list) }
        }
        let leafCells = list.map(\.ref).sorted()
        framework.roots.withUnsafeBufferPointer { roots in
            for i in roots.indices {
                collectParents(roots.baseAddress! + i, leafCells: leafCells, scoreColumn: framework.columns.score,
                               formulas: formulas, into: &list)
            }
        }
        if let cell = totalScoreCell(framework, original), !list.contains(where: { $0.ref == cell }),
           let total = framework.totals.score, total.isFinite {
            var sum: String?
            if formulas {
                let below = framework.leaves.compactMap(\.scoreCell).filter { $0 != cell }
                sum = below.isEmpty ? nil : sumFormula(below)
            }
            // The form to keep: the cell's own text ("99分"), or for an empty cell the weight total's ("100分").
            var old = original?.cell(at: cell)?.value ?? .empty
            if old.isEmpty, let w = framework.totals.statedWeightCell ?? framework.columns.weight.map({ CellRef(row: cell.row, col: $0) }),
               w.row == cell.row {
                old = original?.cell(at: w)?.value ?? .empty
            }
            if case .string(let text) = old, let (prefix, suffix) = numberAffixes(text) {
                let value = CellValue.string(prefix + numberText(total) + suffix)
                // Text stays text: ROUND(SUM(…),2)&"分" gives the same "NN分" when a leaf is edited.
                let formula = sum.map { [quoted(prefix), "ROUND(\($0),2)", quoted(suffix)].filter { !$0.isEmpty }.joined(separator: "&") }
                list.append(CellUpdate(ref: cell, value: value, formula: formula))
            } else {
                list.append(CellUpdate(ref: cell, value: .number(tidy(total)), formula: sum))
            }
        }
        // By cell; of several updates of one cell the last assigned.
        let order = list.indices.sorted { list[$0].ref != list[$1].ref ? list[$0].ref < list[$1].ref : $0 < $1 }
        var result: [CellUpdate] = []
        result.reserveCapacity(order.count)
        for (k, i) in order.enumerated() where k + 1 == order.count || list[order[k + 1]].ref != list[i].ref {
            if let original, isUnchanged(list[i], in: original) { continue }
            result.append(list[i])
        }
        return result
    }

    /// Whether a cell already holds what an update would write: the same value (for a formula cell, the same
    /// cached value) and no new formula. Such a cell is left alone, byte for byte: a table whose scores are
    /// already right comes back with its sheet untouched, and a rewrite never changes how a cell that keeps its
    /// value is stored (`t="n"`, a shared string, a number written as `2.0`).
    static func isUnchanged(_ update: CellUpdate, in original: Grid) -> Bool {
        guard update.formula == nil else { return false }
        // The cell is found by binary search over the rows and the row's cells, and compared where it is (no
        // copy of the row or the cell, whose value and formula would be retained and released).
        let ref = update.ref
        return original.rows.withUnsafeBufferPointer { rows -> Bool in
            var lo = 0, hi = rows.count
            while lo < hi {
                let mid = (lo &+ hi) &>> 1
                if rows[mid].index < ref.row { lo = mid + 1 } else { hi = mid }
            }
            guard lo < rows.count, rows[lo].index == ref.row else { return false }
            return rows[lo].cells.withUnsafeBufferPointer { cells -> Bool in
                var lo = 0, hi = cells.count
                while lo < hi {
                    let mid = (lo &+ hi) &>> 1
                    if cells[mid].col < ref.col { lo = mid + 1 } else { hi = mid }
                }
                guard lo < cells.count, cells[lo].col == ref.col else { return false }
                switch (cells[lo].value, update.value) {
                case (.number(let a), .number(let b)): return a == b
                case (.string(let a), .string(let b)): return a == b
                default: return false
                }
            }
        }
    }

    /// The leaves' updates, depth-first. The nodes are reached through pointers: an `Indicator` has some twenty
    /// fields, and passing one by value copies (retains) them all.
    static func collectLeaves(_ node: UnsafePointer<Indicator>, into list: inout [CellUpdate]) {
        if node.pointee.children.isEmpty {
            guard let cell = node.pointee.scoreCell, let score = node.pointee.score, score.isFinite else { return }
            list.append(CellUpdate(ref: cell, value: .number(tidy(score))))
            return
        }
        node.pointee.children.withUnsafeBufferPointer { children in
            for i in children.indices { collectLeaves(children.baseAddress! + i, into: &list) }
        }
    }

    /// The parents' updates, each before its children (the order of `Framework.parents`); not for a cell that
    /// a leaf writes (`leafCells` sorted).
    static func collectParents(_ node: UnsafePointer<Indicator>, leafCells: [CellRef], scoreColumn: UInt16?, formulas: Bool,
                               into list: inout [CellUpdate]) {
        guard !node.pointee.children.isEmpty else { return }
        if let cell = scoreCell(of: node.pointee, scoreColumn: scoreColumn), !contains(leafCells, cell),
           let score = node.pointee.score, score.isFinite {
            var formula: String?
            if formulas {
                let below = node.pointee.children.flatMap { scoreCells($0, scoreColumn: scoreColumn) }.filter { $0 != cell }
                formula = below.isEmpty ? nil : sumFormula(below)
            }
            list.append(CellUpdate(ref: cell, value: .number(tidy(score)), formula: formula))
        }
        node.pointee.children.withUnsafeBufferPointer { children in
            for i in children.indices {
                collectParents(children.baseAddress! + i, leafCells: leafCells, scoreColumn: scoreColumn, formulas: formulas,
                               into: &list)
            }
        }
    }

    /// Binary search in sorted cells.
    static func contains(_ sorted: [CellRef], _ cell: CellRef) -> Bool {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < cell { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == cell
    }

    /// The 合计 row's score cell: where the table states a total score, else the 得分 column of the 合计 row
    /// (an empty cell in a blank table). Nil when that cell is hidden inside a merged range.
    static func totalScoreCell(_ framework: Framework, _ original: Grid?) -> CellRef? {
        var cell = framework.totals.statedScoreCell
        if cell == nil, let row = framework.totals.row, let col = framework.columns.score {
            cell = CellRef(row: row, col: col)
        }
        guard let cell else { return nil }
        if let m = original?.mergedRange(containing: cell), m.first != cell { return nil }
        return cell
    }

    /// The 校验结果 sheet: one row per finding (级别, 规则, 指标, 单元格, 说明), the cell linked to the table,
    /// then the total and grade.
    public static func findingsSheet(_ findings: [Finding], framework: Framework) -> FillNewSheet {
        var rows: [[CellValue]] = [[.string("级别"), .string("规则"), .string("指标"), .string("单元格"), .string("说明")]]
        var links: [FillLink] = []
        let sorted = findings.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity < b.element.severity : a.offset < b.offset
        }.map(\.element)
        for f in sorted {
            var cellText = ""
            if let cell = f.location?.cell {
                let sheet = f.location?.sheet ?? framework.sheet
                cellText = sheet + "!" + cell.a1
                links.append(FillLink(ref: CellRef(row: UInt32(rows.count), col: 3),
                                      location: FillLink.location(sheet: sheet, cell: cell),
                                      tooltip: "转到 " + cellText))
            } else if let line = f.location?.line {
                cellText = "第\(line)行"
            }
            rows.append([.string(severityText(f.severity)), .string(f.rule), .string(f.code ?? ""),
                         .string(cellText), .string(f.message)])
        }
        if findings.isEmpty {
            rows.append([.string("提示"), .string(""), .string(""), .string(""), .string("未发现问题 / no findings")])
        }
        rows.append([])
        if let total = framework.totals.score {
            var summary: [CellValue] = [.string("总分"), .number(tidy(total))]
            if let grade = framework.grade() { summary += [.string("等级"), .string(grade.rawValue)] }
            rows.append(summary)
        }
        return FillNewSheet(name: findingsSheetName, rows: rows, links: links, columnWidths: [8, 22, 10, 14, 70])
    }

    static func severityText(_ s: Finding.Severity) -> String {
        switch s {
        case .error: return "错误"
        case .warning: return "警告"
        case .info: return "提示"
        }
    }

    /// The score cells that a parent's sum covers: each child's own cell, or its children's where it has none.
    static func scoreCells(_ node: Indicator, scoreColumn: UInt16? = nil) -> [CellRef] {
        if let c = scoreCell(of: node, scoreColumn: scoreColumn) { return [c] }
        return node.children.flatMap { scoreCells($0, scoreColumn: scoreColumn) }
    }

    /// Where a node's score goes: its score cell; for a parent on a row of its own (outline style: `一级 A 投入
    /// (20分)` above its children, its 分值 in that row, which the normaliser records as its weight cell), the
    /// score column of that row.
    static func scoreCell(of node: Indicator, scoreColumn: UInt16?) -> CellRef? {
        if let c = node.scoreCell { return c }
        guard !node.children.isEmpty, let w = node.weightCell, let col = scoreColumn else { return nil }
        return CellRef(row: w.row, col: col)
    }

    /// `SUM(F3:F7,F9,H2:H3)`: runs of consecutive rows in one column become ranges; more than 255
    /// arguments are split into nested sums.
    static func sumFormula(_ cells: [CellRef]) -> String {
        let sorted = Array(Set(cells)).sorted { $0.col != $1.col ? $0.col < $1.col : $0.row < $1.row }
        var args: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1].col == sorted[i].col, sorted[j + 1].row == sorted[j].row + 1 { j += 1 }
            args.append(j == i ? sorted[i].a1 : "\(sorted[i].a1):\(sorted[j].a1)")
            i = j + 1
        }
        while args.count > 255 {
            args = stride(from: 0, to: args.count, by: 255).map { "SUM(" + args[$0..<min($0 + 255, args.count)].joined(separator: ",") + ")" }
        }
        return "SUM(" + args.joined(separator: ",") + ")"
    }

    /// Text before and after the one number in `text` ("99分" → ("", "分"), "合计：98.5 分" → ("合计：", " 分"));
    /// nil when there is no number or more than one.
    static func numberAffixes(_ text: String) -> (String, String)? {
        let chars = Array(text)
        var runs: [(Int, Int)] = []
        var i = 0
        while i < chars.count {
            if chars[i].isASCII, chars[i].isNumber {
                var j = i
                while j + 1 < chars.count, (chars[j + 1].isASCII && chars[j + 1].isNumber)
                        || (chars[j + 1] == "." && j + 2 < chars.count && chars[j + 2].isASCII && chars[j + 2].isNumber) {
                    j += 1
                }
                runs.append((i, j))
                i = j + 1
            } else {
                i += 1
            }
        }
        guard runs.count == 1, let (a, b) = runs.first else { return nil }
        return (String(chars[..<a]), String(chars[(b + 1)...]))
    }

    /// `"前缀"&` / `&"分"` pieces of a text formula; empty for empty text.
    static func quoted(_ s: String) -> String {
        guard !s.isEmpty else { return "" }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Scores rounded to 6 decimals (sums of tenths otherwise show 0.30000000000000004).
    static func tidy(_ d: Double) -> Double {
        (d * 1_000_000).rounded() / 1_000_000
    }

    /// At most two decimals, no trailing zeros: 99 → "99", 87.5 → "87.5", 86.666… → "86.67".
    static func numberText(_ d: Double) -> String {
        let r = (d * 100).rounded() / 100
        return CellValue.format(r)
    }
}

/// Reads the table's sheet again (only when the caller did not pass it).
public enum FillSource {
    /// Fill works on XLSX only: a CSV table has no cells to keep.
    /// - Throws: `.unsupported` for CSV; the format detector's errors (`.io`, `.encrypted`, `.notAWorkbook`).
    public static func requireXLSX(_ path: String) throws {
        try requireXLSX(detected: InputFormat.detect(path: path), path: path)
    }

    /// `requireXLSX(_:)` for a file whose bytes the caller holds.
    public static func requireXLSX(head bytes: [UInt8], path: String) throws {
        try requireXLSX(detected: InputFormat.detect(head: Array(bytes.prefix(8)), path: path), path: path)
    }

    static func requireXLSX(detected: InputFormat, path: String) throws {
        if detected == .csv {
            throw JixiaoError(.unsupported,
                              "scores can be filled back only into an XLSX workbook; a CSV table can be scored but not filled / CSV 文件无法回填得分，请使用 XLSX 工作簿",
                              at: Location(file: path))
        }
    }

    static func grid(path: String, sheet: String) throws -> Grid {
        let reader = try XLSXReader(path: path)
        guard let index = reader.sheets.firstIndex(where: { $0.name == sheet }) else {
            throw JixiaoError(.invalidValue, "the workbook has no sheet \"\(sheet)\"", at: Location(file: reader.fileName))
        }
        return try reader.readGrid(sheet: index)
    }
}
