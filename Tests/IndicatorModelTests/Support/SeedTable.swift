import Foundation
import TestSupport

/// The indicator table of a seed document as the document writes it (Fixtures/golden/check/*_source_table.txt,
/// copied from the seed text): every cell starts a line with a tab, lines without a tab continue the cell, an
/// empty line ends the row, a blank cell continues its parent. Read independently of the normaliser, so that
/// the golden tests compare the normaliser against the document rather than against itself.
struct SeedTable {
    struct Leaf {
        var code: String
        var path: [String]
        var weight: Double?
        var score: Double?
        var explanation: String?
        var criteria: String?
        var source: String?
    }

    var title: String
    var levels: Int
    var leaves: [Leaf]
    var statedWeight: Double?
    var statedScore: Double?

    static func load(_ name: String) throws -> SeedTable {
        let text = try String(contentsOf: Fixtures.url("golden/check/\(name)_source_table.txt"), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let title = trim(lines.removeFirst())
        var rows: [[String]] = []
        var row: [String] = []
        for line in lines {
            if line.isEmpty {
                if !row.isEmpty { rows.append(row); row = [] }
            } else if line.hasPrefix("\t") {
                row.append(String(line.dropFirst()))
            } else if !row.isEmpty {
                row[row.count - 1] += "\n" + line
            }
        }
        if !row.isEmpty { rows.append(row) }
        let header = rows.removeFirst().map { $0.replacingOccurrences(of: "\n", with: "") }
        func column(_ names: String...) -> Int? { header.firstIndex { names.contains($0) } }
        let levels = header.filter { $0.hasSuffix("级指标") }.count
        let weightCol = column("分值"), scoreCol = column("得分")
        let explanationCol = column("指标解释"), criteriaCol = column("评分标准", "指标评分细则"), sourceCol = column("数据来源")
        var path = [String](repeating: "", count: levels)
        var leaves: [Leaf] = []
        var table = SeedTable(title: title, levels: levels, leaves: [])
        for r in rows {
            let cells = r.map(trim)
            if cells.first == "合计" {
                table.statedScore = scoreCol.flatMap { number(cells[$0]) }
                // The stated weight: the 分值 cell, or (no 分值 column) the cell written in 分.
                if let w = weightCol { table.statedWeight = number(cells[w]) } else {
                    table.statedWeight = cells.indices.first { $0 != scoreCol && cells[$0].hasSuffix("分") }.flatMap { number(cells[$0]) }
                }
                break
            }
            var deepest = -1
            for l in 0..<levels where !cells[l].isEmpty {
                path[l] = cells[l]
                for k in (l + 1)..<levels { path[k] = "" }
                deepest = l
            }
            guard deepest >= 0 else { continue }
            let leafPath = Array(path[0...deepest])
            let name = leafPath.last!
            let code = String(name.prefix { $0.isASCII && ($0.isUppercase || $0.isNumber) })
            let weight = weightCol.flatMap { number(cells[$0]) } ?? weightInName(name)
            func opt(_ c: Int?) -> String? { c.flatMap { cells[$0].isEmpty ? nil : cells[$0] } }
            leaves.append(Leaf(code: code, path: leafPath, weight: weight, score: scoreCol.flatMap { number(cells[$0]) },
                               explanation: opt(explanationCol), criteria: opt(criteriaCol), source: opt(sourceCol)))
        }
        table.leaves = leaves
        return table
    }

    /// Trims spaces, U+3000 and line breaks at both ends; drops the docx bookmark artefact `[bookmark: _GoBack]`.
    static func trim(_ s: String) -> String {
        var t = s.replacingOccurrences(of: "[bookmark: _GoBack]", with: "")
        t = t.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{3000}")))
        return t
    }

    /// `100分`, `99分`, `2`, `100%`.
    static func number(_ s: String) -> Double? {
        var t = trim(s)
        if t.hasSuffix("分") || t.hasSuffix("%") { t.removeLast() }
        return Double(t)
    }

    /// `A11部门中长期规划目标的明确性与合理性（2分）` → 2.
    static func weightInName(_ name: String) -> Double? {
        guard let r = name.range(of: "（[0-9.]+分）", options: .regularExpression) else { return nil }
        return Double(name[r].dropFirst().dropLast(2))
    }
}
