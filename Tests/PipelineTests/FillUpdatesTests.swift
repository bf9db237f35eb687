import IndicatorModel
import SheetCore
import Testing
import TestSupport
import XLSXFormat
@testable import Pipeline

/// The updates a score fill makes, computed from the golden grids (no XLSX reading involved).
@Suite struct FillUpdatesTests {
    func framework(_ fixture: String) throws -> (Framework, Grid) {
        let wb = try GridJSON.golden(fixture)
        let f = try Normaliser.frameworks(in: wb, sheet: nil)
        return (f, wb.sheet(named: f.sheet)!)
    }

    /// Gives every leaf a score (weight minus a little on every third) and rolls up.
    func scored(_ f: Framework) -> Framework {
        var f = f
        var n = 0
        func walk(_ node: inout Indicator) {
            if node.children.isEmpty {
                n += 1
                node.score = (node.weight ?? 0) - (n % 3 == 0 ? 0.5 : 0)
            } else {
                for i in node.children.indices { walk(&node.children[i]) }
            }
        }
        for i in f.roots.indices { walk(&f.roots[i]) }
        RollUp.apply(&f)
        return f
    }

    @Test func seed000LeavesAndTextTotal() throws {
        let (f0, grid) = try framework("seed000_project_framework_blank.xlsx")
        let f = scored(f0)
        let updates = ScoreFill.updates(framework: f, original: grid, formulas: false)
        let leaves = f.leaves
        #expect(leaves.count > 20)
        // Every leaf's score cell, in column F (得分), with its score.
        for leaf in leaves {
            let u = updates.first { $0.ref == leaf.scoreCell }
            #expect(u?.value == .number(leaf.score!), "leaf \(leaf.code)")
            #expect(u?.ref.col == 5)
        }
        // The 合计 score cell F35 is empty in the blank table; it takes the text form of E35 ("100分").
        let total = try #require(f.totals.score)
        let t = try #require(updates.first { $0.ref == CellRef(a1: "F35") })
        #expect(t.value == .string(ScoreFill.numberText(total) + "分"))
        #expect(t.formula == nil)
        #expect(updates.count == leaves.count + 1)
    }

    @Test func seed000Formulas() throws {
        let (f0, grid) = try framework("seed000_project_framework_blank.xlsx")
        let f = scored(f0)
        let updates = ScoreFill.updates(framework: f, original: grid, formulas: true)
        let t = try #require(updates.first { $0.ref == CellRef(a1: "F35") })
        #expect(t.formula == #"ROUND(SUM(F3:F34),2)&"分""#)
        // Leaves stay plain numbers.
        #expect(updates.filter { $0.formula != nil }.count == 1)
    }

    @Test func seed002NumericTotalAndFormula() throws {
        let (f0, grid) = try framework("seed002_department_framework.xlsx")
        let f = scored(f0)
        #expect(f.totals.statedScoreCell == CellRef(a1: "D42"))
        let plain = ScoreFill.updates(framework: f, original: grid, formulas: false)
        let t = try #require(plain.first { $0.ref == CellRef(a1: "D42") })
        #expect(t.value == .number(f.totals.score!))
        let live = ScoreFill.updates(framework: f, original: grid, formulas: true)
        let tf = try #require(live.first { $0.ref == CellRef(a1: "D42") })
        #expect(tf.formula == "SUM(D3:D41)")
    }

    @Test func unscoredLeavesAreLeftAlone() throws {
        let (f, grid) = try framework("seed000_project_framework_blank.xlsx")
        #expect(ScoreFill.updates(framework: f, original: grid, formulas: false).isEmpty)
    }

    @Test func parentsWithScoreCellsGetSums() {
        let leaf1 = Indicator(code: "A11", name: "x", level: 2, weight: 2, score: 1.5, scoreCell: CellRef(a1: "D4"))
        let leaf2 = Indicator(code: "A12", name: "y", level: 2, weight: 3, score: 3, scoreCell: CellRef(a1: "D5"))
        let leaf3 = Indicator(code: "A13", name: "z", level: 2, weight: 3, score: 2, scoreCell: CellRef(a1: "D7"))
        var parent = Indicator(code: "A", name: "p", level: 1, scoreCell: CellRef(a1: "D3"), children: [leaf1, leaf2, leaf3])
        parent.score = 6.5
        var f = Framework(file: "t.xlsx", sheet: "S", levels: 2, roots: [parent])
        f.totals.score = 6.5
        f.totals.statedScoreCell = CellRef(a1: "D9")
        let grid = Grid(name: "S", values: [])
        let u = ScoreFill.updates(framework: f, original: grid, formulas: true)
        #expect(u.first { $0.ref == CellRef(a1: "D3") }?.formula == "SUM(D4:D5,D7)")
        #expect(u.first { $0.ref == CellRef(a1: "D3") }?.value == .number(6.5))
        #expect(u.first { $0.ref == CellRef(a1: "D9") }?.formula == "SUM(D4:D5,D7)")
    }

