import Testing
import SheetCore
@testable import IndicatorModel

/// The 项目支出绩效自评表 shape: a preamble of labelled cells, a two-row header (绩效指标 over the levels,
/// 年度指标值/实际完成值/分值/得分 merged down), indicators without codes, a 总分 row.
struct SelfEvaluationFormTests {
    static func grid() -> Grid {
        func s(_ t: String) -> CellValue { t.isEmpty ? .empty : .string(t) }
        let rows: [[String]] = [
            ["项目支出绩效自评表", "", "", "", "", "", "", ""],
            ["（2023年度）", "", "", "", "", "", "", ""],
            ["项目名称", "辅助性岗位工作人员薪酬专项经费", "", "", "", "", "", ""],
            ["主管部门", "昆明市盘龙区政务服务管理局", "", "实施单位", "区政务服务局", "", "", ""],
            ["绩效指标", "", "", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["一级指标", "二级指标", "三级指标", "", "", "", "", ""],
            ["产出指标", "数量指标", "配置人数", "127人", "127人", "20", "20", ""],
            ["", "", "工资发放月数", "13个月", "13个月", "20", "20", ""],
            ["", "质量指标", "考核合格率", "≥95%", "93%", "20", "18", "个别人员考核未达标"],
            ["效益指标", "社会效益指标", "政务服务正常运转", "正常", "正常", "20", "20", ""],
            ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "96%", "20", "20", ""],
            ["总分", "", "", "", "", "100", "98", ""],
        ]
        let merged = ["A5:C5", "D5:D6", "E5:E6", "F5:F6", "G5:G6", "H5:H6", "A7:A9", "B7:B8"].compactMap { CellRange(a1: $0) }
        return Grid(name: "自评表", values: rows.map { $0.map(s) }, merged: merged)
    }

    @Test func readsTheForm() throws {
        let f = try Normaliser.normalise(Self.grid(), file: "自评表.xlsx")
        #expect(f.title == "项目支出绩效自评表")
        #expect(f.organisation == "昆明市盘龙区政务服务管理局")
        #expect(f.headerRow == 5)
        #expect(f.columns.target == 3 && f.columns.actual == 4 && f.columns.weight == 5 && f.columns.score == 6 && f.columns.note == 7)
        #expect(f.allNodes.map(\.code) == ["A", "A1", "A11", "A12", "A2", "A21", "B", "B1", "B11", "C", "C1", "C11"])
        let leaf = try #require(f.leaves.first { $0.name == "考核合格率" })
        #expect(leaf.target == "≥95%" && leaf.actual == "93%" && leaf.note == "个别人员考核未达标")
        #expect(leaf.weight == 20 && leaf.score == 18 && leaf.scoreCell?.a1 == "G9")
        #expect(f.totals.statedWeight == 100 && f.totals.statedScore == 98 && f.totals.score == 98)
        #expect(Validator.validate(f).isEmpty)
    }
}
