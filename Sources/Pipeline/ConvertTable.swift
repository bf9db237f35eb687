import IndicatorModel
import SheetCore
import XLSXFormat

/// A `Framework` laid out as a styled 附件 table, the way finance bureaus print them: a title row merged across,
/// a header row, one row per leaf indicator with its parents merged down over their leaves, wrapped text, thin
/// borders, columns sized for Chinese text, a 合计 row, the header frozen and repeated on every printed page
/// (A4 landscape, one page wide).
public struct IndicatorTable {
    /// One column of the table.
    public enum Column: Hashable, Sendable {
        case level(Int)
        case weight, score, explanation, criteria, source, target, actual, note

        /// The header text.
        public var header: String {
            switch self {
            case .level(let l): return ["一级指标", "二级指标", "三级指标", "四级指标", "五级指标", "六级指标"][min(max(l, 1), 6) - 1]
            case .weight: return "分值"
            case .score: return "得分"
            case .explanation: return "指标解释"
            case .criteria: return "评分标准"
            case .source: return "数据来源"
            case .target: return "年度指标值"
            case .actual: return "实际完成值"
            case .note: return "偏差原因分析及改进措施"
            }
        }

        var isText: Bool {
            switch self {
            case .explanation, .criteria, .source, .target, .actual, .note: return true
            default: return false
            }
        }
    }

    /// The styles a table uses (indices from the writer it goes to, or all 0 for unstyled output such as CSV).
    public struct Styles: Sendable {
        public var title: UInt32 = 0
        public var subtitle: UInt32 = 0
        public var header: UInt32 = 0
        public var name: UInt32 = 0
        public var text: UInt32 = 0
        public var number: UInt32 = 0
        public var total: UInt32 = 0
        public var totalNumber: UInt32 = 0

        public init() {}

        /// Registers the table styles with a writer.
        public init(registeringWith writer: XLSXWriter) {
            let border = CellStyle.Border.all(.thin)
            title = writer.addStyle(CellStyle(font: .init(name: "黑体", size: 16, bold: true),
                                              alignment: .init(horizontal: .center, vertical: .center, wrap: true)))
            subtitle = writer.addStyle(CellStyle(alignment: .init(horizontal: .left, vertical: .center)))
            header = writer.addStyle(CellStyle(font: .init(bold: true), fill: .solid("D9D9D9"), border: border,
                                               alignment: .init(horizontal: .center, vertical: .center, wrap: true)))
            name = writer.addStyle(CellStyle(border: border, alignment: .init(horizontal: .left, vertical: .center, wrap: true)))
            text = writer.addStyle(CellStyle(border: border, alignment: .init(horizontal: .left, vertical: .center, wrap: true)))
            number = writer.addStyle(CellStyle(border: border, alignment: .init(horizontal: .center, vertical: .center)))
            total = writer.addStyle(CellStyle(font: .init(bold: true), border: border,
                                              alignment: .init(horizontal: .center, vertical: .center, wrap: true)))
            totalNumber = writer.addStyle(CellStyle(font: .init(bold: true), border: border,
                                                    alignment: .init(horizontal: .center, vertical: .center)))
        }
    }

    public var grid: Grid
    public var options: SheetOptions
    public var columns: [Column]
    /// 0-based rows of the header and of the 合计 row.
    public var headerRow: UInt32
    public var totalRow: UInt32

