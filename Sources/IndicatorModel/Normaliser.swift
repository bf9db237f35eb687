import SheetCore

/// Turns a sheet that holds a 绩效评价指标体系 table into a `Framework`.
///
/// It finds the header row (title and note rows above it, empty margin columns and a cover sheet are fine),
/// reads the hierarchy from merged cells, from blank cells that continue their parent, or from parents
/// repeated on every row, reads codes and weights out of names, stops at the 合计 row and reads the stated
/// totals from it, then rolls weights and scores up (`RollUp`).
///
/// ```swift
/// let framework = try Normaliser.frameworks(in: workbook, sheet: nil)
/// let findings = Validator.validate(framework)
/// ```
public enum Normaliser {
    /// How many rows from the top are searched for the header.
    public static let headerSearchRows: UInt32 = 200
    /// Merged ranges looked at while searching for the header.
    static let headerMerges = 1_000

    /// The framework of the sheet holding the indicator table: `sheet` when given, else the visible sheet
    /// with the most indicators (a cover sheet or notes sheet before it is skipped).
    ///
    /// - Throws: `JixiaoError(.noTable)` naming the file and the header that was expected when no sheet
    ///   holds a table, or when `sheet` names no sheet of the workbook.
    public static func frameworks(in workbook: Workbook, sheet: String?) throws -> Framework {
        // Only for the errors.
        var names: String { workbook.sheets.map(\.name).joined(separator: ", ") }
        if let sheet {
            guard let grid = workbook.sheet(named: sheet) else {
                throw JixiaoError(.noTable, "no sheet named “\(sheet)” (sheets: \(names)) / 没有名为“\(sheet)”的工作表",
                                  at: Location(file: workbook.file))
            }
            return try normalise(grid, file: workbook.file)
        }
        var best: (framework: Framework, rank: (Int, Int))?
        for grid in workbook.sheets where grid.info.kind == .worksheet {
            guard let f = try? normalise(grid, file: workbook.file) else { continue }
            let rank = (grid.info.visibility == .visible ? 1 : 0, f.leaves.count)
            if best == nil || rank > best!.rank { best = (f, rank) }
        }
        if let best { return best.framework }
        throw JixiaoError(.noTable,
                          "no indicator table in any sheet (\(names)): expected \(HeaderMatcher.expectation) / 未找到指标体系表",
                          at: Location(file: workbook.file))
    }

    /// The framework of one sheet.
    ///
    /// - Throws: `JixiaoError(.noTable)` when the sheet has no header row naming the indicator levels, or a
    ///   header but no indicator below it.
    public static func normalise(_ grid: Grid, file: String) throws -> Framework {
        // Formulas read as the spreadsheet shows them, not as a program that did not calculate saved them.
        let grid = FormulaValues.resolved(grid)
        let location = Location(file: file, sheet: grid.name)
        guard let (headerRow, columns) = findHeader(grid) else {
            throw JixiaoError(.noTable, "no indicator table: expected \(HeaderMatcher.expectation) / 未找到指标体系表头",
                              at: location)
        }
        var builder = TreeBuilder(grid: grid, file: file, columns: columns, headerRow: headerRow)
        builder.build()
        guard !builder.roots.isEmpty else {
            throw JixiaoError(.noTable, "the header in row \(headerRow + 1) is followed by no indicator / 表头下没有指标",
                              at: location.with(cell: CellRef(row: headerRow, col: columns.levels[0])))
        }
        var framework = builder.framework()
        // Parents' weights and scores were rolled up as they were made (`convert`): only the totals are left.
        RollUp.applyTotals(&framework)
        return framework
    }

    /// The first row (from the top) that is a header, with its column map.
    static func findHeader(_ grid: Grid) -> (UInt32, ColumnMap)? {
        // Only merges that start in the searched rows can shape a header; at most `headerMerges` of them
        // (a hostile sheet with a million merges would otherwise cost a scan of all of them per row).
        var window = grid
        if grid.merged.count > headerMerges || grid.merged.contains(where: { $0.first.row >= headerSearchRows }) {
            window.merged = Array(grid.merged.lazy.filter { $0.first.row < headerSearchRows }.prefix(headerMerges))
        }
        for row in grid.rows where row.index < headerSearchRows {
            if let map = HeaderMatcher.match(window, row: row.index) {
                // A second header row below (`一级指标` over `名称 | 分值`): the table starts under it.
                if let two = HeaderMatcher.subHeader(grid, below: row.index, map) { return (row.index + 1, two) }
                // …or one above (`评价指标` over the levels, 分值/得分/… above empty cells, without merges).
                if let two = HeaderMatcher.superHeader(grid, above: row.index, map) { return (row.index, two) }
                return (row.index, map)
            }
        }
        return nil
    }
}

/// One node while the tree is being built: an entry of `TreeBuilder.nodes`, its children linked by index and its
/// rows a run of `TreeBuilder.nodeRows` (one flat array each, not an object and two arrays per node).
struct BuildNode {
    let raw: String
    let ref: CellRef
    let level: Int
    /// First and last child, next sibling (indexes into `TreeBuilder.nodes`; -1 for none).
    var firstChild = -1
    var lastChild = -1
    var nextSibling = -1
    /// The rows holding this node's own values (its first row, plus continuation rows):
    /// `nodeRows[rowStart ..< rowStart + rowCount]`. Rows only ever go to the newest leaf, so each node's rows
    /// are one run at the end of `nodeRows` while it takes them.
    var rowStart = 0
    var rowCount = 0

    init(raw: String, ref: CellRef, level: Int) {
        self.raw = raw
        self.ref = ref
        self.level = level
    }

    var hasChildren: Bool { firstChild >= 0 }
}

