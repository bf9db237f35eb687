import Foundation
import Testing
import SheetCore
import TestSupport
@testable import IndicatorModel

/// Every table in the fixtures (XLSX golden grids and CSV) normalises to the seed table it holds.
struct SeedGoldenTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var fixture: String
        var seed: String
        var blank = false
        var testDescription: String { fixture }

        func workbook() throws -> Workbook {
            if fixture.hasSuffix(".xlsx") { return try GridJSON.golden(fixture) }
            return try TinyCSV.grid("csv/\(fixture)", gbk: fixture.contains("gbk"))
        }
    }

    static let cases: [Case] = [
        Case(fixture: "seed000_project_framework.xlsx", seed: "seed000"),
        Case(fixture: "seed000_project_framework_blank.xlsx", seed: "seed000", blank: true),
        Case(fixture: "seed002_department_framework.xlsx", seed: "seed002"),
        Case(fixture: "seed000_project_framework.csv", seed: "seed000"),
        Case(fixture: "seed002_department_framework_gbk.csv", seed: "seed002"),
    ]

    @Test(arguments: cases)
    func normalisesToTheSeedTable(_ c: Case) throws {
        let seed = try SeedTable.load(c.seed)
        #expect(seed.leaves.count == (c.seed == "seed000" ? 32 : 39))
        #expect(seed.leaves.allSatisfy { $0.weight != nil && $0.score != nil && $0.criteria != nil && !$0.code.isEmpty })
        let f = try Normaliser.frameworks(in: try c.workbook(), sheet: nil)
        #expect(f.title == seed.title)
        #expect(f.levels == seed.levels)
        #expect(f.leaves.count == seed.leaves.count)
        for (got, want) in zip(f.leaves, seed.leaves) {
            #expect(got.code == want.code, "\(want.path)")
            #expect(got.path == want.path)
            #expect(got.level == want.path.count, "\(want.code)")
            #expect(got.weight == want.weight, "\(want.code) weight")
            #expect(got.score == (c.blank ? nil : want.score), "\(want.code) score")
            #expect(got.explanation == want.explanation, "\(want.code) 指标解释")
            #expect(got.criteria == want.criteria, "\(want.code) 评分标准")
            #expect(got.source == want.source, "\(want.code) 数据来源")
            #expect(got.cell?.file == f.file && got.cell?.sheet == f.sheet && got.cell?.cell != nil)
        }
        #expect(f.totals.statedWeight == seed.statedWeight)
        #expect(f.totals.statedScore == (c.blank ? nil : seed.statedScore))
        #expect(f.totals.weight == seed.leaves.compactMap(\.weight).reduce(0, +))
    }

    @Test func seed000Details() throws {
        let f = try Normaliser.frameworks(in: try GridJSON.golden("seed000_project_framework.xlsx"), sheet: nil)
        #expect(f.sheet == "附件2")
        #expect(f.organisation == nil)
        #expect(f.roots.map(\.code) == ["A", "B", "C"])
        #expect(f.roots.map(\.name) == ["项目决策", "项目管理", "辅助性岗位工作人员薪酬专项经费项目绩效"])
        #expect(f.roots.map(\.statedWeight) == [20, 20, 60])
        #expect(f.roots.allSatisfy { $0.statedWeightUnit == .percent })
        let c1 = try #require(f.allNodes.first { $0.code == "C1" })
        #expect(c1.name == "项目产出")
        #expect(c1.statedWeight == 30)
        #expect(c1.rawName.hasPrefix("C1.项目产出（30%）（说明："))
        let b232 = try #require(f.leaves.first { $0.code == "B232" })
        #expect(b232.name == "财务制度执行有效性")
        #expect(b232.weightCell?.a1 == "E19" && b232.scoreCell?.a1 == "F19")
        // Leaves ending at level 3 when the level-4 cell is blank.
        #expect(f.leaves.filter { $0.level == 3 }.map(\.code) == ["B11", "B12", "B13", "B21", "B22"])
        #expect(f.totals.weight == 100 && f.totals.score == 99)
        #expect(f.totals.statedWeightCell?.a1 == "E35" && f.totals.statedScoreCell?.a1 == "F35")
        #expect(f.grade() == .excellent)
    }

    @Test func seed002Details() throws {
        let f = try Normaliser.frameworks(in: try GridJSON.golden("seed002_department_framework.xlsx"), sheet: nil)
        #expect(f.organisation == "昆明市盘龙区政务服务管理局")
        #expect(f.roots.map(\.code) == ["A", "B", "C"])
        #expect(f.roots.map(\.name) == ["部门决策", "部门管理", "部门绩效"])
        #expect(f.roots[0].rawName == "昆明市盘龙区政务服务管理局部门决策（35分）")
        #expect(f.roots.map(\.statedWeight) == [35, 20, 45])
        let c1 = try #require(f.allNodes.first { $0.code == "C1" })
        #expect(c1.name == "部门产出" && c1.statedWeight == 18 && c1.weight == 19)
        #expect(f.columns.weight == nil)
        #expect(f.leaves.allSatisfy { $0.weightCell == nil && $0.statedWeightUnit == .points })
        #expect(f.totals.statedWeight == 100 && f.totals.statedWeightCell?.a1 == "C42")
        #expect(f.totals.statedScore == 96 && f.totals.score == 97 && f.totals.weight == 101)
    }
}