    /// Lays out a framework.
    ///
    /// - Parameters:
    ///   - framework: the normalised table.
    ///   - sheetName: the sheet's name (defaults to the framework's).
    ///   - styles: from ``Styles/init(registeringWith:)``, or `Styles()` for unstyled output.
    public init(_ framework: Framework, sheetName: String? = nil, styles: Styles = Styles()) {
        let nodes = framework.allNodes
        let depth = max(framework.levels, nodes.map(\.level).max() ?? 1, 1)
        columns = IndicatorTable.columns(for: framework, depth: depth)
        let lastCol = UInt16(columns.count - 1)
        let col: [Column: UInt16] = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, UInt16($0)) })
        var g = Grid(info: SheetInfo(name: sheetName ?? (framework.sheet.isEmpty ? "指标体系" : framework.sheet)))
        var merged: [CellRange] = []
        var heights: [UInt32: Double] = [:]

        func put(_ r: UInt32, _ c: UInt16, _ v: CellValue, _ style: UInt32, formula: String? = nil) {
            g.set(CellRef(row: r, col: c), v, formula: formula, style: style)
        }
        /// Styles every cell of a range (so borders show all around a merged area) and merges it.
        func mergeStyled(_ range: CellRange, _ style: UInt32) {
            for r in range.first.row...range.last.row {
                for c in range.first.col...range.last.col where !(r == range.first.row && c == range.first.col) {
                    put(r, c, .empty, style)
                }
            }
            if range.first != range.last { merged.append(range) }
        }

        // Title (and organisation) rows.
        var row: UInt32 = 0
        let title = framework.title.flatMap { $0.isEmpty ? nil : $0 } ?? "绩效评价指标体系"
        put(row, 0, .string(title), styles.title)
        mergeStyled(CellRange(first: CellRef(row: row, col: 0), last: CellRef(row: row, col: lastCol)), styles.title)
        heights[row] = 36
        row += 1
        if let org = framework.organisation, !org.isEmpty {
            put(row, 0, .string("单位：" + org), styles.subtitle)
            mergeStyled(CellRange(first: CellRef(row: row, col: 0), last: CellRef(row: row, col: lastCol)), styles.subtitle)
            row += 1
        }

        // Header.
        headerRow = row
        for (i, c) in columns.enumerated() { put(row, UInt16(i), .string(c.header), styles.header) }
        row += 1

        // Body: a row per leaf; each node at its first leaf's row in its level's column.
        let firstBodyRow = row
        func place(_ node: Indicator, at start: UInt32) -> UInt32 {
            let span = UInt32(max(node.leaves.count, 1))
            let levelCol = col[.level(min(max(node.level, 1), depth))] ?? 0
            // A parent's weight stated in a cell of its own goes into its name (the written table has no such cell).
            let name = node.nameStatingWeight
            put(start, levelCol, .string(name), styles.name)
            var last = CellRef(row: start + span - 1, col: levelCol)
            if node.isLeaf, let deepest = col[.level(depth)], deepest > levelCol { last.col = deepest }
            mergeStyled(CellRange(first: CellRef(row: start, col: levelCol), last: last), styles.name)
            if node.isLeaf {
                for (c, i) in col {
                    let value: CellValue
                    switch c {
                    case .level: continue
                    case .weight: value = (node.weight ?? node.statedWeight).map(CellValue.number) ?? .empty
                    case .score: value = node.score.map(CellValue.number) ?? .empty
                    case .explanation: value = node.explanation.map(CellValue.string) ?? .empty
                    case .criteria: value = node.criteria.map(CellValue.string) ?? .empty
                    case .source: value = node.source.map(CellValue.string) ?? .empty
                    case .target: value = node.target.map(CellValue.string) ?? .empty
                    case .actual: value = node.actual.map(CellValue.string) ?? .empty
                    case .note: value = node.note.map(CellValue.string) ?? .empty
                    }
                    put(start, i, value, c.isText ? styles.text : styles.number)
                }
                return start + 1
            }
            var r = start
            for child in node.children { r = place(child, at: r) }
            return r
        }
        for root in framework.roots { row = place(root, at: row) }
        let lastBodyRow = row - 1
        // Borders everywhere in the body, also where a level is skipped.
        if lastBodyRow >= firstBodyRow {
            for r in firstBodyRow...lastBodyRow {
                for (c, i) in col where g.cell(at: CellRef(row: r, col: i)) == nil {
                    if case .level = c { put(r, i, .empty, styles.name) } else { put(r, i, .empty, c.isText ? styles.text : styles.number) }
                }
            }
        }

        // 合计.
        totalRow = row
        let levelCols = columns.enumerated().filter { if case .level = $0.element { return true } else { return false } }.map { UInt16($0.offset) }
        put(row, levelCols.first ?? 0, .string("合计"), styles.total)
        mergeStyled(CellRange(first: CellRef(row: row, col: levelCols.first ?? 0), last: CellRef(row: row, col: levelCols.last ?? 0)),
                    styles.total)
        let leaves = framework.leaves
        func total(_ c: Column, computed: Double?, stated: Double?) {
            guard let i = col[c] else { return }
            let letters = CellRef.columnName(i)
            let formula = "SUM(\(letters)\(firstBodyRow + 1):\(letters)\(lastBodyRow + 1))"
            if let stated, computed.map({ abs($0 - stated) > 1e-9 }) ?? true {
                // Keep what the table states; `check` reports the difference.
                put(row, i, .number(stated), styles.totalNumber)
            } else if let computed {
                put(row, i, .number(computed), styles.totalNumber, formula: formula)
            } else {
                put(row, i, .empty, styles.totalNumber)
            }
        }
        let weights = leaves.compactMap { $0.weight ?? $0.statedWeight }
        let scores = leaves.compactMap(\.score)
        total(.weight, computed: weights.isEmpty ? nil : weights.reduce(0, +), stated: framework.totals.statedWeight)
        total(.score, computed: scores.isEmpty ? nil : scores.reduce(0, +), stated: framework.totals.statedScore)
        for (c, i) in col where c.isText { put(row, i, .empty, styles.total) }

        g.merged = merged.sorted()
        grid = g
        var widths: [UInt16: Double] = [:]
        for (c, i) in col { widths[i] = IndicatorTable.width(of: c, in: g, column: i, from: headerRow) }
        // Row heights for wrapped text: Excel and WPS do not re-measure rows when they open a file, so each row
        // gets the height its tallest cell needs (merged cells are left out: they have the rows they span).
        let mergedCells = Set(merged.flatMap { m in
            (m.first.row...m.last.row).flatMap { r in (m.first.col...m.last.col).map { CellRef(row: r, col: $0) } }
        })
        for row in g.rows where row.index >= headerRow {
            var lines = 1
            for cell in row.cells {
                guard case .string(let text) = cell.value, !mergedCells.contains(CellRef(row: row.index, col: cell.col)),
                      let w = widths[cell.col] else { continue }
                lines = max(lines, IndicatorTable.lineCount(text, width: w))
            }
            if lines > 1 { heights[row.index] = min(409, Double(lines) * 14.25 + 3) }
        }
        // A merged parent whose name needs more than the rows it spans: the last of them grows.
        for m in merged where m.first.row > headerRow {
            guard case .string(let text) = g[m.first] else { continue }
            let width = (m.first.col...m.last.col).reduce(0.0) { $0 + (widths[$1] ?? 8.43) }
            let needed = Double(IndicatorTable.lineCount(text, width: width)) * 14.25 + 3
            let current = (m.first.row...m.last.row).reduce(0.0) { $0 + (heights[$1] ?? 13.5) }
            if needed > current { heights[m.last.row] = min(409, (heights[m.last.row] ?? 13.5) + needed - current) }
        }
        options = SheetOptions(columnWidths: widths, rowHeights: heights,
                               freeze: CellRef(row: headerRow + 1, col: 0),
                               print: .a4Landscape(titleRows: headerRow...headerRow))
    }

    /// Which columns, in which order: the levels, then the value and text columns that have content, in the
    /// order of the source table when known (a column the source lacks goes where the default order puts it).
    static func columns(for f: Framework, depth: Int) -> [Column] {
        let nodes = f.allNodes
        func has(_ k: KeyPath<Indicator, String?>) -> Bool { nodes.contains { !($0[keyPath: k] ?? "").isEmpty } }
        let defaultOrder: [Column] = [.weight, .score, .explanation, .criteria, .source, .target, .actual, .note]
        let present: [Column] = defaultOrder.filter {
            switch $0 {
            case .weight, .score: return true
            case .explanation: return has(\.explanation)
            case .criteria: return has(\.criteria)
            case .source: return has(\.source)
            case .target: return has(\.target)
            case .actual: return has(\.actual)
            case .note: return has(\.note)
            case .level: return false
            }
        }
        let m = f.columns
        func sourceIndex(_ c: Column) -> UInt16? {
            switch c {
            case .weight: return m.weight
            case .score: return m.score
            case .explanation: return m.explanation
            case .criteria: return m.criteria
            case .source: return m.source
            case .target: return m.target
            case .actual: return m.actual
            case .note: return m.note
            case .level: return nil
            }
        }
        var ordered = present.filter { sourceIndex($0) != nil }.sorted { sourceIndex($0)! < sourceIndex($1)! }
        for c in present where sourceIndex(c) == nil {
            let before = defaultOrder[..<defaultOrder.firstIndex(of: c)!]
            if let anchor = ordered.lastIndex(where: { before.contains($0) }) {
                ordered.insert(c, at: anchor + 1)
            } else {
                ordered.insert(c, at: 0)
            }
        }
        return (1...depth).map { Column.level($0) } + ordered
    }

    /// A column width in Excel character units: the widest line of its cells (CJK characters count 2), plus a
    /// margin, within bounds that keep the table printable (long texts wrap).
    static func width(of c: Column, in g: Grid, column: UInt16, from headerRow: UInt32) -> Double {
        var widest = 0
        for row in g.rows where row.index >= headerRow {
            guard let cell = row.cell(at: column), case .string(let s) = cell.value else {
                if let cell = row.cell(at: column), case .number(let d) = cell.value { widest = max(widest, CellValue.format(d).count) }
                continue
            }
            for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
                widest = max(widest, displayWidth(line))
            }
        }
        let (lo, hi): (Double, Double)
        switch c {
        case .level: (lo, hi) = (10, 28)
        case .weight, .score: (lo, hi) = (6, 10)
        case .target, .actual: (lo, hi) = (10, 20)
        default: (lo, hi) = (12, 48)
        }
        return min(max(Double(widest) + 2, lo), hi)
    }

    /// Lines a text takes when wrapped in a column `width` characters wide (a CJK character counts 2).
    static func lineCount(_ text: String, width: Double) -> Int {
        let room = max(1, Int(width) - 1)
        var lines = 0
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += max(1, (displayWidth(paragraph) + room - 1) / room)
        }
        return lines
    }

    /// Display width: East Asian wide and full-width characters count 2, others 1.
    public static func displayWidth<S: StringProtocol>(_ s: S) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            w += wide ? 2 : 1
        }
        return w
    }
}
