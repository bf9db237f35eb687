import Foundation
import Testing
import IndicatorModel
import SheetCore
import TestSupport
import XLSXFormat
@testable import Pipeline

/// `convert`: indicator tables to styled workbooks and back, grids as they are, the check object.
@Suite("Convert")
struct ConvertTests {
    static func framework(_ fixture: String) throws -> Framework {
        try Normaliser.frameworks(in: GridJSON.golden(fixture), sheet: nil)
    }

    /// What must survive a conversion: each leaf's path, weight, score and texts, and the stated totals.
    static func summary(_ f: Framework) -> [String] {
        f.leaves.map { l in
            "\(l.code)|\(l.path.joined(separator: "/"))|\(l.weight.map(CellValue.format) ?? "-")|\(l.score.map(CellValue.format) ?? "-")|"
                + "\(l.explanation ?? "")|\(l.criteria ?? "")|\(l.source ?? "")"
        } + ["total \(f.totals.statedWeight.map(CellValue.format) ?? "-") \(f.totals.statedScore.map(CellValue.format) ?? "-")"]
    }

    @Test func tableLayoutOfTheProjectFramework() throws {
        let f = try Self.framework("seed000_project_framework.xlsx")
        let t = IndicatorTable(f)
        let g = t.grid
        #expect(t.columns == [.level(1), .level(2), .level(3), .level(4), .weight, .score, .explanation, .criteria, .source])
        #expect(g[0, 0] == .string("附件2：项目支出绩效评价共性指标体系框架"))
        #expect(g.merged.contains(CellRange(a1: "A1:I1")!))
        #expect(t.headerRow == 1)
        #expect((0..<9).map { g[1, UInt16($0)].text } == ["一级指标", "二级指标", "三级指标", "四级指标", "分值", "得分", "指标解释", "评分标准", "数据来源"])
        #expect(t.totalRow == 2 + UInt32(f.leaves.count))
        // The first root is merged down over its leaves, as in the source table (A3:A12).
        #expect(g.merged.contains(CellRange(a1: "A3:A12")!))
        #expect(g[2, 0] == .string("A.项目决策（20%）"))
        #expect(g[2, 3] == .string("A111.与部门中长期规划目标匹配性"))
        // 合计: the weights add up to the stated 100, so a SUM formula with its cached value.
        let weightTotal = g.cell(at: CellRef(row: t.totalRow, col: 4))
        #expect(weightTotal?.formula == "SUM(E3:E\(t.totalRow))")
        #expect(weightTotal?.value == .number(100))
        #expect(g[t.totalRow, 0] == .string("合计"))
        #expect(g[t.totalRow, 5] == .number(99))
        #expect(t.options.freeze == CellRef(a1: "A3"))
        #expect(t.options.print?.titleRows == 1...1)
        #expect(t.options.print?.orientation == .landscape && t.options.print?.paperSize == 9)
        // Widths: CJK counts 2; long criteria are capped (they wrap).
        #expect(t.options.columnWidths[7] == 48)
        #expect((t.options.columnWidths[4] ?? 0) <= 10)
        #expect(IndicatorTable.displayWidth("指标a1") == 6)
        #expect(IndicatorTable.lineCount("一二三四五六七八九十", width: 11) == 2)
        #expect(IndicatorTable.lineCount("ab\ncd\n", width: 11) == 3)
        // Rows with long wrapped criteria are tall enough for them (row 35: the 5-line 满意度 criteria).
        let last = t.totalRow - 1
        #expect((t.options.rowHeights[last] ?? 0) >= 5 * 14.25)
        // "A111.与部门中长期规划目标匹配性" is 31 wide in a 28-wide column: two lines.
        #expect(t.options.columnWidths[3] == 28)
        #expect(t.options.rowHeights[t.headerRow + 1] == 2 * 14.25 + 3)
        #expect(t.options.rowHeights[t.headerRow] == nil)  // the header fits on one line
    }