    @Test func outlineParentsGetTheirOwnRowsScoreCell() throws {
        // Parents on rows of their own (一级 above its 二级 above the leaves, 分值 on each row): the normaliser
        // records the 分值 there as the parent's weight cell; the parent's score goes to the score column of that
        // row (the 合计 formula of such tables often adds those cells: =E3+E9).
        let grid = Grid(name: "S", values: [
            [.string("财政支出绩效评价指标体系")],
            [.string("一级指标"), .string("二级指标"), .string("三级指标"), .string("分值"), .string("得分")],
            [.string("A 投入（20分）"), .empty, .empty, .number(20)],
            [.empty, .string("A1 预算编制（10分）"), .empty, .number(10)],
            [.empty, .empty, .string("A11 预算编制科学性"), .number(5)],
            [.empty, .empty, .string("A12 目标明确性"), .number(5)],
            [.empty, .string("A2 资金落实（10分）"), .empty, .number(10)],
            [.empty, .empty, .string("A21 资金到位率"), .number(10)],
            [.string("合计"), .empty, .empty, .number(20)],
        ])
        let f = scored(try Normaliser.normalise(grid, file: "t.xlsx"))
        let plain = ScoreFill.updates(framework: f, original: grid, formulas: false)
        #expect(plain.map(\.ref.a1) == ["E3", "E4", "E5", "E6", "E7", "E8", "E9"])
        #expect(plain.first { $0.ref.a1 == "E3" }?.value == .number(19.5))
        #expect(plain.first { $0.ref.a1 == "E7" }?.value == .number(9.5))
        let live = ScoreFill.updates(framework: f, original: grid, formulas: true)
        #expect(live.first { $0.ref.a1 == "E3" }?.formula == "SUM(E4,E7)")
        #expect(live.first { $0.ref.a1 == "E4" }?.formula == "SUM(E5:E6)")
        #expect(live.first { $0.ref.a1 == "E5" }?.formula == nil)
    }

    @Test func numberAffixesAndText() {
        #expect(ScoreFill.numberAffixes("99分")! == ("", "分"))
        #expect(ScoreFill.numberAffixes("合计：98.5 分")! == ("合计：", " 分"))
        #expect(ScoreFill.numberAffixes("得分") == nil)
        #expect(ScoreFill.numberAffixes("1-2分") == nil)
        #expect(ScoreFill.numberText(86.666666) == "86.67")
        #expect(ScoreFill.numberText(99) == "99")
        #expect(ScoreFill.quoted(#"a"b"#) == #""a""b""#)
    }

    @Test func sumFormulaSplitsLongLists() {
        let cells = (0..<600).map { CellRef(row: UInt32($0 * 2), col: 1) }
        let f = ScoreFill.sumFormula(cells)
        #expect(f.hasPrefix("SUM(SUM(B1,B3"))
        #expect(f.components(separatedBy: "SUM(").count - 1 == 4)
    }

    @Test func findingsSheetRowsAndLinks() throws {
        let (f0, _) = try framework("seed000_project_framework_blank.xlsx")
        let f = scored(f0)
        let findings = [
            Finding(.warning, rule: "score-missing", code: "A111", at: Location(file: "x.xlsx", sheet: "附件2", cell: CellRef(a1: "F3")), "缺少得分"),
            Finding(.error, rule: "weight-sum", at: Location(file: "x.xlsx", sheet: "附件2", cell: CellRef(a1: "E35")), "分值合计不是100"),
            Finding(.info, rule: "note", "无位置"),
        ]
        let sheet = ScoreFill.findingsSheet(findings, framework: f)
        #expect(sheet.name == "校验结果")
        #expect(sheet.rows[1][0] == .string("错误") && sheet.rows[1][3] == .string("附件2!E35"))
        #expect(sheet.rows[2][1] == .string("score-missing") && sheet.rows[2][2] == .string("A111"))
        #expect(sheet.links.map(\.location) == ["'附件2'!E35", "'附件2'!F3"])
        #expect(sheet.links.map(\.ref.a1) == ["D2", "D3"])
        #expect(sheet.rows.last?.first == .string("总分"))
    }

    /// A cell that already holds the value an update would give it is not updated: seed000's scores and 合计
    /// are right (no update at all); seed002's 合计 states 96 where its scores sum to 97 (that cell only).
    /// Lowering one leaf brings back its cell and the total; with formulas, the total's formula is written.
    @Test(arguments: ["seed000_project_framework.xlsx", "seed002_department_framework.xlsx"])
    func cellsThatAlreadyHoldTheirValueAreLeftAlone(_ fixture: String) throws {
        let (f0, grid) = try framework(fixture)
        var f = f0
        RollUp.apply(&f)
        let needed = ScoreFill.updates(framework: f, original: grid, formulas: false)
        #expect(needed.map(\.ref.a1) == (fixture.hasPrefix("seed000") ? [] : ["D42"]))
        for u in needed { #expect(grid[u.ref] != u.value, "\(u.ref.a1)") }
        // Every leaf with a score is either updated or already shows that score.
        for leaf in f.leaves {
            guard let cell = leaf.scoreCell, let score = leaf.score else { continue }
            #expect(needed.contains { $0.ref == cell } || grid[cell] == .number(score), "\(leaf.code)")
        }

        var g = f
        func lower(_ node: inout Indicator) -> Bool {
            if node.children.isEmpty {
                guard let s = node.score, s >= 0.5, node.scoreCell != nil else { return false }
                node.score = s - 0.5
                return true
            }
            for i in node.children.indices where lower(&node.children[i]) { return true }
            return false
        }
        #expect(g.roots.indices.contains { lower(&g.roots[$0]) })
        RollUp.apply(&g)
        let after = ScoreFill.updates(framework: g, original: grid, formulas: false)
        let changedLeaf = try #require(zip(f.leaves, g.leaves).first { $0.score != $1.score }?.1)
        #expect(after.contains { $0.ref == changedLeaf.scoreCell && $0.value == .number(changedLeaf.score!) })
        let total = try #require(ScoreFill.totalScoreCell(g, grid))
        #expect(after.contains { $0.ref == total })
        for u in after { #expect(grid[u.ref] != u.value, "\(u.ref.a1)") }

        // Formulas are always written: the grid does not say whether a cell already holds that formula.
        let withFormulas = ScoreFill.updates(framework: f, original: grid, formulas: true)
        #expect(withFormulas.contains { $0.ref == total && $0.formula != nil })
    }
}
