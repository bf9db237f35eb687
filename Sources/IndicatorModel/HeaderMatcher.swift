import SheetCore

/// Recognises the header row of an indicator table whatever its spelling: line breaks and spaces inside
/// (`一级\n指标`), full-width forms, units in brackets (`分值（分）`), synonyms (权重 for 分值, 评分细则 for 评分标准,
/// 指标说明 for 指标解释).
enum HeaderMatcher {
    enum Role: Hashable {
        case level(Int)
        case weight, score, explanation, criteria, source, target, actual, note
    }

    static let synonyms: [(Role, [String])] = [
        (.weight, ["分值", "权重", "权重分", "权重分值", "指标分值", "指标权重", "标准分", "标准分值", "分数", "满分", "分值权重", "指标分数", "满分值", "权数", "指标满分", "评分权重", "分值/权重", "权重/分值", "权重分数"]),
        (.score, ["得分", "评分", "自评得分", "自评分", "自评分数", "评价得分", "实际得分", "考核得分", "评分结果", "得分情况", "自评得分情况", "实得分", "自评分值", "得分值", "最终得分", "核定得分", "评审得分", "评价分数"]),
        (.explanation, ["指标解释", "指标说明", "指标内涵", "指标含义", "指标释义", "解释", "说明", "指标定义", "指标解释说明", "评价要点", "考核要点", "评分要点", "考核内容", "评价内容", "指标内容", "指标要点", "指标解释及说明", "指标定义及说明"]),
        (.criteria, ["评分标准", "评分细则", "指标评分细则", "评分办法", "评分方法", "评分规则", "计分方法", "评价标准", "评分依据", "评分标准及细则", "评分说明", "考核标准", "计分标准", "评分细则及标准", "评分标准及方法", "评分方法及标准", "评价标准及方法", "扣分标准", "计分办法", "考核评分标准", "打分标准", "考评标准"]),
        (.source, ["数据来源", "资料来源", "数据来源及佐证材料", "佐证材料", "评价依据", "数据来源(佐证材料)", "取证资料", "佐证资料", "证明材料", "证明资料", "核查资料", "备查资料", "支撑材料", "相关佐证材料", "佐证材料及数据来源", "数据来源及佐证资料", "评价依据及佐证材料"]),
        (.target, ["年度指标值", "指标值", "目标值", "年度目标值"]),
        (.actual, ["实际完成值", "完成值", "实际值", "全年实际完成值"]),
        (.note, ["偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "未完成原因分析"]),
    ]

    /// What may follow `一级` in a level's header (as keys): `一级指标`, `一级指标名称`, `一级指标及分值`.
    static let levelHeaderRests: Set<String> = [
        "指标", "指标名称", "指标内容", "指标及分值", "指标及权重", "指标及分数", "指标及标准分", "指标和分值", "指标和权重",
        "指标/分值", "指标/权重", "指标名称及分值", "指标名称及权重", "及分值", "及权重",
    ]

    static let levelDigits: [Unicode.Scalar: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4]

    /// Header texts already classified: every workbook of a batch repeats its header.
    private static let roles = SampledMemo<Role?>(capacity: 4096)

    /// The role of one header cell, or nil (memoised: a pure function of the text).
    static func role(of text: String) -> Role? {
        if tooLongForARole(text) { return nil }
        return roles.value(text) { roleUncached(of: text) }
    }

    /// The most scalars other than whitespace a header text with a role can have, when every scalar is a
    /// Character of its own: the longest name (11) and a dropped unit in brackets (`(` + 3 + `)`).
    static let longestRole = 16

    /// Whether the text is surely no header name: more than `longestRole` scalars other than whitespace, all of
    /// them Characters of their own (then Characters, scalars and canonical equivalence agree). Titles and notes
    /// above the header are such texts, and a new one in every workbook (no memo lookup, no miss).
    static func tooLongForARole(_ text: String) -> Bool {
        var n = 0
        for u in text.unicodeScalars {
            guard TextKit.isOwnCharacter(u) else { return false }
            if !TextKit.isSpace(u) { n += 1 }
        }
        return n > longestRole
    }

    static func roleUncached(of text: String) -> Role? {
        var k = TextKit.key(text)
        // Drop a trailing unit in brackets: 分值(分), 权重(%).
        if k.hasSuffix(")"), let open = k.lastIndex(of: "("), open != k.startIndex {
            let inner = k[k.index(after: open)..<k.index(before: k.endIndex)]
            if inner.count <= 3 { k = String(k[..<open]) }
        }
        // 一级指标, 一级, 1级指标, 一级指标名称.
        let scalars = Array(k.unicodeScalars)
        if scalars.count >= 2, let n = levelDigits[scalars[0]], scalars[1] == "级" {
            let rest = TextKit.string(scalars[2...])
            if rest.isEmpty || levelHeaderRests.contains(rest) { return .level(n) }
        }
        for (role, names) in synonyms where names.contains(k) { return role }
        return nil
    }

    /// The column map of a header row, when it names at least levels 1–3 in increasing columns.
    /// Cells are read through merges, so a header cell merged down from the row above still counts.
    static func match(_ grid: Grid, row: UInt32) -> ColumnMap? {
        guard let r = grid.row(at: row) else { return nil }
        // Levels 1–4 (index 0 unused).
        var levels = [UInt16?](repeating: nil, count: 5)
        var map = ColumnMap()
        // Every 分值 column: one per level (`一级指标 | 分值 | 二级指标 | 分值 | …`) is possible.
        var weights: [UInt16] = []
        func consider(_ col: UInt16, _ shown: CellValue) {
            guard let text = TextKit.text(shown), let role = role(of: text) else { return }
            switch role {
            case .level(let n): if levels[n] == nil { levels[n] = col }  // n is 1…4 (`levelDigits`)
            case .weight: if weights.last != col { weights.append(col) }
            case .score: if map.score == nil { map.score = col }
            case .explanation: if map.explanation == nil { map.explanation = col }
            case .criteria: if map.criteria == nil { map.criteria = col }
            case .source: if map.source == nil { map.source = col }
            case .target: if map.target == nil { map.target = col }
            case .actual: if map.actual == nil { map.actual = col }
            case .note: if map.note == nil { map.note = col }
            }
        }
        let rowMerges = grid.merged.filter { $0.first.row <= row && $0.last.row >= row }
        let cells = r.cells
        var strictlySorted = true
        if cells.count > 1 {
            for i in 1..<cells.count where cells[i - 1].col >= cells[i].col { strictlySorted = false; break }
        }
        if rowMerges.isEmpty && strictlySorted {
            // No merge over this row and one cell per column in order: each cell shows its own value.
            for c in cells { consider(c.col, c.value) }
        } else {
            var cols = Set(cells.map(\.col))
            for m in rowMerges where m.first.row < row && m.columnCount <= 64 {
                for c in m.first.col...m.last.col { cols.insert(c) }
            }
            // The merge shown at each column: narrow merges by column, wide ones (more than 64 columns) scanned.
            var narrow: [UInt16: CellRange] = Dictionary(
                minimumCapacity: rowMerges.reduce(0) { $0 + ($1.columnCount <= 64 ? Int($1.columnCount) : 0) })
            var wide: [CellRange] = []
            for m in rowMerges {
                if m.columnCount <= 64 {
                    for c in m.first.col...m.last.col where narrow[c] == nil { narrow[c] = m }
                } else {
                    wide.append(m)
                }
            }
            for col in cols.sorted() {
                let ref = CellRef(row: row, col: col)
                let cover = narrow[col] ?? wide.first { $0.contains(ref) }
                consider(col, cover.map { grid[$0.first] } ?? grid[ref])
            }
        }
        guard let l1 = levels[1], let l2 = levels[2], let l3 = levels[3], l1 < l2, l2 < l3 else { return nil }
        map.levels = [l1, l2, l3]
        if let l4 = levels[4], l4 > l3 { map.levels.append(l4) }
        assignWeights(weights, to: &map)
        return map
    }

    /// The leaves' 分值 is the first 分值 column after the deepest level (else one before the levels); a 分值 column
    /// between two levels is the left level's own (`levelWeights`).
    static func assignWeights(_ weights: [UInt16], to map: inout ColumnMap) {
        guard let deepest = map.levels.last, let first = map.levels.first else { return }
        var after: UInt16?, before: UInt16?
        var own = [UInt16?](repeating: nil, count: map.levels.count)
        for w in weights.sorted() {
            if w > deepest {
                if after == nil { after = w }
            } else if w < first {
                if before == nil { before = w }
            } else if let l = map.levels.lastIndex(where: { $0 < w }), own[l] == nil {
                own[l] = w
            }
        }
        map.weight = after ?? before
        if own.contains(where: { $0 != nil }) { map.levelWeights = own }
    }

    /// A unit written under a header cell: `（分）`, `(%)`, `分`, `%`, `（万元）`, `单位：分`.
    static func isUnit(_ t: String) -> Bool {
        var k = TextKit.key(t)
        if k.hasPrefix("单位:") { k.removeFirst(3) }
        if k.hasPrefix("("), k.hasSuffix(")"), k.count >= 3 { k = String(k.dropFirst().dropLast()) }
        return ["分", "%", "万元", "元", "个", "项"].contains(k)
    }

    /// Words of a second header row naming the indicator itself (`一级指标` over `名称 | 分值`).
    static let subHeaderNames: Set<String> = ["名称", "指标名称", "指标", "内容", "指标内容", "项目", "名称及内容"]

    /// The column map of a two-row header: `map` (the first row's, `row`) completed from the row below when that
    /// row only names parts of the columns above: `一级指标` over `名称 | 分值` gives level 1 its own 分值 column
    /// (`levelWeights`, the deepest level's becomes `weight`), and `自评情况` over `得分 | 扣分原因` the score.
    /// Nil when the next row is not such a row (it holds a number, or a text that names no column part).
    static func subHeader(_ grid: Grid, below row: UInt32, _ map: ColumnMap) -> ColumnMap? {
        guard row < UInt32.max, let next = grid.row(at: row + 1), let top = grid.row(at: row) else { return nil }
        // A value other than text anywhere in the row (the first indicator row's 分值) makes it no sub-header,
        // whatever its texts are: known before any of them is looked up.
        let onlyTexts = next.cells.withUnsafeBufferPointer { cells in
            cells.allSatisfy { c in
                switch c.value {
                case .empty, .string: return true
                default: return false
                }
            }
        }
        guard onlyTexts else { return nil }
        var parts: [(col: UInt16, role: Role?)] = []
        var units = false
        for c in next.cells {
            switch c.value {
            case .empty: continue
            case .string: break
            default: return nil
            }
            guard let t = TextKit.text(c.value) else { continue }
            if subHeaderNames.contains(TextKit.key(t)) { parts.append((c.col, nil)); continue }
            // A unit under a column (`（分）`, `%`, `(万元)`): nothing to map, but the row is still the header's.
            if isUnit(t) { units = true; continue }
            guard let role = role(of: t) else { return nil }
            if case .level = role { return nil }
            parts.append((c.col, role))
        }
        if parts.isEmpty && units { return map }
        guard !parts.isEmpty else { return nil }
        // Each level's columns: from its own up to the next column with a text of its own in the first row.
        let headed = top.cells.filter { TextKit.text($0.value) != nil }.map(\.col)
        func level(of col: UInt16) -> Int? {
            for (l, c) in map.levels.enumerated() where col >= c {
                let end = headed.first { $0 > c } ?? UInt16.max
                if col < end { return l }
            }
            return nil
        }
        var out = map
        if out.levelWeights.count != map.levels.count { out.levelWeights = [UInt16?](repeating: nil, count: map.levels.count) }
        var found = false
        for (col, role) in parts {
            let l = level(of: col)
            switch role {
            case nil:
                // The name's own column under a level (it may not be the merge's first column).
                guard let l else { return nil }
                out.levels[l] = col
                found = true
            case .weight?:
                if let l {
                    if l == map.levels.count - 1 { if map.weight == nil || map.weight == col { out.weight = col } }
                    else { out.levelWeights[l] = col }
                    found = true
                } else if out.weight == nil {
                    out.weight = col
                    found = true
                }
            case .score?: if out.score == nil { out.score = col; found = true }
            case .explanation?: if out.explanation == nil { out.explanation = col; found = true }
            case .criteria?: if out.criteria == nil { out.criteria = col; found = true }
            case .source?: if out.source == nil { out.source = col; found = true }
            case .target?: if out.target == nil { out.target = col; found = true }
            case .actual?: if out.actual == nil { out.actual = col; found = true }
            case .note?: if out.note == nil { out.note = col; found = true }
            case .level?: return nil
            }
        }
        guard found || units else { return nil }
        for i in 1..<out.levels.count where out.levels[i - 1] >= out.levels[i] { return nil }
        if out.levelWeights.allSatisfy({ $0 == nil }) { out.levelWeights = [] }
        return out
    }

    /// Words over the level columns in the row above a two-row header (`评价指标` over 一级/二级/三级指标).
    static let groupHeaderWords: Set<String> = ["评价指标", "绩效指标", "指标", "考核指标", "指标体系", "评价内容", "指标名称", "序号"]

    /// The most scalars of a `groupHeaderWords` word.
    static let longestGroupWord = groupHeaderWords.map { $0.unicodeScalars.count }.max()!

    /// `groupHeaderWords.contains(TextKit.key(text))`, without the key for a text that surely is none: more
    /// scalars other than whitespace than the longest word, all of them Characters of their own (a title).
    static func isGroupHeaderWord(_ text: String) -> Bool {
        var n = 0
        for u in text.unicodeScalars {
            guard TextKit.isOwnCharacter(u) else { return groupHeaderWords.contains(TextKit.key(text)) }
            if !TextKit.isSpace(u) { n += 1 }
        }
        return n <= longestGroupWord && groupHeaderWords.contains(TextKit.key(text))
    }

    /// The column map completed from the row above the header: in a two-row header without merges (a CSV, or a
    /// copy that lost them) `评价指标` stands over the levels and 分值, 得分, 评分标准… stand one row up, above
    /// empty cells. Their roles are taken when at least two such cells have one and the map lacks it.
    static func superHeader(_ grid: Grid, above row: UInt32, _ map: ColumnMap) -> ColumnMap? {
        guard row > 0, let above = grid.row(at: row - 1), let header = grid.row(at: row) else { return nil }
        var found: [(UInt16, Role)] = []
        for c in above.cells {
            guard let t = TextKit.text(c.value), TextKit.text(header.cell(at: c.col)?.value ?? .empty) == nil,
                  grid.mergedRange(containing: CellRef(row: row, col: c.col)) == nil,
                  let role = role(of: t) else { continue }
            if case .level = role { return nil }
            found.append((c.col, role))
        }
        guard found.count >= 2 else { return nil }
        var out = map
        var weights: [UInt16] = []
        for (col, role) in found {
            switch role {
            case .weight: weights.append(col)
            case .score: if out.score == nil { out.score = col }
            case .explanation: if out.explanation == nil { out.explanation = col }
            case .criteria: if out.criteria == nil { out.criteria = col }
            case .source: if out.source == nil { out.source = col }
            case .target: if out.target == nil { out.target = col }
            case .actual: if out.actual == nil { out.actual = col }
            case .note: if out.note == nil { out.note = col }
            case .level: return nil
            }
        }
        if map.weight == nil {
            // The leaves' 分值 from above; levels' own 分值 columns found in the header row stay.
            var w = out
            assignWeights(weights, to: &w)
            out.weight = w.weight
            if out.levelWeights.isEmpty { out.levelWeights = w.levelWeights }
        }
        return out == map ? nil : out
    }

    /// What a header must look like, for the no-table error.
    static let expectation = "a header row naming 一级指标, 二级指标, 三级指标 (and 四级指标, 分值/权重, 得分, 指标解释, 评分标准, 数据来源)"
}