    @Test func selfEvaluationColumnsAndAShallowLeaf() throws {
        var leaf1 = Indicator(code: "A11", name: "产出数量", level: 3, path: ["产出指标", "数量指标", "产出数量"], weight: 10, score: 9)
        leaf1.target = "≥95%"
        leaf1.actual = "97%"
        leaf1.note = "无偏差"
        let leaf2 = Indicator(code: "A12", name: "产出质量", level: 3, path: ["产出指标", "数量指标", "产出质量"], weight: 10)
        let shallow = Indicator(code: "B", name: "满意度", level: 1, path: ["满意度"], weight: 80, score: 80)
        let f = Framework(file: "t.xlsx", sheet: "自评表", title: "项目支出绩效自评表", levels: 3, roots: [
            Indicator(code: "A", name: "产出指标", level: 1, path: ["产出指标"], children: [
                Indicator(code: "A1", name: "数量指标", level: 2, path: ["产出指标", "数量指标"], children: [leaf1, leaf2]),
            ]),
            shallow,
        ])
        let t = IndicatorTable(f)
        #expect(t.columns == [.level(1), .level(2), .level(3), .weight, .score, .target, .actual, .note])
        let g = t.grid
        #expect((0..<8).map { g[1, UInt16($0)].text } == ["一级指标", "二级指标", "三级指标", "分值", "得分", "年度指标值", "实际完成值", "偏差原因分析及改进措施"])
        #expect(g.merged == [CellRange(a1: "A1:H1")!, CellRange(a1: "A3:A4")!, CellRange(a1: "B3:B4")!, CellRange(a1: "A5:C5")!,
                             CellRange(a1: "A6:C6")!])
        #expect(g[2, 5] == .string("≥95%") && g[2, 6] == .string("97%") && g[2, 7] == .string("无偏差"))
        #expect(g[4, 0] == .string("满意度") && g[4, 3] == .number(80))
        // An unscored leaf: the score total is the sum of what is there (89), as a formula.
        #expect(g.cell(at: CellRef(a1: "E6")!)?.formula == "SUM(E3:E5)")
        #expect(g[5, 4] == .number(89))
        #expect(g[5, 3] == .number(100))
        // Every body cell has a border style (also the blank 得分 of A12) when styled.
        let w = XLSXWriter()
        let styled = IndicatorTable(f, styles: IndicatorTable.Styles(registeringWith: w))
        for r in 1...5 { for c in 0..<8 { #expect(styled.grid.cell(at: CellRef(row: UInt32(r), col: UInt16(c)))?.style ?? 0 != 0, "\(r),\(c)") } }
    }

    @Test func departmentFrameworkGetsAWeightColumnFromTheNames() throws {
        let f = try Self.framework("seed002_department_framework.xlsx")
        let t = IndicatorTable(f)
        #expect(Array(t.columns.prefix(5)) == [.level(1), .level(2), .level(3), .weight, .score])
        let firstLeafRow = t.headerRow + 1
        #expect(t.grid[firstLeafRow, 3] == .number(2))   // A11…（2分）
        #expect(t.grid[t.totalRow, 4] == .number(96))     // stated total score
    }

    @Test(arguments: ["seed000_project_framework.xlsx", "seed002_department_framework.xlsx"])
    func writtenTableNormalisesToTheSameFramework(_ fixture: String) throws {
        let f = try Self.framework(fixture)
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.xlsx").path
        let result = try Convert.run(input: Fixtures.url("xlsx/\(fixture)").path, output: out)
        #expect(result.framework != nil)
        let back = try Normaliser.frameworks(in: loadWorkbook(path: out), sheet: nil)
        #expect(Self.summary(back) == Self.summary(f))
        #expect(back.title == f.title)
    }

    @Test func selfEvaluationFormKeepsItsBudgetRow() throws {
        // A 项目支出绩效自评表 is read as check reads it: its 预算执行率 row (10 of the 100 points) is a leaf of
        // the new table, of the CSV and of the check object, not dropped.
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = Fixtures.url("selfeval/selfeval_project.xlsx").path
        let json = dir.appendingPathComponent("t.json").path
        try Convert.run(input: input, output: json)
        let back = try FrameworkJSON.read(path: json)
        #expect(back.leaves.map(\.code) == ["A", "B11", "B21", "B31", "B41", "C11", "C12", "C21", "D11"])
        #expect(back.leaves.first?.weight == 10 && back.totals.weight == 100)
        // The 单位 line, as the normaliser gave it from 主管部门 before.
        #expect(back.organisation == "昆明市盘龙区政务服务管理局")
        for ext in ["xlsx", "csv"] {
            let out = dir.appendingPathComponent("t.\(ext)").path
            try Convert.run(input: input, output: out)
            let g = try loadWorkbook(path: out).sheets[0]
            let row = try #require(g.rows.first { $0.cells.first?.value == .string("预算执行率（年度资金总额）") })
            #expect(row.cells.contains { $0.value == .number(10) }, "\(ext)")
            #expect(g.rows.last?.cells.contains { $0.value == .number(100) } == true, "\(ext): total weight")
            // Read back as check reads it: the same leaves and weights (the 预算执行率 row, merged across the
            // level columns, is a leaf with its 分值 and 评分标准).
            let again = try ScorePipeline.framework(path: out)
            #expect(again.leaves.map(\.code) == back.leaves.map(\.code), "\(ext)")
            #expect(again.leaves.map(\.weight) == back.leaves.map(\.weight), "\(ext)")
            #expect(again.leaves.first?.criteria == back.leaves.first?.criteria, "\(ext)")
            #expect(again.organisation == "昆明市盘龙区政务服务管理局", "\(ext)")
        }
        // The same from the 自评表 as CSV.
        let csvIn = dir.appendingPathComponent("自评表.csv").path
        try Convert.run(input: input, output: csvIn, options: Convert.Options(mode: .grid))
        let json2 = dir.appendingPathComponent("t2.json").path
        try Convert.run(input: csvIn, output: json2)
        #expect(try FrameworkJSON.read(path: json2).leaves.map(\.code) == back.leaves.map(\.code))
    }

    /// Parents whose weights stand in cells of their own (一级指标 | 分值 | 二级指标 | 分值 | …, outline rows): the
    /// written table states them in the names, so they are still checked.
    @Test(arguments: ["r10_one_row_level_weights.xlsx", "r2_namew_planted.xlsx", "r2_namew_repeated_csv.csv"])
    func parentWeightsInCellsSurvive(_ fixture: String) throws {
        let input = Fixtures.url("unseen/\(fixture)").path
        let f = try Normaliser.frameworks(in: loadWorkbook(path: input), sheet: nil)
        #expect(f.allNodes.filter { !$0.isLeaf }.allSatisfy { $0.statedWeight != nil })
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.xlsx").path
        _ = try Convert.run(input: input, output: out)
        let back = try Normaliser.frameworks(in: loadWorkbook(path: out), sheet: nil)
        // (The paths now carry the parents' weights in their names.)
        let leaves = { (f: Framework) in f.leaves.map { "\($0.code) \($0.name) \($0.weight ?? -1) \($0.score ?? -1) \($0.criteria ?? "")" } }
        #expect(leaves(back) == leaves(f))
        let stated = { (f: Framework) in f.allNodes.map { "\($0.code) \($0.name) \($0.statedWeight.map(CellValue.format) ?? "-")" } }
        #expect(stated(back) == stated(f))
        let rules = { (f: Framework) in Validator.validate(f).map { "\($0.rule) \($0.code ?? "-")" } }
        #expect(rules(back) == rules(f))
    }

    @Test func gbkCSVConvertsLikeTheWorkbook() throws {
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("附件1.xlsx").path
        try Convert.run(input: Fixtures.url("csv/seed002_department_framework_gbk.csv").path, output: out)
        let back = try Normaliser.frameworks(in: loadWorkbook(path: out), sheet: nil)
        let f = try Self.framework("seed002_department_framework.xlsx")
        #expect(Self.summary(back) == Self.summary(f))
    }

    @Test func checkJSONRoundTrips() throws {
        let f = try Self.framework("seed000_project_framework.xlsx")
        let json = CheckReport(validating: f).jsonText()
        let back = try FrameworkJSON.read(data: Data(json.utf8), name: "t.json")
        #expect(Self.summary(back) == Self.summary(RollUp.applied(f)))
        #expect(back.levels == 4 && back.roots.count == f.roots.count)
        #expect(back.roots[0].statedWeight == 20)

        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("t.json")
        try Data(json.utf8).write(to: input)
        let out = dir.appendingPathComponent("t.xlsx").path
        try Convert.run(input: input.path, output: out)
        let again = try Normaliser.frameworks(in: loadWorkbook(path: out), sheet: nil)
        #expect(Self.summary(again) == Self.summary(f))
        // And to the check object again.
        let outJSON = dir.appendingPathComponent("again.json").path
        try Convert.run(input: out, output: outJSON)
        let text = try String(contentsOfFile: outJSON, encoding: .utf8)
        #expect(text.contains("\"indicators\""))
        #expect(text.contains("A111"))
    }

    @Test func notATableIsCopiedAsItIs() throws {
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("plain.csv")
        try Data("名称,金额\n甲,1.5\n\n乙,\"多行\n文本\"\n".utf8).write(to: csv)
        let out = dir.appendingPathComponent("plain.xlsx").path
        let result = try Convert.run(input: csv.path, output: out)
        #expect(result.framework == nil)
        #expect(result.rows == 3)
        let wb = try loadWorkbook(path: out)
        #expect(wb.sheets.map(\.name) == ["plain"])
        let g = wb.sheets[0]
        #expect(g[0, 0] == .string("名称") && g[1, 1] == .number(1.5) && g[3, 1] == .string("多行\n文本"))
        #expect(g.row(at: 2) == nil)
        // CSV out keeps the blank record.
        let outCSV = dir.appendingPathComponent("plain-out.csv").path
        try Convert.run(input: csv.path, output: outCSV, options: Convert.Options(csvEncoding: .utf8))
        #expect(try String(contentsOfFile: outCSV, encoding: .utf8) == "名称,金额\r\n甲,1.5\r\n\r\n乙,\"多行\n文本\"\r\n")
        // A .json output needs a table.
        let e = #expect(throws: JixiaoError.self) {
            try Convert.run(input: csv.path, output: dir.appendingPathComponent("x.json").path)
        }
        #expect(e?.kind == .noTable)
    }

    @Test func gridModeCopiesATableWorkbookAsItIs() throws {
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("copy.xlsx").path
        try Convert.run(input: Fixtures.url("xlsx/seed000_project_framework.xlsx").path, output: out,
                        options: Convert.Options(mode: .grid))
        let golden = try GridJSON.golden("seed000_project_framework.xlsx")
        let back = try loadWorkbook(path: out)
        #expect(back.sheets.map(\.name) == golden.sheets.map(\.name))
        #expect(back.sheets[0].merged == golden.sheets[0].merged)
        #expect(back.sheets[0].rows.map { $0.cells.map(\.value) } == golden.sheets[0].rows.map { $0.cells.map(\.value) })
    }

    @Test func aPlainWorkbookIsStreamedAsItIs() throws {
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = XLSXWriter()
        let sheets = [
            Grid(name: "数据", values: [[.string("名称"), .string("日期"), .string("金额")],
                                       [.string("甲"), .date(ExcelDate(serial: 45000)), .number(-1.25)],
                                       [.string(" 乙 "), .bool(true), .error("#N/A")]],
                 merged: [CellRange(a1: "D1:E2")!]),
            Grid(info: SheetInfo(name: "隐藏", visibility: .hidden), rows: [Row(index: 4, cells: [Cell(col: 2, value: .number(5))])]),
        ]
        for g in sheets { try w.addSheet(g) }
        let input = dir.appendingPathComponent("plain.xlsx")
        try Data(try w.finish()).write(to: input)
        let out = dir.appendingPathComponent("copy.xlsx").path
        let result = try Convert.run(input: input.path, output: out)
        #expect(result.framework == nil && result.sheets == 2 && result.rows == 4)
        let back = try loadWorkbook(path: out)
        #expect(back.sheets.map(\.info) == sheets.map(\.info))
        #expect(back.sheets.map(\.merged) == sheets.map(\.merged))
        #expect(back.sheets.map { $0.rows.map { $0.cells.map(\.value) } } == sheets.map { $0.rows.map { $0.cells.map(\.value) } })
    }

    @Test func aCSVLongerThanASheetContinuesOnFurtherSheets() throws {
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("long.csv")
        try Data((0..<25).map { "\($0),行\($0)\n" }.joined().utf8).write(to: csv)
        var options = Convert.Options()
        options.rowsPerSheet = 10
        let out = dir.appendingPathComponent("long.xlsx").path
        let result = try Convert.run(input: csv.path, output: out, options: options)
        #expect(result.sheets == 3 && result.rows == 25)
        let wb = try loadWorkbook(path: out)
        #expect(wb.sheets.map(\.name) == ["long", "long (2)", "long (3)"])
        #expect(wb.sheets.map(\.rows.count) == [10, 10, 5])
        #expect(wb.sheets[1][0, 0] == .number(10) && wb.sheets[2][4, 1] == .string("行24"))
    }

    @Test func gbkOutput() throws {
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("t.csv").path
        try Convert.run(input: Fixtures.url("xlsx/seed000_project_framework.xlsx").path, output: out,
                        options: Convert.Options(csvEncoding: .gbk))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(!bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let g = try CSVReaderShim.read(out)
        #expect(g[0, 0] == .string("附件2：项目支出绩效评价共性指标体系框架"))
    }

    @Test func aCharacterGBKCannotHoldIsNamedWithItsFile() throws {
        // The CSV writer names sheet and cell; convert adds the file: the input's for a grid copied as it is (its
        // cells are the input's), the output's for a new table. Nothing is written.
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("勾选.csv").path
        try "编号,名称\n1,已完成✓\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let book = dir.appendingPathComponent("勾选.xlsx").path
        try Convert.run(input: csv, output: book)
        var table = try String(contentsOf: Fixtures.url("csv/seed000_project_framework.csv"), encoding: .utf8)
        table = table.replacingOccurrences(of: "考察项目与部门中长期目标是否匹配", with: "考察项目与部门中长期目标是否匹配✓")
        let tableCSV = dir.appendingPathComponent("table.csv").path
        try table.write(toFile: tableCSV, atomically: true, encoding: .utf8)
        for (input, expected) in [(csv, "勾选.csv!B2"), (book, "勾选.xlsx!勾选!B2"), (tableCSV, "gbk.csv!table!G3")] {
            let out = dir.appendingPathComponent("gbk.csv").path
            do {
                try Convert.run(input: input, output: out, options: Convert.Options(csvEncoding: .gbk))
                Issue.record("expected a refusal for \(input)")
            } catch let e as JixiaoError {
                #expect(e.location.map { "\($0)".hasSuffix(expected) } == true, "\(e)")
                #expect(e.message.contains("✓"))
            }
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test func refusals() throws {
        let dir = try Fixtures.tempDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.csv").path
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: input))
        let usage = #expect(throws: JixiaoError.self) { try Convert.run(input: input, output: dir.appendingPathComponent("o.txt").path) }
        #expect(usage?.kind == .usage)
        let same = #expect(throws: JixiaoError.self) { try Convert.run(input: input, output: input) }
        #expect(same?.kind == .io)
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "a,b\n1,2\n")
    }
}