struct TreeBuilder {
    let grid: Grid
    let file: String
    /// The file and sheet, for `location` (made once: every node's location shares them).
    let sheetLocation: Location
    let columns: ColumnMap
    let headerRow: UInt32
    /// Every node built, in creation order (parents before their children).
    var nodes: [BuildNode] = []
    /// The level-1 nodes (and nodes with no parent), as indexes into `nodes`.
    var roots: [Int] = []
    /// The rows of every node, a run per node (see `BuildNode.rowStart`).
    var nodeRows: [UInt32] = []
    /// The positions in `grid.rows` of `nodeRows` (rows are sorted and unique: `grid.rows[p]` is `grid.row(at:)`).
    var nodeRowPositions: [Int] = []
    var diagnostics: [Finding] = []
    /// Leaves whose weight is a plain number in the 分值 column, and leaves whose weight is not (a unit, the
    /// name, a level's own column, none): `fractionsOfOne` is only asked when all are plain numbers.
    var plainCellWeights = 0
    var otherWeights = 0
    var totalsRow: UInt32?
    /// Non-top-left cell of a merged range → its top-left cell, for sheets whose merges overlap in a mapped
    /// column (else `mergeSpans` answers, and this stays empty).
    var mergeIndex: [CellRef: CellRef] = [:]
    /// Per column (indexed by column): the rows each merge covers there, in row order and disjoint. The same
    /// answers as `mergeIndex` for the rows that hold cells (the only rows ever looked up), without hashing.
    var mergeSpans: [[MergeSpan]] = []
    /// True when `mergeIndex` is used (overlapping merges: the later one wins a cell there).
    var usesMergeIndex = false
    /// Columns with at least one merge entry (indexed by column): most cells are in columns that have none.
    var mergedColumns: [Bool] = []

    /// Rows `first...last` (rows that hold cells, all of them in between indexed) of one column covered by a
    /// merge whose top-left cell is `top`.
    struct MergeSpan {
        var first: UInt32
        var last: UInt32
        var top: CellRef
    }

    init(grid: Grid, file: String, columns: ColumnMap, headerRow: UInt32, forceMergeIndex: Bool = false) {
        self.grid = grid
        self.file = file
        self.sheetLocation = Location(file: file, sheet: grid.name)
        self.columns = columns
        self.headerRow = headerRow
        // Only the mapped columns matter; a cap keeps hostile merges (A1:XFD1048576) from eating memory.
        var wanted = columns.levels
        for c in [columns.weight, columns.score, columns.explanation, columns.criteria, columns.source, columns.target,
                  columns.actual, columns.note] + columns.levelWeights {
            if let c { wanted.append(c) }
        }
        wanted.sort()
        wanted = TreeBuilder.unique(sorted: wanted)
        // Only rows that hold cells are ever looked up: a merge is indexed over those rows alone, so a merge
        // down to row 1,048,576 costs what the table has, not a million entries.
        let rowIndexes = grid.rows.map(\.index)
        // Which rows (positions in `rowIndexes`) of which columns each merge covers, within the budget.
        // `cols`: the positions in `wanted` (sorted) of the merge's mapped columns, one run.
        var covered: [(m: CellRange, cols: Range<Int>, from: Int, to: Int)] = []
        covered.reserveCapacity(grid.merged.count)
        var budget = TreeBuilder.mergeIndexBudget
        merges: for m in grid.merged where m.last.row > headerRow {
            var lo = 0
            while lo < wanted.count, wanted[lo] < m.first.col { lo += 1 }
            var hi = lo
            while hi < wanted.count, wanted[hi] <= m.last.col { hi += 1 }
            guard hi > lo else { continue }
            let cols = lo..<hi
            let firstRow = max(m.first.row, headerRow + 1)
            let from = TreeBuilder.firstIndex(of: firstRow, in: rowIndexes)
            let to = max(from, TreeBuilder.firstIndex(after: m.last.row, in: rowIndexes))
            // Each covered row costs `cols.count` of the budget; the rows that fit are indexed, then no more.
            let fitting = budget / cols.count
            guard to - from <= fitting else {
                if fitting > 0 { covered.append((m, cols, from, from + fitting)) }
                break merges
            }
            budget -= cols.count * (to - from)
            if to > from { covered.append((m, cols, from, to)) }
        }
        // Spans per column; any overlap (or disorder) in a column falls back to the cell index.
        var spans: [[MergeSpan]] = []
        var overlap = forceMergeIndex
        for (m, cols, from, to) in covered where !overlap {
            for c in wanted[cols] {
                let span = MergeSpan(first: rowIndexes[from], last: rowIndexes[to - 1], top: m.first)
                let ci = Int(c)
                if ci >= spans.count { spans.append(contentsOf: repeatElement([], count: ci + 1 - spans.count)) }
                if let previous = spans[ci].last, previous.last >= span.first { overlap = true; break }
                if spans[ci].isEmpty { spans[ci].reserveCapacity(min(covered.count, 64)) }
                spans[ci].append(span)
            }
        }
        if overlap {
            usesMergeIndex = true
            for (m, cols, from, to) in covered {
                for i in from..<to {
                    for c in wanted[cols] {
                        let ref = CellRef(row: rowIndexes[i], col: c)
                        if ref != m.first { mergeIndex[ref] = m.first; markMerged(c) }
                    }
                }
            }
        } else {
            mergeSpans = spans
            mergedColumns = spans.map { !$0.isEmpty }
        }
    }

    mutating func markMerged(_ col: UInt16) {
        let c = Int(col)
        if c >= mergedColumns.count { mergedColumns.append(contentsOf: repeatElement(false, count: c + 1 - mergedColumns.count)) }
        mergedColumns[c] = true
    }

