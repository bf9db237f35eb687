import Foundation
import IndicatorModel
import SheetCore

/// Reads the 项目支出绩效自评表 (the national project self-evaluation form) into a `Framework`.
///
/// The form has a funds block (年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分, row 年度资金总额) and an
/// indicator block headed 一级指标 / 二级指标 / 三级指标 / 年度指标值 / 实际完成值 / 分值 / 得分 / 偏差原因分析及改进措施,
/// closed by a 总分 row. The funds row becomes the leaf `预算执行率` (code `A`, criteria 得分 = 执行率 × 分值,
/// target = 全年预算数, actual = 全年执行数); the indicator roots follow as `B`, `C`, `D`…, their children
/// `B1`, `B2`…, leaves `B11`….
public enum SelfEvaluationForm {
    static func key(_ v: CellValue) -> String {
        v.text.filter { !$0.isWhitespace && !"（）()：:*".contains($0) }
    }

    /// The header row and its columns, when the sheet has 年度指标值 and 实际完成值 in one row.
    static let levelNames = ["一级指标": 1, "二级指标": 2, "三级指标": 3, "四级指标": 4]

    static func header(_ grid: Grid) -> (row: UInt32, map: [String: UInt16], levels: [UInt16])? {
        let names = levelNames
        for row in grid.rows.prefix(200) {
            // A header row needs two cells whose keys hold 值 (a target and an actual column); a key is a
            // subsequence of the cell's text, so rows without two such texts are skipped unread.
            // (Through a buffer pointer: the cells are read in place, not copied one by one.)
            let twoMention = row.cells.withUnsafeBufferPointer { cells in
                var withValueWord = 0
                for i in cells.indices where mentionsValue(cells[i].value) {
                    withValueWord += 1
                    if withValueWord == 2 { return true }
                }
                return false
            }
            guard twoMention else { continue }
            var map: [String: UInt16] = [:]
            var levels: [(Int, UInt16)] = []
            for c in row.cells {
                let k = key(c.value)
                if let l = names[k] { levels.append((l, c.col)); continue }
                if k.hasPrefix("年度指标值") || k == "指标值" || k.hasPrefix("年度目标值") || k.hasPrefix("目标值")
                    || k.hasPrefix("计划指标值") { map["target"] = c.col }
                else if k.hasPrefix("实际完成值") || k.hasPrefix("完成值") || k == "实际值" || k.hasPrefix("全年实际完成值")
                    || k.hasPrefix("实际完成情况") { map["actual"] = c.col }
                else if k == "分值" || k == "权重" || k == "标准分值" || k == "指标分值" || k == "权重分" { map["weight"] = c.col }
                else if k == "得分" || k == "自评得分" || k == "评价得分" || k == "实际得分" { map["score"] = c.col }
                else if k.hasPrefix("偏差原因") || k == "备注" { map["note"] = c.col }
                else if k == "评分标准" || k == "评分细则" { map["criteria"] = c.col }
            }
            if map["target"] != nil, map["actual"] != nil, !levels.isEmpty {
                return (row.index, map, levels.sorted { $0.0 < $1.0 }.map { $0.1 })
            }
        }
        return nil
    }

    /// Whether the cell's text contains 值 (UTF-8 E5 80 BC).
    static func mentionsValue(_ v: CellValue) -> Bool {
        switch v {
        case .string(let s): return containsValueWord(s)
        case .error(let s): return containsValueWord(s)
        // Numbers, booleans and dates read as ASCII (digits, TRUE/FALSE, ISO dates): never 值, and not worth
        // formatting to find out (every number cell of every sheet a batch reads).
        case .empty, .number, .bool, .date: return false
        }
    }

    static func containsValueWord(_ s: String) -> Bool {
        // In place (native strings), else through a contiguous copy.
        if let answer = s.utf8.withContiguousStorageIfAvailable(containsValueWord(utf8:)) { return answer }
        var s = s
        return s.withUTF8(containsValueWord(utf8:))
    }

