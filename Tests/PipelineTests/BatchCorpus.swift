import CSVFormat
import Foundation
import SheetCore
import TestSupport
import XLSXFormat


/// A seed indicator table taken apart: its title and header rows, one filled-down row per leaf (the level
/// cells carry their parents' names, as if the merged cells were unmerged), and the 合计 row.
struct SeedTable {
    var sheetName: String
    var title: [CellValue]
    var header: [CellValue]
    var levelCols: [Int]
    var weightCol: Int?
    var scoreCol: Int
    var leaves: [[CellValue]]
    var total: [CellValue]
    var width: Int

    /// Reads a golden grid (the independent reader's view of a fixture).
    init(golden name: String) throws {
        let wb = try GridJSON.golden(name)
        let g = wb.sheets[0]
        sheetName = g.name
        guard let used = g.usedRange else { throw JixiaoError(.noTable, "empty golden \(name)") }
        let w = Int(used.last.col) + 1
        func rowValues(_ r: UInt32) -> [CellValue] { (0..<w).map { g.mergedValue(at: CellRef(row: r, col: UInt16($0))) } }
        func text(_ v: CellValue) -> String { v.text.replacingOccurrences(of: "\n", with: "") }
        guard let headerRow = (used.first.row...used.last.row).first(where: { r in rowValues(r).contains { text($0) == "得分" } }),
              let totalRow = (headerRow...used.last.row).first(where: { text(g[$0, 0]).hasPrefix("合计") }) else {
            throw JixiaoError(.noTable, "no header or total row in \(name)")
        }
        let head = (0..<w).map { g[headerRow, UInt16($0)] }
        let h = head.map(text)
        let levels = h.indices.filter { h[$0].hasSuffix("级指标") }
        width = w
        header = head
        levelCols = levels
        weightCol = h.firstIndex(of: "分值")
        scoreCol = h.firstIndex(of: "得分")!
        title = (0..<w).map { g[headerRow - 1, UInt16($0)] }
        leaves = (headerRow + 1..<totalRow).map { r in
            (0..<w).map { c in levels.contains(c) ? g.mergedValue(at: CellRef(row: r, col: UInt16(c))) : g[r, UInt16(c)] }
        }
        total = (0..<w).map { g[totalRow, UInt16($0)] }
    }

    /// A leaf's weight: the 分值 column, else the points stated in its deepest name (`A11…（2分）`).
    func weight(_ leaf: [CellValue]) -> Double? {
        if let c = weightCol, case .number(let w) = leaf[c] { return w }
        guard let name = levelCols.reversed().map({ leaf[$0].text }).first(where: { !$0.isEmpty }),
              let m = name.range(of: "（[0-9.]+分）", options: .regularExpression) else { return nil }
        return Double(name[m].dropFirst().dropLast(2))
    }

    func score(_ leaf: [CellValue]) -> Double? {
        if case .number(let s) = leaf[scoreCol] { return s }
        return nil
    }
}

/// One way to vary a seed table.
enum Variation: String, CaseIterable {
    /// Level-1 and level-2 blocks shuffled; numbers untouched.
    case reordered
    /// Some leaf scores changed (within their weights); the 合计 score follows.
    case rescored
    /// Rescored, but the 合计 score is left stating something else.
    case wrongTotal
    /// One leaf scored above its weight.
    case scoreAboveWeight
    /// One leaf's weight changed (the parents' stated weights no longer add up).
    case weightChanged
    /// The 得分 column emptied.
    case noScores
}

/// Builds varied indicator tables from the seeds and writes them as XLSX (merged parent cells) or CSV.
struct BatchCorpus {
    var rng: SeededRNG
    let seeds: [SeedTable]

    init(seed: UInt64) throws {
        rng = SeededRNG(seed: seed)
        seeds = [try SeedTable(golden: "seed000_project_framework.xlsx"),
                 try SeedTable(golden: "seed002_department_framework.xlsx")]
    }

