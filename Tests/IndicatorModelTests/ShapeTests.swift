import Testing
import SheetCore
import TestSupport
@testable import IndicatorModel

/// The other shapes real tables come in, built from the seed tables, normalise to the same model.
struct ShapeTests {
    /// What must not change between shapes: codes, names, levels, weights, scores, texts, stated weights.
    struct Projection: Equatable, CustomStringConvertible {
        var nodes: [String]
        var totals: [Double?]
        var title: String?
        var organisation: String?
        var description: String { nodes.joined(separator: "\n") }

        init(_ f: Framework, paths: Bool = true) {
            nodes = f.allNodes.map { n in
                var s = "\(n.code)|\(n.name)|\(n.level)|\(n.statedWeight.map { "\($0)" } ?? "-")|\(n.weight.map { "\($0)" } ?? "-")|\(n.score.map { "\($0)" } ?? "-")"
                s += "|\(n.explanation ?? "")|\(n.criteria ?? "")|\(n.source ?? "")|\(n.children.count)"
                if paths { s += "|" + n.path.joined(separator: "/") }
                return s
            }
            totals = [f.totals.weight, f.totals.score, f.totals.statedWeight, f.totals.statedScore]
            title = f.title
            organisation = f.organisation
        }
    }

    static let seeds = ["seed000_project_framework.xlsx", "seed002_department_framework.xlsx"]

    func seed(_ name: String) throws -> (Grid, Framework) {
        let wb = try GridJSON.golden(name)
        return (wb.sheets[0], try Normaliser.frameworks(in: wb, sheet: nil))
    }

    func normalise(_ grids: [Grid], file: String = "shape.xlsx", sheet: String? = nil) throws -> Framework {
        try Normaliser.frameworks(in: Workbook(file: file, sheets: grids), sheet: sheet)
    }

    @Test(arguments: seeds)
    func offsetTableWithNotesAndMargin(_ name: String) throws {
        let (g, want) = try seed(name)
        var moved = GridEdit.offset(g, rows: 4, cols: 2)
        // A sheet label above the title, a unit line between title and header, a note under 合计.
        let totalsRow = want.totals.row! + 4
        moved = GridEdit.with(moved, [(0, 0, .string("表3")), (3, 6, .string("单位：分")),
                                      (totalsRow + 2, 2, .string("注：本表由评价小组填写。"))])
        #expect(moved[3, 6] == .string("单位：分") && moved[4, 2] == g[0, 0])
        let got = try normalise([moved])
        #expect(got.headerRow == want.headerRow! + 4)
        #expect(got.columns.levels == want.columns.levels.map { $0 + 2 })
        #expect(got.organisation == want.organisation)
        #expect(Projection(got) == Projection(want))
        #expect(got.leaves.first?.cell?.cell == want.leaves.first?.cell?.cell.map { CellRef(row: $0.row + 4, col: $0.col + 2) })
        #expect(summary(Validator.validate(got)) == summary(Validator.validate(want)))
    }

    @Test(arguments: seeds)
    func coverSheetBeforeTheTable(_ name: String) throws {
        let (g, want) = try seed(name)
        let cover = Grid(name: "封面", values: [
            [.string("辅助性岗位工作人员薪酬专项经费")], [.string("项目支出绩效自评报告")], [],
            [.string("一级指标"), .string("说明")], [.string("填报单位：昆明市盘龙区政务服务管理局")],
        ])
        var hidden = Grid(name: "数据", values: [[.string("一级指标"), .string("二级指标"), .string("三级指标")], [.string("x")]])
        hidden.info.visibility = .hidden
        let got = try normalise([cover, hidden, g])
        #expect(got.sheet == g.name)
        #expect(Projection(got) == Projection(want))
        // Naming the sheet works; naming the cover or a missing sheet is a no-table error naming the file.
        #expect(Projection(try normalise([cover, g], sheet: g.name)) == Projection(want))
        let e = #expect(throws: JixiaoError.self) { try normalise([cover, g], sheet: "封面") }
        #expect(e?.kind == .noTable && e?.location?.description == "shape.xlsx!封面")
        let missing = #expect(throws: JixiaoError.self) { try normalise([cover, g], sheet: "Sheet9") }
        #expect(missing?.kind == .noTable && missing?.message.contains("Sheet9") == true)
        let none = #expect(throws: JixiaoError.self) { try normalise([cover]) }
        #expect(none?.message.contains("一级指标") == true && none?.location?.file == "shape.xlsx")
    }