    /// The top-left cell of the merge covering `ref`, when `ref` is a covered (not top-left) cell of a row that
    /// holds cells.
    @inline(__always)
    func mergeTop(_ ref: CellRef) -> CellRef? {
        let c = Int(ref.col)
        guard c < mergedColumns.count, mergedColumns[c] else { return nil }
        if usesMergeIndex { return mergeIndex[ref] }
        return mergeSpans[c].withUnsafeBufferPointer { spans -> CellRef? in
            // The last span starting at or above the row.
            var lo = 0, hi = spans.count
            while lo < hi {
                let mid = (lo &+ hi) &>> 1  // (both non-negative: a shift, no signed division)
                if spans[mid].first <= ref.row { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0 else { return nil }
            let span = spans[lo - 1]
            return ref.row <= span.last && ref != span.top ? span.top : nil
        }
    }

    /// Entries of `mergeIndex` at most (hostile files with many tall merges stop being indexed there).
    static let mergeIndexBudget = 1_000_000

    /// The position of the first row index > `row` in sorted `indexes`.
    static func firstIndex(after row: UInt32, in indexes: [UInt32]) -> Int {
        var lo = 0, hi = indexes.count
        while lo < hi {
            let mid = (lo &+ hi) &>> 1  // (both non-negative: a shift, no signed division)
            if indexes[mid] <= row { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The sorted values without repeats.
    static func unique(sorted values: [UInt16]) -> [UInt16] {
        var out: [UInt16] = []
        out.reserveCapacity(values.count)
        for v in values where out.last != v { out.append(v) }
        return out
    }

    /// The position of the first row index ≥ `row` in sorted `indexes`.
    static func firstIndex(of row: UInt32, in indexes: [UInt32]) -> Int {
        var lo = 0, hi = indexes.count
        while lo < hi {
            let mid = (lo &+ hi) &>> 1  // (both non-negative: a shift, no signed division)
            if indexes[mid] < row { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func location(_ ref: CellRef?) -> Location {
        var l = sheetLocation
        l.cell = ref
        return l
    }

    enum LevelState {
        case text(String, CellRef)
        /// Inside a vertical merge started above: the same node as the row above.
        case continued
        case blank
    }

    func levelState(_ ref: CellRef, in row: Row) -> LevelState {
        if let top = mergeTop(ref) {
            // A merge coming from a higher level's column means "no node at this level".
            if top.col != ref.col || top.row <= headerRow { return .blank }
            return .continued
        }
        if let t = TextKit.text(cellValue(ref, row)) { return .text(t, ref) }
        return .blank
    }

    /// The stored value at `ref`, read from `row` when that is its row (no search of the grid's rows).
    @inline(__always)
    func cellValue(_ ref: CellRef, _ row: Row?) -> CellValue {
        if let row, row.index == ref.row { return TreeBuilder.storedValue(row, ref.col) }
        return grid[ref]
    }

    /// The stored value in column `col` of `row` (`.empty` when none), by binary search over the cells without
    /// materialising a `Cell?`.
    @inline(__always)
    static func storedValue(_ row: Row, _ col: UInt16) -> CellValue {
        row.cells.withUnsafeBufferPointer { cells -> CellValue in
            var lo = 0, hi = cells.count
            while lo < hi {
                let mid = (lo &+ hi) &>> 1  // (both non-negative: a shift, no signed division)
                if cells[mid].col < col { lo = mid + 1 } else { hi = mid }
            }
            return lo < cells.count && cells[lo].col == col ? cells[lo].value : .empty
        }
    }

    /// The cell's own value, or its merge's top-left value (`own` false then).
    func value(_ ref: CellRef, _ row: Row? = nil) -> (value: CellValue, top: CellRef) {
        if let top = mergeTop(ref) { return (grid[top], top) }
        return (cellValue(ref, row), ref)
    }

    var dataColumns: [UInt16] {
        [columns.weight, columns.score, columns.explanation, columns.criteria, columns.source,
         columns.target, columns.actual, columns.note].compactMap { $0 }
    }

    /// The label at the left of the row (first text among the columns up to the last level column), as stored:
    /// not cleaned, which `labelKind` does not need (it skips whitespace and compares keys, which drop it).
    func label(_ row: Row) -> String? {
        let last = columns.levels.last!
        for c in row.cells where c.col <= last {
            if mergeTop(CellRef(row: row.index, col: c.col)) != nil { continue }
            if let t = TreeBuilder.uncleanedText(c.value) { return t }
        }
        return nil
    }

    /// The cell's text before `TextKit.clean` when `TextKit.text` has one (a string with a scalar other than
    /// whitespace), else nil.
    static func uncleanedText(_ v: CellValue) -> String? {
        switch v {
        case .empty: return nil
        case .string(let s): return s.unicodeScalars.contains { !TextKit.isSpace($0) } ? s : nil
        default: return TextKit.text(v)
        }
    }

    /// The weight a 合计 label states: `合计（100分）`, `总分：100分`, `合计(100%)`; nil for `合计`, `合计(分)`.
    static func weightInTotalsLabel(_ label: String) -> Double? {
        let k = TextKit.key(label)
        guard let l = totalsLabels.filter({ k.hasPrefix($0) }).max(by: { $0.count < $1.count }) else { return nil }
        var rest = Substring(k.dropFirst(l.count))
        while let f = rest.first, f == "(" || f == "[" || f == ":" || f == "【" { rest = rest.dropFirst() }
        while let e = rest.last, e == ")" || e == "]" || e == "】" { rest = rest.dropLast() }
        guard let n = TextKit.parseNumber(String(rest)), n.unit != nil else { return nil }
        return n.value
    }

    static let totalsLabels = ["合计", "总计", "总分", "总得分", "合计得分", "得分合计", "总计得分", "综合得分"]
    /// `合计`, `合计：`, `合计(分)`, `总分` — but not a name that merely starts like one (`总分类账管理`).
    static func isLabel(_ key: String, _ labels: [String]) -> Bool {
        labels.contains { label in
            guard key.hasPrefix(label) else { return false }
            let rest = key.dropFirst(label.count)
            return rest.isEmpty || rest.first == "(" || rest.first == ":" || rest.first == "["
        }
    }

    enum LabelKind { case totals, note, subtotal, other }

    /// Row labels already classified: every workbook of a batch repeats them (memoised: a pure function of the
    /// text; `String.hasPrefix` on CJK text normalises on every call).
    private static let labelKinds = SampledMemo<LabelKind>(capacity: 8192)

    /// What a row's label makes the row: the 合计 row, a note after the table, a 小计 row, or an ordinary row.
    static func labelKind(_ label: String) -> LabelKind {
        // Every label of `totalsLabels`, `noteLabels` and 小计 starts with one of a few ideographs (none of which
        // composes with what follows), and the key only drops whitespace and folds full-width ASCII: a label
        // whose first non-space scalar is none of them is an ordinary row (most rows: no key, no memo lookup).
        // CJK compatibility ideographs are canonically equivalent to unified ones: they take the full path.
        guard let first = label.unicodeScalars.first(where: { !TextKit.isSpace($0) }) else { return .other }
        let v = first.value
        let compatibility = (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
        guard compatibility || labelInitials.contains(TextKit.fold(first)) else { return .other }
        return labelKinds.value(label) { labelKindUncached(label) }
    }

    /// `labelKind` without the first-scalar shortcut and the memo.
    static func labelKindUncached(_ label: String) -> LabelKind {
        let k = TextKit.key(label)
        if isLabel(k, totalsLabels) { return .totals }
        if noteKeys.contains(where: { k.hasPrefix($0) }) { return .note }
        if isFooter(k) { return .note }
        if isLabel(k, ["小计"]) { return .subtotal }
        return .other
    }

    /// The first scalars of the keys of every label `labelKind` looks for.
    static let labelInitials: [Unicode.Scalar] = Array(Set((totalsLabels + noteKeys + footerLabels + ["小计"]).compactMap { TextKit.key($0).unicodeScalars.first })).sorted { $0.value < $1.value }

    /// Who filled in and signed the table, written under it (`填表人：张三`, `单位负责人（签字）`, `日期：`): the table ends.
    static let footerLabels = ["填表人", "填报人", "审核人", "复核人", "制表人", "负责人", "单位负责人", "部门负责人", "财务负责人",
                               "分管领导", "联系人", "联系电话", "填报日期", "填表日期", "日期", "评价人", "评价人员", "评价组长",
                               "经办人", "签字", "签名", "盖章", "单位盖章", "单位(盖章)", "填报单位(盖章)"]

    /// A footer label (as a key): one of `footerLabels`, alone or followed by `:`, brackets, 签字/签名/盖章.
    static func isFooter(_ key: String) -> Bool {
        footerLabels.contains { label in
            guard key.hasPrefix(label) else { return false }
            let rest = key.dropFirst(label.count)
            return rest.isEmpty || rest.first == ":" || rest.first == "(" || rest.hasPrefix("签") || rest.hasPrefix("盖章")
        }
    }

    static let noteLabels = ["注:", "注1", "注：", "备注", "说明:", "填表说明", "附注"]
    /// The matching keys of `noteLabels`, computed once.
    static let noteKeys = noteLabels.map(TextKit.key)

    mutating func build() {
        let levelCols = columns.levels
        var current = [Int](repeating: -1, count: levelCols.count)
        var lastLeaf = -1
        // One state per level column, overwritten on every row.
        var states = [LevelState](repeating: .blank, count: levelCols.count)
        // At most a node per level column of each row, a row per row (capped: a hostile sheet's rows are many).
        nodes.reserveCapacity(min(grid.rows.count * levelCols.count, 1 << 14))
        nodeRows.reserveCapacity(min(grid.rows.count, 1 << 14))
        nodeRowPositions.reserveCapacity(min(grid.rows.count, 1 << 14))
        for (position, row) in grid.rows.enumerated() where row.index > headerRow {
            if let l = label(row) {
                let kind = TreeBuilder.labelKind(l)
                if kind == .totals { totalsRow = row.index; break }
                if kind == .note { break }
                if kind == .subtotal { continue }
            }
            for (l, c) in levelCols.enumerated() { states[l] = levelState(CellRef(row: row.index, col: c), in: row) }
            // A sentence alone under the table (`1.本表由项目单位填写。`, no 注 in front): the notes begin.
            if lastLeaf >= 0, case .text(let t, _) = states[0], TreeBuilder.isSentence(t),
               states.dropFirst().allSatisfy({ if case .text = $0 { return false } else { return true } }) { break }
            // The header repeated inside the table (copied at a page break): not an indicator.
            if case .text(let t, _) = states[0], TreeBuilder.mayBeLevelHeader(t), HeaderMatcher.role(of: t) == .level(1) { continue }
            // …and its second row (名称 | 分值 under each level).
            if case .text(let a, _) = states[0], case .text(let b, _) = states[1], TreeBuilder.mayBeSubHeaderName(a),
               HeaderMatcher.subHeaderNames.contains(TextKit.key(a)), HeaderMatcher.subHeaderNames.contains(TextKit.key(b)) { continue }
            let deepest = states.lastIndex { if case .text = $0 { return true } else { return false } }
            guard let d = deepest else {
                addContinuation(row, at: position, to: lastLeaf)
                continue
            }
            var started = false
            var parent = -1
            var node = -1
            for l in 0...d {
                switch states[l] {
                case .text(let s, let ref):
                    if !started, current[l] >= 0, TreeBuilder.sameParent(nodes[current[l]].raw, s) {
                        // Parent repeated on every row.
                        parent = current[l]; node = current[l]
                        continue
                    }
                    let n = nodes.count
                    nodes.append(BuildNode(raw: s, ref: ref, level: l + 1))
                    if parent >= 0 {
                        // The parent may have had a row of its own (outline style); `convert` reads its 分值 there.
                        if nodes[parent].lastChild >= 0 { nodes[nodes[parent].lastChild].nextSibling = n } else { nodes[parent].firstChild = n }
                        nodes[parent].lastChild = n
                    } else {
                        if l > 0 {
                            diagnostics.append(Finding(.warning, rule: "missing-parent", at: location(ref),
                                                       "“\(s)” is a level-\(l + 1) indicator with no level-\(l) indicator above it"))
                        }
                        roots.append(n)
                    }
                    current[l] = n
                    for k in (l + 1)..<current.count { current[k] = -1 }
                    started = true
                    parent = n; node = n
                case .continued, .blank:
                    if !started, current[l] >= 0 { parent = current[l]; node = current[l] }
                }
            }
            guard node >= 0 else { continue }
            if started && nodes[node].level == d + 1 && !nodes[node].hasChildren && nodes[node].rowCount == 0 {
                addRow(row.index, at: position, to: node)
                lastLeaf = node
            } else {
                addContinuation(row, at: position, to: lastLeaf)
            }
        }
    }

    /// Whether a level cell repeats the parent above: the same text, or the same code and name with the weight
    /// written only once (`A1项目立项（6分）` above, `A1项目立项` below) or written again the same.
    static func sameParent(_ above: String, _ text: String) -> Bool {
        if TextKit.equalStrings(above, text) { return true }
        // Only a text that starts the other can name the same indicator (no parsing for every new sibling).
        let (short, long) = above.utf8.count <= text.utf8.count ? (above, text) : (text, above)
        guard !short.isEmpty, TextKit.bytesStart(long, with: short) else { return false }
        let a = NameParser.parse(above), t = NameParser.parse(text)
        guard !a.name.isEmpty, a.code == t.code, a.name == t.name else { return false }
        return a.weight == nil || t.weight == nil || (a.weight == t.weight && a.unit == t.unit)
    }

    /// Whether the text may be one of `HeaderMatcher.subHeaderNames`: its first scalar other than whitespace starts
    /// one of them (most names do not: no key to make).
    static func mayBeSubHeaderName(_ t: String) -> Bool {
        guard let first = t.unicodeScalars.first(where: { !TextKit.isSpace($0) }) else { return false }
        return subHeaderInitials.contains(first)
    }

    static let subHeaderInitials = Set(HeaderMatcher.subHeaderNames.compactMap(\.unicodeScalars.first))

    /// Whether a level-1 cell reads as a sentence, not an indicator's name: it ends with `。` (names do not).
    static func isSentence(_ t: String) -> Bool {
        guard let last = t.unicodeScalars.last(where: { !TextKit.isSpace($0) }) else { return false }
        return last == "。"
    }

    /// Whether the text may be a level header (`一级指标`, `1级`): its first two scalars other than whitespace are a
    /// level digit and 级 (most names are not: no header lookup for them).
    static func mayBeLevelHeader(_ t: String) -> Bool {
        var it = t.unicodeScalars.lazy.filter { !TextKit.isSpace($0) }.makeIterator()
        guard let a = it.next(), HeaderMatcher.levelDigits[a] != nil else { return false }
        return it.next() == "级"
    }

    /// Gives `row` to node `n`, the newest node to take rows (so its run is at the end of `nodeRows`).
    mutating func addRow(_ row: UInt32, at position: Int, to n: Int) {
        if nodes[n].rowCount == 0 { nodes[n].rowStart = nodeRows.count }
        assert(nodes[n].rowStart + nodes[n].rowCount == nodeRows.count, "a node's rows are one run")
        nodeRows.append(row)
        nodeRowPositions.append(position)
        nodes[n].rowCount += 1
    }

    /// A row with no new indicator: its own texts belong to the indicator above (a leaf spread over rows).
    mutating func addContinuation(_ row: Row, at position: Int, to leaf: Int) {
        let hasOwnData = dataColumns.contains { col in
            let ref = CellRef(row: row.index, col: col)
            return mergeTop(ref) == nil && TextKit.text(cellValue(ref, row)) != nil
        }
        guard hasOwnData else { return }
        if leaf >= 0 {
            addRow(row.index, at: position, to: leaf)
        } else {
            diagnostics.append(Finding(.warning, rule: "row-outside-tree", at: location(CellRef(row: row.index, col: columns.levels[0])),
                                       "row \(row.index + 1) has values but no indicator name; it is ignored"))
        }
    }

    // MARK: - From nodes to the model

    mutating func framework() -> Framework {
        let (title, organisationAbove) = titleAndOrganisation()
        var totals = readTotals()
        let base = (totals.statedWeight.flatMap { $0 > 0 ? $0 : nil }) ?? 100
        var indicators = roots.map { convert($0, path: [], base: base) }
        if plainCellWeights >= 2, otherWeights == 0, TreeBuilder.fractionsOfOne(indicators, stated: totals.statedWeight) {
            // 权重 cells formatted as percentages hold fractions (0.15 shown as 15%): the weights are points of 100.
            TreeBuilder.scaleFractions(&indicators, totals: &totals)
        }
        var organisation = organisationAbove
        // A level-1 name with the organisation glued in front, and no code of its own.
        let parsedRoots = indicators.map { NameParser.parse($0.rawName) }
        for i in indicators.indices where parsedRoots[i].code == nil {
            let siblings = parsedRoots.enumerated().filter { $0.offset != i }.map(\.element.name)
            if let split = NameParser.splitOrganisation(indicators[i].name, siblingNames: siblings) {
                indicators[i].name = split.name
                if organisation == nil { organisation = split.organisation }
            }
        }
        CodeInference.apply(&indicators)
        totals.weight = nil
        totals.score = nil
        var f = Framework(file: file, sheet: grid.name, title: title, organisation: organisation,
                          levels: columns.levels.count, roots: indicators, totals: totals, columns: columns,
                          headerRow: headerRow)
        f.diagnostics = diagnostics
        return f
    }

    /// Whether the leaves' weights are fractions of 1 (percentage-formatted cells: 0.15 shown as 15%): none above 1,
    /// and either a stated total of 0.5–1.5 with the weights summing to 0.5–1.5 (mistakes and all), or no stated
    /// total and a sum of 1 (±0.02). A table of points sums to about 100.
    static func fractionsOfOne(_ roots: [Indicator], stated: Double?) -> Bool {
        if let stated, stated > 1.5 || stated < 0.5 { return false }
        var sum = 0.0
        for r in roots {
            for l in r.leaves {
                guard let w = l.weight, w >= 0, w <= 1 else { return false }
                sum += w
            }
        }
        // Without a stated total of 1 the fractions must sum to 1 (a tiny table of points is left alone).
        return stated != nil ? sum >= 0.5 && sum <= 1.5 : abs(sum - 1) <= 0.02
    }

    /// Fraction weights (and fraction scores, when the scores are fractions too) as points of 100; parents'
    /// weights stated in cells likewise; rolled up again.
    static func scaleFractions(_ roots: inout [Indicator], totals: inout Totals) {
        var scoreSum = 0.0
        var scoresAreFractions = true
        for r in roots {
            for l in r.leaves { if let s = l.score { scoreSum += s; if s > 1 { scoresAreFractions = false } } }
        }
        scoresAreFractions = scoresAreFractions && scoreSum <= 1.5 && (totals.statedScore ?? 0) <= 1.5
        func scale(_ node: inout Indicator) {
            if node.children.isEmpty {
                node.weight = node.weight.map { TextKit.tidy($0 * 100) }
                if scoresAreFractions { node.score = node.score.map { TextKit.tidy($0 * 100) } }
                return
            }
            if let w = node.statedWeight, node.statedWeightUnit == .points, node.weightCell != nil, w <= 1,
               NameParser.parse(node.rawName).weight == nil {
                node.statedWeight = TextKit.tidy(w * 100)
            }
            for i in node.children.indices { scale(&node.children[i]) }
        }
        for i in roots.indices {
            scale(&roots[i])
            RollUp.roll(&roots[i])
        }
        totals.statedWeight = totals.statedWeight.map { TextKit.tidy($0 * 100) }
        if scoresAreFractions { totals.statedScore = totals.statedScore.map { TextKit.tidy($0 * 100) } }
    }

    mutating func convert(_ index: Int, path: [String], base: Double) -> Indicator {
        // The node's fields one by one (no copy of the whole entry).
        let raw = nodes[index].raw, firstChild = nodes[index].firstChild, level = nodes[index].level
        let rowStart = nodes[index].rowStart, rowCount = nodes[index].rowCount, ref = nodes[index].ref
        let parsed = NameParser.parse(raw)
        // The node keeps its parent's path and its own name; the whole path is made only for a node with
        // children, to hand down. (Not `Array(unsafeUninitializedCapacity:)`: unspecialised in the standard
        // library, it looks up the storage type's metadata on every call, which costs more than these appends.)
        var fullPath: [String] = []
        if firstChild >= 0 {
            fullPath.reserveCapacity(path.count + 1)
            fullPath.append(contentsOf: path)
            fullPath.append(raw)
        }
        // Every field is worked out first and the indicator made in one step (no field-by-field writes through
        // its copy-on-write box).
        var statedWeight = parsed.weight
        var statedWeightUnit = parsed.unit
        var weight: Double?
        var score: Double?
        var weightCell: CellRef?
        var scoreCell: CellRef?
        var statedScore: Double?, statedScoreCell: CellRef?
        var explanation: String?, criteria: String?, source: String?, target: String?, actual: String?, note: String?
        var children: [Indicator] = []
        var c = firstChild
        if c >= 0 {
            var count = 0
            while c >= 0 { count += 1; c = nodes[c].nextSibling }
            children.reserveCapacity(count)
            c = firstChild
        }
        while c >= 0 {
            children.append(convert(c, path: fullPath, base: base))
            c = nodes[c].nextSibling
        }
        let rows = nodeRows[rowStart ..< rowStart + rowCount]
        if !children.isEmpty {
            // Rolled up from the children (what `RollUp.apply` does).
            weight = RollUp.sum(children, { $0.weight })
            score = RollUp.sum(children, { $0.score })
            // Weights written in cells of the parent's own: a two-row header's 分值 column for this level, on the
            // parent's first row (or its merge); and on a row of its own (outline style), the 分值 written there.
            // The first one found is its stated weight; the name's weight is checked against any other.
            var written: [(TextKit.Number, CellRef)] = []
            if let col = columns.levelWeight(level), let hit = parentWeight(CellRef(row: ref.row, col: col)) { written.append(hit) }
            if let col = columns.weight, let hit = number(rows, col, what: "分值/weight") { written.append(hit) }
            for (v, cell) in written {
                if statedWeight == nil {
                    statedWeight = v.value
                    statedWeightUnit = v.unit ?? .points
                } else {
                    compareNameWeight(parsed, raw: raw, with: v, at: cell, base: base)
                }
                weightCell = cell
            }
            // The same row's 得分: the parent's stated score (checked against its children's).
            if let col = columns.score, let (v, cell) = number(rows, col, what: "得分/score"), v.unit != .percent {
                statedScore = v.value
                statedScoreCell = cell
            }
        } else {
            // Leaf values from its rows (most leaves have one: its cells are read from that row).
            let row = rowCount == 1 ? grid.rows[nodeRowPositions[rowStart]] : nil
            if let col = columns.weight, let (v, ref) = number(rows, col, what: "分值/weight", row) {
                weight = v.unit == .percent ? v.value * base / 100 : v.value
                weightCell = ref
                if v.unit == nil { plainCellWeights += 1 } else { otherWeights += 1 }
            } else if let col = columns.levelWeight(level), let (v, ref) = number(rows, col, what: "分值/weight", row) {
                // A leaf above the deepest level with its 分值 in its level's own column.
                weight = v.unit == .percent ? v.value * base / 100 : v.value
                weightCell = ref
            } else if let w = parsed.weight {
                weight = parsed.unit == .percent ? w * base / 100 : w
            }
            if weightCell == nil { otherWeights += 1 }
            if let col = columns.weight, weightCell == nil, let r = rows.first { weightCell = CellRef(row: r, col: col) }
            if let col = columns.score {
                if let (v, ref) = number(rows, col, what: "得分/score", row) {
                    score = v.value
                    scoreCell = ref
                } else if let r = rows.first {
                    scoreCell = CellRef(row: r, col: col)
                }
            }
            explanation = leafText(rows, columns.explanation, row)
            criteria = leafText(rows, columns.criteria, row)
            source = leafText(rows, columns.source, row)
            target = leafText(rows, columns.target, row)
            actual = leafText(rows, columns.actual, row)
            note = leafText(rows, columns.note, row)
        }
        return Indicator(fields: Indicator.Fields(
            code: parsed.code ?? "", name: parsed.name, rawName: raw, level: level, pathPrefix: path, pathLast: raw,
            statedWeight: statedWeight, statedWeightUnit: statedWeightUnit, weight: weight, score: score,
            explanation: explanation, criteria: criteria, source: source, target: target, actual: actual, note: note,
            cell: location(ref), weightCell: weightCell, scoreCell: scoreCell, children: children,
            statedScore: statedScore, statedScoreCell: statedScoreCell))
    }

    /// A `weight-name-column` finding when a parent's name states another weight than its own 分值 cell (both as
    /// points: percentages of `base`). The code is the name's (nil when inferred later).
    mutating func compareNameWeight(_ parsed: ParsedName, raw: String, with v: TextKit.Number, at ref: CellRef, base: Double) {
        guard let w = parsed.weight else { return }
        let named = parsed.unit == .percent ? w * base / 100 : w
        let cell = v.unit == .percent ? v.value * base / 100 : v.value
        guard abs(named - cell) > Validator.epsilon else { return }
        diagnostics.append(Finding(.error, rule: "weight-name-column", code: parsed.code, at: location(ref),
                                   "“\(raw)”: the name says \(TextKit.show(named)) but 分值 is \(TextKit.show(cell)) / 名称中的分值与分值列不一致"))
    }

    /// A parent's own 分值 at `ref` (read through a merge); a finding for text that is not a number.
    mutating func parentWeight(_ ref: CellRef) -> (TextKit.Number, CellRef)? {
        let (v, top) = value(ref)
        switch TextKit.number(v) {
        case .empty: return nil
        case .number(let n): return (n, top)
        case .notANumber(let t):
            diagnostics.append(Finding(.error, rule: "not-a-number", at: location(top), "分值/weight “\(t)” is not a number / 不是数字"))
            return nil
        }
    }

    /// The first number in a column over the rows; a finding for text that is not a number.
    mutating func number(_ rows: ArraySlice<UInt32>, _ col: UInt16, what: String, _ row: Row? = nil) -> (TextKit.Number, CellRef)? {
        for r in rows {
            let ref = CellRef(row: r, col: col)
            guard mergeTop(ref) == nil else { continue }
            switch TextKit.number(cellValue(ref, row)) {
            case .empty: continue
            case .number(let n): return (n, ref)
            case .notANumber(let t) where TextKit.isPlaceholder(t):
                // `/`, `—`, `无`: nothing written (a missing score or weight is reported as such).
                continue
            case .notANumber(let t):
                diagnostics.append(Finding(.error, rule: "not-a-number", at: location(ref),
                                           "\(what) “\(t)” is not a number / 不是数字"))
                return nil
            }
        }
        return nil
    }

    /// `text(rows, col, row)`, with the one-row case (most leaves) read straight from `row`.
    @inline(__always)
    func leafText(_ rows: ArraySlice<UInt32>, _ col: UInt16?, _ row: Row?) -> String? {
        guard let col else { return nil }
        guard let row, rows.count == 1 else { return text(rows, col, row) }
        if let top = mergeTop(CellRef(row: row.index, col: col)) { return TextKit.text(grid[top]) }
        return TextKit.text(TreeBuilder.storedValue(row, col))
    }

    /// The texts of a column over the rows (merged cells read through, each merged cell once), joined by LF.
    func text(_ rows: ArraySlice<UInt32>, _ col: UInt16?, _ row: Row? = nil) -> String? {
        guard let col else { return nil }
        // One row (most leaves): one cell, nothing to join or deduplicate.
        if rows.count == 1 { return TextKit.text(value(CellRef(row: rows[rows.startIndex], col: col), row).value) }
        var seen = Set<CellRef>()
        var parts: [String] = []
        for r in rows {
            let (v, top) = value(CellRef(row: r, col: col))
            guard seen.insert(top).inserted, let t = TextKit.text(v) else { continue }
            parts.append(t)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }

    /// Title: the text above the header that names the table (附件…, …指标体系…, …评价…), else the first one;
    /// lines such as `单位：万元` are not titles. Organisation from a `填报单位：…` cell, or a `主管部门` cell
    /// and the cell after it.
    func titleAndOrganisation() -> (String?, String?) {
        var texts: [String] = []
        var organisation: String?
        let orgLabels = TreeBuilder.organisationLabels
        for row in grid.rows where row.index < headerRow {
            var labelBefore = false
            for c in row.cells {
                guard let t = TextKit.text(c.value) else { continue }
                // `主管部门 | 某某局` in two cells.
                if labelBefore {
                    labelBefore = false
                    if organisation == nil { organisation = t }
                    continue
                }
                if TreeBuilder.mayBeOrganisationLabel(t), TreeBuilder.isAny(TextKit.key(t), of: orgLabels) { labelBefore = true; continue }
                if organisation == nil, TreeBuilder.mayBeSpacedLabel(t), let org = TreeBuilder.spacedLabel(t) { organisation = org; continue }
                if let (label, org) = TreeBuilder.colonLabel(t) {
                    if organisation == nil, let org { organisation = org }
                    let isTitleLike = TreeBuilder.hasAnyPrefix(label, of: TreeBuilder.titlePrefixes)
                    if !isTitleLike { continue }
                }
                // The first row of a two-row header (`一级指标` over `名称 | 分值`) is no title.
                if row.index + 1 == headerRow, HeaderMatcher.role(of: t) != nil || HeaderMatcher.isGroupHeaderWord(t) { continue }
                texts.append(t)
            }
        }
        let title = texts.first { t in TreeBuilder.containsAny(t, TreeBuilder.titleWords) } ?? texts.first
        return (title, organisation)
    }

    /// `words.contains { TextKit.contains(text, $0) }`, deciding once whether the text's scalars are all
    /// Characters of their own (as every scalar of `words` must be).
    static func containsAny(_ text: String, _ words: [String]) -> Bool {
        guard text.unicodeScalars.allSatisfy(TextKit.isOwnCharacter) else { return words.contains { TextKit.contains(text, $0) } }
        let t = text.unicodeScalars
        return words.contains { word in
            let w = word.unicodeScalars
            guard let first = w.first else { return TextKit.contains(text, word) }
            var i = t.startIndex
            while let start = t[i...].firstIndex(of: first) {
                if t[start...].starts(with: w) { return true }
                i = t.index(after: start)
            }
            return false
        }
    }

    /// A `label:` at the start of a text (the colon, full-width or not, among its first 9 Characters): the label's
    /// key, and for an organisation label the organisation (the first word after the colon). Nil when there is
    /// no such colon.
    static func colonLabel(_ t: String) -> (label: String, organisation: String?)? {
        // Fast path: the first 10 scalars are Characters of their own, so Characters and scalars agree up to the
        // 9th; the label (when it names no organisation) is the key of the scalars before the colon.
        var k = 0
        var colon = -1
        for u in t.unicodeScalars {
            guard TextKit.isOwnCharacter(u) else { return colonLabelGeneral(t) }
            if colon < 0 && k <= 8 && TextKit.fold(u) == ":" { colon = k }
            k += 1
            if k == 10 { break }
        }
        guard colon >= 0 else { return nil }
        let label = TextKit.key(String(t.unicodeScalars.prefix(colon)))
        if isAny(label, of: organisationLabels) { return colonLabelGeneral(t) }
        return (label, nil)
    }

    /// `colonLabel` on Characters (any text).
    static func colonLabelGeneral(_ t: String) -> (label: String, organisation: String?)? {
        let folded = TextKit.string(t.unicodeScalars.lazy.map(TextKit.fold))
        guard let colon = folded.firstIndex(of: ":"), folded.distance(from: folded.startIndex, to: colon) <= 8 else { return nil }
        let label = TextKit.key(String(folded[..<colon]))
        var organisation: String?
        if isAny(label, of: organisationLabels) {
            let value = TextKit.clean(String(folded[folded.index(after: colon)...].prefix { $0 != "\n" }))
            let words = value.split(separator: " ", omittingEmptySubsequences: true)
            if let first = words.first { organisation = withoutSeal(String(first)) }
        }
        return (label, organisation)
    }

    /// The organisation without a trailing `(盖章)`, `（公章）`, `(签章)`.
    static func withoutSeal(_ name: String) -> String {
        for seal in ["(盖章)", "(公章)", "(签章)", "（盖章）", "（公章）", "（签章）"] where name.hasSuffix(seal) && name.count > seal.count {
            return String(name.dropLast(seal.count))
        }
        return name
    }

    /// Whether the text has whitespace after a few scalars (a cheap look before `spacedLabel`).
    static func mayBeSpacedLabel(_ t: String) -> Bool {
        var n = 0
        for u in t.unicodeScalars {
            if TextKit.isSpace(u) { return n >= 2 }
            n += 1
            if n > longestOrganisationLabel + 2 { return false }
        }
        return false
    }

    /// `单位名称　某某局`: an organisation label and the organisation in one cell, apart by spaces (no colon).
    static func spacedLabel(_ t: String) -> String? {
        let folded = TextKit.string(t.unicodeScalars.lazy.map(TextKit.fold))
        let words = folded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count >= 2, isAny(TextKit.key(words[0]), of: organisationLabels) else { return nil }
        return withoutSeal(words[1])
    }

    /// Labels of a cell that names the organisation (as keys).
    static let organisationLabels = ["单位名称", "部门名称", "填报单位", "项目单位", "评价单位", "主管部门", "预算单位", "实施单位",
                                     "单位(盖章)", "填报单位(盖章)", "部门(单位)名称", "部门(单位)", "主管部门(单位)", "项目实施单位",
                                     "项目主管部门", "被评价单位", "预算部门", "部门(单位)(盖章)"]
    /// The most scalars of an organisation label.
    static let longestOrganisationLabel = organisationLabels.map { $0.unicodeScalars.count }.max()!

    /// False when the text's key cannot be an organisation label: more scalars other than whitespace than the
    /// longest label, all of them Characters of their own (titles and notes: no key to make).
    static func mayBeOrganisationLabel(_ text: String) -> Bool {
        var n = 0
        for u in text.unicodeScalars {
            guard TextKit.isOwnCharacter(u) else { return true }
            if !TextKit.isSpace(u) { n += 1 }
        }
        return n <= longestOrganisationLabel
    }

    /// What a `label:` before a title starts with.
    static let titlePrefixes = ["附件", "附表", "表"]

    /// `words.contains(text)`: by bytes when every scalar of `text` is a Character of its own (as every scalar of
    /// `words` must be), where String equality is byte equality; String equality otherwise.
    static func isAny(_ text: String, of words: [String]) -> Bool {
        guard text.unicodeScalars.allSatisfy(TextKit.isOwnCharacter) else { return words.contains(text) }
        let n = text.utf8.count
        return words.contains { $0.utf8.count == n && $0.utf8.elementsEqual(text.utf8) }
    }

    /// `words.contains { text.hasPrefix($0) }`: on the scalars when every scalar of `text` is a Character of its
    /// own (as every scalar of `words` must be); String's `hasPrefix` otherwise.
    static func hasAnyPrefix(_ text: String, of words: [String]) -> Bool {
        guard text.unicodeScalars.allSatisfy(TextKit.isOwnCharacter) else { return words.contains { text.hasPrefix($0) } }
        return words.contains { text.unicodeScalars.starts(with: $0.unicodeScalars) }
    }

    /// Words that make a text above the header the title.
    static let titleWords = ["指标体系", "评价", "绩效", "附件", "附表"]

    /// The stated totals from the 合计 row: weight from the 分值 column (or any `N分` cell), score from 得分.
    mutating func readTotals() -> Totals {
        var totals = Totals(row: totalsRow)
        guard let r = totalsRow, let row = grid.row(at: r) else { return totals }
        if let col = columns.score {
            let ref = CellRef(row: r, col: col)
            if case .number(let n) = TextKit.number(grid[ref]) {
                totals.statedScore = n.value
                totals.statedScoreCell = ref
            }
        }
        if let col = columns.weight {
            let ref = CellRef(row: r, col: col)
            if case .number(let n) = TextKit.number(grid[ref]) {
                totals.statedWeight = n.value
                totals.statedWeightCell = ref
                return totals
            }
        }
        // No 分值 column (or nothing in it): a cell such as 100分 elsewhere in the row, else 100%.
        var percent: (Double, CellRef)?
        for c in row.cells where c.col != columns.score {
            let ref = CellRef(row: r, col: c.col)
            guard mergeTop(ref) == nil, case .number(let n) = TextKit.number(c.value) else { continue }
            if n.unit == .percent {
                if percent == nil { percent = (n.value, ref) }
            } else {
                totals.statedWeight = n.value
                totals.statedWeightCell = ref
                return totals
            }
        }
        if let (v, ref) = percent {
            totals.statedWeight = v
            totals.statedWeightCell = ref
            return totals
        }
        // Only the label states it: `合计（100分）`, `总分：100分`.
        for c in row.cells {
            guard let t = TextKit.text(c.value) else { continue }
            if TreeBuilder.labelKind(t) == .totals, let w = TreeBuilder.weightInTotalsLabel(t) {
                totals.statedWeight = w
                totals.statedWeightCell = CellRef(row: r, col: c.col)
            }
            break
        }
        return totals
    }
}