    /// The leaves with level-1 blocks, and level-2 blocks inside each, in a random order.
    mutating func reorder(_ t: SeedTable) -> [[CellValue]] {
        func blocks(_ rows: [[CellValue]], col: Int) -> [[[CellValue]]] {
            var out: [[[CellValue]]] = []
            for r in rows {
                if let last = out.last?.last, last[col] == r[col] { out[out.count - 1].append(r) } else { out.append([r]) }
            }
            return out
        }
        var level1 = blocks(t.leaves, col: t.levelCols[0])
        level1.shuffle(using: &rng)
        return level1.flatMap { b -> [[CellValue]] in
            var level2 = blocks(b, col: t.levelCols[1])
            level2.shuffle(using: &rng)
            return level2.flatMap { $0 }
        }
    }

    /// A varied table as a grid: title, header, leaves with merged parent cells, 合计; at an offset.
    mutating func grid(_ t: SeedTable, _ v: Variation, offset: (rows: UInt32, cols: UInt16)) -> Grid {
        var leaves = rng.next() % 2 == 0 || v == .reordered ? reorder(t) : t.leaves
        var total = t.total
        let scored = leaves.indices.filter { t.score(leaves[$0]) != nil && t.weight(leaves[$0]) != nil }
        func sumScores() -> Double { leaves.compactMap { t.score($0) }.reduce(0, +) }
        switch v {
        case .reordered: break
        case .rescored, .wrongTotal:
            for i in scored where rng.next() % 3 == 0 {
                let w = t.weight(leaves[i])!
                leaves[i][t.scoreCol] = .number(Double(rng.next() % UInt64(w * 2 + 1)) / 2)
            }
            total[t.scoreCol] = .number(sumScores() + (v == .wrongTotal ? Double(1 + rng.next() % 5) : 0))
        case .scoreAboveWeight:
            let i = scored.randomElement(using: &rng)!
            leaves[i][t.scoreCol] = .number(t.weight(leaves[i])! + 1)
            total[t.scoreCol] = .number(sumScores())
        case .weightChanged:
            if let c = t.weightCol {
                let i = scored.randomElement(using: &rng)!
                leaves[i][c] = .number(t.weight(leaves[i])! + 2)
            } else {
                // Weights live in the names: restate one leaf's points.
                let i = scored.randomElement(using: &rng)!
                let c = t.levelCols.last!
                let w = t.weight(leaves[i])!
                leaves[i][c] = .string(leaves[i][c].text.replacingOccurrences(of: "（\(CellValue.format(w))分）",
                                                                              with: "（\(CellValue.format(w + 2))分）"))
            }
        case .noScores:
            for i in leaves.indices { leaves[i][t.scoreCol] = .empty }
            total[t.scoreCol] = .empty
        }

        var rows: [[CellValue]] = [t.title, t.header]
        var merged: [CellRange] = []
        let first = UInt32(rows.count)
        // Parent cells: one value per run of equal paths, merged down the run.
        var body = leaves
        for (k, c) in t.levelCols.enumerated() {
            var start = 0
            while start < leaves.count {
                var end = start
                let key = t.levelCols[0...k].map { leaves[start][$0] }
                while end + 1 < leaves.count && t.levelCols[0...k].map({ leaves[end + 1][$0] }) == key { end += 1 }
                if !leaves[start][c].isEmpty {
                    if end > start {
                        for r in (start + 1)...end { body[r][c] = .empty }
                        merged.append(CellRange(first: CellRef(row: first + UInt32(start) + offset.rows, col: UInt16(c) + offset.cols),
                                                last: CellRef(row: first + UInt32(end) + offset.rows, col: UInt16(c) + offset.cols)))
                    }
                }
                start = end + 1
            }
        }
        rows += body
        rows.append(total)
        merged.append(CellRange(first: CellRef(row: offset.rows, col: offset.cols),
                                last: CellRef(row: offset.rows, col: offset.cols + UInt16(t.width - 1))))
        var g = Grid(name: t.sheetName, values: [])
        for (i, r) in rows.enumerated() {
            for (j, v) in r.enumerated() where !v.isEmpty {
                g.set(CellRef(row: UInt32(i) + offset.rows, col: UInt16(j) + offset.cols), v)
            }
        }
        if offset.rows > 0 { g.set(CellRef(row: 0, col: 0), .string("填报单位：第\(offset.rows)部门（盖章）")) }
        g.merged = merged.sorted()
        return g
    }