    @Test(arguments: seeds)
    func parentsRepeatedOnEveryRow(_ name: String) throws {
        let (g, want) = try seed(name)
        let repeated = GridEdit.repeatedParents(g, header: want.headerRow!, levels: want.columns.levels,
                                                stopAt: want.totals.row!)
        #expect(repeated.merged.isEmpty)
        // Row 4 (A12's second leaf) now writes its parents out.
        #expect(!repeated[4, want.columns.levels[0]].isEmpty)
        let got = try normalise([repeated])
        #expect(Projection(got) == Projection(want))
        #expect(summary(Validator.validate(got)) == summary(Validator.validate(want)))
    }

    @Test(arguments: seeds)
    func numbersWrittenAsText(_ name: String) throws {
        let (g, want) = try seed(name)
        let cols = [want.columns.weight, want.columns.score].compactMap { $0 }
        let edited = GridEdit.textNumbers(g, cols: cols, from: want.headerRow! + 1)
        #expect(edited.rows.flatMap(\.cells).filter { if case .number = $0.value { return true } else { return false } }.isEmpty)
        let got = try normalise([edited])
        #expect(Projection(got) == Projection(want))
        #expect(got.diagnostics.isEmpty)
    }

    @Test func headerSynonymsAndSpacing() throws {
        let (g, want) = try seed("seed000_project_framework.xlsx")
        let renamed = GridEdit.renameHeader(g, row: 1, [
            "一级\n指标": "一 级 指 标", "二级指标": "二级\n指标", "三级指标": "三级\u{3000}指标", "四级指标": "四级指标名称",
            "分值": "权重（分）", "得分": "自评得分", "指标解释": "指标说明", "评分标准": "评分细则", "数据来源": "资料来源",
        ])
        #expect(renamed[1, 4] == .string("权重（分）"))
        let got = try normalise([renamed])
        #expect(Projection(got) == Projection(want))
        #expect(got.columns == want.columns)
    }

    @Test func nameVariants() throws {
        let (g, want) = try seed("seed000_project_framework.xlsx")
        // Half-width brackets, full-width code letters and dots, a space instead of the dot, 【】 for the weight.
        let edited = GridEdit.mapTexts(g, rows: 2...33, cols: [0, 1, 2, 3]) { s in
            var t = s.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
            if t.hasPrefix("A.") { t = "Ａ．" + t.dropFirst(2) }
            if t.hasPrefix("B1.") { t = "B1 " + t.dropFirst(3) }
            if t.hasPrefix("C3.项目满意度(10%)") { t = "C3、项目满意度【10%】" }
            return t
        }
        let got = try normalise([edited])
        #expect(Projection(got, paths: false) == Projection(want, paths: false))
        #expect(got.roots[0].rawName == "Ａ．项目决策(20%)")
        #expect(got.roots[0].path == ["Ａ．项目决策(20%)"])
    }

    @Test func organisationGluedToLevelOneName() throws {
        // Seed 002 writes the organisation in front of the first level-1 name only; here every level-1 name
        // carries it, and the codes are all missing at level 1.
        let (g, want) = try seed("seed002_department_framework.xlsx")
        let edited = GridEdit.mapTexts(g, rows: 2...40, cols: [0]) { s in
            s.hasPrefix("B") || s.hasPrefix("C") ? "昆明市盘龙区政务服务管理局" + s.dropFirst() : s
        }
        let got = try normalise([edited])
        #expect(got.organisation == "昆明市盘龙区政务服务管理局")
        #expect(Projection(got, paths: false) == Projection(want, paths: false))
    }

    func summary(_ x: [Finding]) -> [String] { x.map { "\($0.severity) \($0.rule) \($0.code ?? "-")" } }
}