    /// `containsValueWord` of UTF-8 bytes.
    static func containsValueWord(utf8 u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count >= 3, let base = u.baseAddress else { return false }
        // memchr for the last byte (0xBC, a continuation byte, rarer in Chinese text than the lead 0xE5),
        // then the two before it.
        var from = 2
        while from < u.count, let hit = memchr(base + from, 0xBC, u.count - from) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if u[at - 1] == 0x80, u[at - 2] == 0xE5 { return true }
            from = at + 1
        }
        return false
    }

    /// The organisation: the text after the 主管部门 cell (else after 实施单位) above the header, as the normaliser
    /// reads `主管部门 | 某某局`, or a `单位：某某局` line (as jixiao convert writes it in the new table).
    static func organisation(_ grid: Grid, above headerRow: UInt32) -> String? {
        for row in grid.rows where row.index < headerRow {
            for c in row.cells {
                let t = c.value.text.trimmingCharacters(in: .whitespacesAndNewlines)
                for label in ["单位：", "单位:", "填报单位：", "填报单位:"] where t.hasPrefix(label) {
                    let org = t.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
                    if !org.isEmpty { return org }
                }
            }
        }
        for label in ["主管部门", "实施单位"] {
            for row in grid.rows where row.index < headerRow {
                guard let i = row.cells.firstIndex(where: { key($0.value) == label }) else { continue }
                for c in row.cells[(i + 1)...] {
                    let t = c.value.text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !t.isEmpty { return t }
                }
            }
        }
        return nil
    }

    /// Whether a sheet looks like a 自评表 (a header with 年度指标值 and 实际完成值 next to indicator levels).
    public static func detect(_ grid: Grid) -> Bool { header(grid) != nil }

    static let weightInName = Rx("[(（]\\s*(\\d+(?:\\.\\d+)?)\\s*分\\s*[)）]")

    static func number(_ v: CellValue) -> Double? {
        switch v {
        case .number(let d): return d
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
                .replacingOccurrences(of: "分", with: "")
            return Double(t)
        default: return nil
        }
    }

    /// Reads the form.
    ///
    /// - Throws: `JixiaoError(.noTable)` when the sheet has no 年度指标值/实际完成值 header or no indicator row.
    public static func read(grid: Grid, file: String) throws -> Framework {
        let here = Location(file: file, sheet: grid.name)
        guard let (headerRow, map, levelCols) = header(grid) else {
            throw JixiaoError(.noTable, "no 自评表 header: expected 一级指标/二级指标/三级指标, 年度指标值, 实际完成值 / 未找到自评表表头", at: here)
        }
        func text(_ r: UInt32, _ c: UInt16?) -> String? {
            guard let c else { return nil }
            let t = grid[r, c].text.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        var roots: [Indicator] = []

        // Funds block: the row holding 全年预算数 and 全年执行数, and its 年度资金总额 row.
        var budgetLeaf: Indicator?
        for row in grid.rows where row.index < headerRow {
            var cols: [String: UInt16] = [:]
            for c in row.cells {
                let k = key(c.value)
                if k.hasPrefix("全年预算数") || k.hasPrefix("调整后预算数") { cols["budget"] = c.col }
                else if k.hasPrefix("全年执行数") || k.hasPrefix("全年实际执行数") || k.hasPrefix("实际执行数") || k.hasPrefix("全年支出数")
                    || k.hasPrefix("实际支出数") { cols["spent"] = c.col }
                else if k == "分值" || k == "标准分值" { cols["weight"] = c.col }
                else if k == "得分" || k == "评价得分" || k == "自评得分" { cols["score"] = c.col }
                else if k.hasPrefix("执行率") || k.hasPrefix("预算执行率") { cols["rate"] = c.col }
            }
            guard let bc = cols["budget"], let sc = cols["spent"] else { continue }
            // The 年度资金总额 row below, else the next row.
            var dataRow = row.index + 1
            for r in grid.rows where r.index > row.index && r.index < headerRow {
                if r.cells.contains(where: { key($0.value).contains("年度资金总额") }) { dataRow = r.index; break }
            }
            let weight = cols["weight"].flatMap { number(grid[dataRow, $0]) } ?? 10
            let nameCell = grid.row(at: dataRow)?.cells.first { key($0.value).contains("年度资金总额") }?.col ?? bc
            var leaf = Indicator(code: "A", name: "预算执行率", rawName: "预算执行率（年度资金总额）", level: 1,
                                 path: ["预算执行率"], weight: weight,
                                 score: cols["score"].flatMap { number(grid[dataRow, $0]) },
                                 criteria: "预算执行率=全年执行数/全年预算数；得分=预算执行率×分值",
                                 cell: here.with(cell: CellRef(row: dataRow, col: nameCell)),
                                 weightCell: cols["weight"].map { CellRef(row: dataRow, col: $0) },
                                 scoreCell: cols["score"].map { CellRef(row: dataRow, col: $0) })
            leaf.target = text(dataRow, bc)
            leaf.actual = text(dataRow, sc)
            if leaf.actual == nil, let rc = cols["rate"], let rate = text(dataRow, rc) {
                // 全年执行数 left blank, 执行率 filled in (92.25%): the rate is the value.
                leaf.actual = rate
                leaf.target = nil
            }
            budgetLeaf = leaf
            break
        }
        if let b = budgetLeaf { roots.append(b) }

        // Indicator block.
        var totals = Totals()
        var current: [Indicator?] = Array(repeating: nil, count: levelCols.count)
        let firstCode = roots.isEmpty ? 0 : 1
        var rootCount = 0
        func close(from level: Int) {
            // Attach finished nodes from the deepest up to `level`.
            var i = current.count - 1
            while i >= level {
                if let node = current[i] {
                    if i == 0 { roots.append(node) } else { current[i - 1]?.children.append(node) }
                    current[i] = nil
                }
                i -= 1
            }
        }
        for row in grid.rows where row.index > headerRow {
            let r = row.index
            let first = row.cells.first.map { key($0.value) } ?? ""
            if first.hasPrefix("总分") || first.hasPrefix("合计") || row.cells.contains(where: { key($0.value) == "总分" }) {
                totals.statedWeight = map["weight"].flatMap { number(grid[r, $0]) }
                totals.statedScore = map["score"].flatMap { number(grid[r, $0]) }
                totals.statedWeightCell = map["weight"].map { CellRef(row: r, col: $0) }
                totals.statedScoreCell = map["score"].map { CellRef(row: r, col: $0) }
                totals.row = r
                break
            }
            var started = false
            for (li, col) in levelCols.enumerated() {
                let ref = CellRef(row: r, col: col)
                // A merged cell continues its parent: only its top-left starts a node.
                if let m = grid.mergedRange(containing: ref), m.first.row != r { continue }
                guard let name = text(r, col) else { continue }
                // A parent repeated on every row (产出指标 on each of its rows) continues it too.
                if !started, li < levelCols.count - 1, current[li]?.rawName == name { continue }
                started = true
                close(from: li)
                let parentCode: String
                if li == 0 {
                    parentCode = String(UnicodeScalar(UInt8(65 + min(25, firstCode + rootCount))))
                    rootCount += 1
                } else {
                    let p = current[li - 1]
                    parentCode = (p?.code ?? "X") + String((p?.children.count ?? 0) + 1)
                }
                let stated = weightInName.first(name)?.double(1)
                let clean = weightInName.replace(name, "").trimmingCharacters(in: .whitespaces)
                let path = (0..<li).compactMap { current[$0]?.rawName } + [name]
                var node = Indicator(code: parentCode, name: clean, rawName: name, level: li + 1, path: path,
                                     statedWeight: stated, statedWeightUnit: stated == nil ? nil : .points,
                                     cell: here.with(cell: ref))
                // A leaf: at the last level, or a shallower row with no deeper level named (its name merged
                // across them, as jixiao convert writes the 预算执行率 row) that has a 分值.
                let deeperNamed = levelCols[(li + 1)...].contains { text(r, $0) != nil }
                let shallowLeaf = !deeperNamed && map["weight"].flatMap { number(grid[r, $0]) } != nil
                if li == levelCols.count - 1 || shallowLeaf {
                    node.weight = map["weight"].flatMap { number(grid[r, $0]) }
                    node.score = map["score"].flatMap { number(grid[r, $0]) }
                    node.target = text(r, map["target"])
                    node.actual = text(r, map["actual"])
                    node.note = text(r, map["note"])
                    node.criteria = text(r, map["criteria"])
                    node.weightCell = map["weight"].map { CellRef(row: r, col: $0) }
                    node.scoreCell = map["score"].map { CellRef(row: r, col: $0) }
                }
                current[li] = node
            }
        }
        close(from: 0)
        guard roots.contains(where: { $0.code != "A" || budgetLeaf == nil }) else {
            throw JixiaoError(.noTable, "the 自评表 header in row \(headerRow + 1) is followed by no indicator / 表头下没有指标",
                              at: here.with(cell: CellRef(row: headerRow, col: levelCols[0])))
        }
        var columns = ColumnMap()
        columns.levels = levelCols
        columns.weight = map["weight"]
        columns.score = map["score"]
        columns.target = map["target"]
        columns.actual = map["actual"]
        columns.note = map["note"]
        let title = grid.rows.first.flatMap { $0.cells.first?.value.text }
        var f = Framework(file: file, sheet: grid.name, title: title, levels: levelCols.count, roots: roots,
                          totals: totals, columns: columns, headerRow: headerRow)
        f.organisation = organisation(grid, above: headerRow)
        RollUp.apply(&f)
        return f
    }
}