    static func xlsx(_ g: Grid) throws -> [UInt8] {
        let w = XLSXWriter()
        try w.addSheet(g)
        return try w.finish()
    }

    static func csv(_ g: Grid, _ encoding: CSVEncoding) throws -> [UInt8] {
        try CSVWriter(encoding: encoding).write(g)
    }

    /// Writes `count` varied tables into nested folders under `root`, plus a dozen broken files; returns the
    /// relative paths written (inputs only) and which of them are broken.
    mutating func write(count: Int, into root: URL) throws -> (inputs: [String], broken: Set<String>) {
        let fm = FileManager.default
        var inputs: [String] = []
        func put(_ rel: String, _ bytes: [UInt8]) throws {
            let url = root.appendingPathComponent(rel)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
            inputs.append(rel)
        }
        let regions = ["城区", "郊区", "开发区"]
        let departments = ["教育局", "卫健委", "财政局", "政务服务管理局", "水务局"]
        for i in 0..<count {
            let seedIndex = i % seeds.count
            let t = seeds[seedIndex]
            let v = Variation.allCases[Int(rng.next() % UInt64(Variation.allCases.count))]
            let offset = rng.next() % 4 == 0 ? (UInt32(1 + rng.next() % 3), UInt16(rng.next() % 3)) : (UInt32(0), UInt16(0))
            let g = grid(t, v, offset: offset)
            let folder = "\(regions[i % regions.count])/\(departments[(i / 3) % departments.count])"
            let stem = String(format: "%03d_%@_%@", i, seedIndex == 0 ? "项目" : "部门", v.rawValue)
            switch rng.next() % 4 {
            case 0: try put("\(folder)/\(stem).csv", try Self.csv(g, seedIndex == 0 ? .utf8BOM : .gbk))
            default: try put("\(folder)/\(stem).xlsx", try Self.xlsx(g))
            }
        }
        // Broken inputs.
        var broken = Set<String>()
        func bad(_ rel: String, _ bytes: [UInt8]) throws { try put(rel, bytes); broken.insert(rel) }
        let good = try Self.xlsx(grid(seeds[0], .reordered, offset: (0, 0)))
        try bad("坏文件/truncated.xlsx", Array(good.prefix(good.count * 3 / 5)))
        try bad("坏文件/random.xlsx", (0..<4000).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        try bad("坏文件/ole_encrypted.xlsx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + (0..<4088).map { _ in UInt8(0) })
        try bad("坏文件/empty.xlsx", [])
        try bad("坏文件/empty.csv", [])
        try bad("坏文件/text_named.xlsx", Array("this is not a workbook\n".utf8))
        let noHeader = Grid(name: "Sheet1", values: [[.string("部门"), .string("金额")], [.string("教育局"), .number(100)]])
        try bad("坏文件/no_header.xlsx", try Self.xlsx(noHeader))
        try bad("坏文件/no_header.csv", try Self.csv(noHeader, .utf8BOM))
        try bad("坏文件/unterminated_quote.csv", Array("一级指标,二级指标,三级指标,分值,得分\n\"A.决策,A1.目标,A11,5,5\n".utf8))
        for name in ["bad_crc_zip.xlsx", "encrypted_entry_zip.xlsx", "truncated_in_directory_zip.xlsx", "zip_ole_encrypted.xlsx"] {
            try bad("坏文件/fixtures/\(name)", [UInt8](try Fixtures.data("bad/\(name)")))
        }
        // Not inputs: an Excel lock file, a hidden file, other extensions.
        try Data(good).write(to: root.appendingPathComponent("城区/~$000_项目_reordered.xlsx"))
        try Data(good).write(to: root.appendingPathComponent("郊区/.hidden.xlsx"))
        try Data("notes".utf8).write(to: root.appendingPathComponent("城区/说明.txt"))
        return (inputs, broken)
    }
}
