import Testing
import SheetCore
import TestSupport

@Suite struct GoldenGridTests {
    @Test func seedGoldensLoad() throws {
        let wb = try GridJSON.golden("seed002_department_framework.xlsx")
        let g = try #require(wb.sheets.first)
        #expect(g.name == "附件1")
        #expect(g[CellRef(a1: "C3")!] == .string("A11部门中长期规划目标的明确性与合理性（2分）"))
        #expect(g[CellRef(a1: "D42")!] == .number(96))
        #expect(g.mergedValue(at: CellRef(a1: "A5")!) == .string("昆明市盘龙区政务服务管理局部门决策（35分）"))
        #expect(g.merged.count == 15)
    }
}
